//! Parse-don't-validate types. The same code runs in the browser (instant
//! form errors, compiled to wasm) and on the server (the authority).

mod api_key;
mod events;
mod headers;
pub mod portal;
mod webhook;

pub use api_key::{API_KEY_PREFIX, ApiKeyInput};
pub use events::EventSelection;
pub use headers::{
    CustomHeader, bearer_header, is_always_masked, is_authorization, is_bearer_header,
    validate_headers,
};
pub use webhook::{
    DeliverySettings, MAX_DESCRIPTION_CHARS, MAX_NAME_CHARS, MAX_TIMEOUT_MS, WebhookUrl,
    validate_description, validate_name,
};

/// A rejected input: the field it concerns (`headers[2].name`), a message
/// for the user, and any structured details (`provided`, `allowed`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: String,
    pub message: String,
    pub details: Option<serde_json::Map<String, serde_json::Value>>,
}

impl FieldError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
            details: None,
        }
    }
}

/// A user-given name (an account's, a company's, a key's): trimmed, 1 to
/// `max` characters.
pub fn required_name(field: &str, name: &str, max: usize) -> Result<String, FieldError> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > max {
        return Err(FieldError::new(
            field,
            format!("{field} must be 1 to {max} characters"),
        ));
    }
    Ok(name.to_owned())
}

impl From<FieldError> for crate::AppError {
    fn from(error: FieldError) -> Self {
        let mut app_error = crate::AppError::validation(&error.field, error.message);
        app_error.details = error.details;
        app_error
    }
}
