//! Parse-don't-validate types. The same code runs in the browser (instant
//! form errors, compiled to wasm) and on the server (the authority).

mod api_key;

pub use api_key::{API_KEY_PREFIX, ApiKeyInput};

/// A rejected input: the field it concerns and a message for the user.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

impl FieldError {
    pub fn new(field: &'static str, message: impl Into<String>) -> Self {
        Self {
            field,
            message: message.into(),
        }
    }
}

impl From<FieldError> for crate::model::AppError {
    fn from(error: FieldError) -> Self {
        crate::model::AppError::validation(error.field, error.message)
    }
}
