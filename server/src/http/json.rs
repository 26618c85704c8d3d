//! A JSON body extractor whose every failure is our envelope: 413 over
//! 1 MiB, 400 naming the field for wrong types, unknown or read-only fields,
//! and malformed JSON. Never axum's plain-text rejections.

use super::ApiError;
use axum::extract::{FromRequest, Request};
use herald_model::{AppError, ErrorCode};
use serde::de::DeserializeOwned;

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;

/// Fields the API returns but never accepts.
const READ_ONLY_FIELDS: [&str; 10] = [
    "id",
    "apiKeyId",
    "consecutiveFailures",
    "circuitOpenedAt",
    "createdAt",
    "updatedAt",
    "signingSecret",
    "standardSecret",
    "disabledReason",
    "isMasked",
];

pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(request: Request, _state: &S) -> Result<Self, ApiError> {
        let bytes = axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
            .await
            .map_err(|_| {
                ApiError(AppError::new(
                    ErrorCode::PayloadTooLarge,
                    "Request body exceeds 1 MiB",
                ))
            })?;
        parse(&bytes).map(ApiJson).map_err(ApiError)
    }
}

fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    // serde would also read a struct from a JSON array, by position: refuse that.
    let first = bytes.iter().find(|byte| !byte.is_ascii_whitespace());
    if first.is_some_and(|byte| *byte != b'{')
        && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok()
    {
        return Err(AppError::validation(
            "body",
            "Request body must be a JSON object",
        ));
    }
    if let Some(field) = field_with_nul(bytes) {
        return Err(AppError::validation(
            &field,
            format!("{field} must not contain NUL characters"),
        ));
    }
    let deserializer = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        if inner.is_syntax() || inner.is_eof() {
            return AppError::validation("body", format!("Malformed JSON: {inner}"));
        }
        let message = inner.to_string();
        if let Some(field) = unknown_field(&message) {
            // The path already ends with the unknown field's name.
            let field_path = if path == "." { field.clone() } else { path };
            let reason = if READ_ONLY_FIELDS.contains(&field.as_str()) {
                format!("{field} is read-only")
            } else {
                format!("Unknown field {field}")
            };
            return AppError::validation(&field_path, reason);
        }
        let field = if path == "." { "body".to_owned() } else { path };
        let reason = message
            .split(" at line ")
            .next()
            .unwrap_or(&message)
            .to_owned();
        AppError::validation(&field, format!("{field}: {reason}"))
    })
}

/// The path of the first string holding U+0000, which PostgreSQL cannot
/// store. JSON can only spell it `\u0000`, so bodies without that text are
/// not parsed twice.
fn field_with_nul(bytes: &[u8]) -> Option<String> {
    if !bytes.windows(6).any(|window| window == br"\u0000") {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    nul_path(&value, String::new())
}

fn nul_path(value: &serde_json::Value, path: String) -> Option<String> {
    let here = || {
        Some(if path.is_empty() {
            "body".to_owned()
        } else {
            path.clone()
        })
    };
    match value {
        serde_json::Value::String(text) if text.contains('\0') => here(),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| nul_path(item, format!("{path}[{index}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(name, item)| {
            let inner = if path.is_empty() {
                name.clone()
            } else {
                format!("{path}.{name}")
            };
            if name.contains('\0') {
                return Some(inner);
            }
            nul_path(item, inner)
        }),
        _ => None,
    }
}

/// The name in serde's "unknown field `x`, expected ..." message.
fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;
    use herald_model::WebhookIn;

    #[test]
    fn errors_name_the_field() {
        let error =
            parse::<WebhookIn>(br#"{"url": "https://a.io", "events": [0], "timeoutMs": "slow"}"#)
                .unwrap_err();
        assert_eq!(error.field.as_deref(), Some("timeoutMs"));
        let error = parse::<WebhookIn>(br#"{"url": "https://a.io", "events": [0], "id": "x"}"#)
            .unwrap_err();
        assert_eq!(
            (error.field.as_deref(), error.message.as_str()),
            (Some("id"), "id is read-only")
        );
        let error = parse::<WebhookIn>(br#"{"url": "https://a.io", "events": [0], "colour": 1}"#)
            .unwrap_err();
        assert_eq!(error.message, "Unknown field colour");
        let error = parse::<WebhookIn>(
            br#"{"url": "https://a.io", "events": [0], "headers": [{"name": "a", "valu": "b"}]}"#,
        )
        .unwrap_err();
        assert_eq!(error.field.as_deref(), Some("headers[0].valu"));
        let error = parse::<WebhookIn>(br#"{"url": "#).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("body"));
        let error = parse::<WebhookIn>(
            br#"{"url": "https://a.io", "events": [0], "headers": [{"name": "a", "value": "b\u0000"}]}"#,
        )
        .unwrap_err();
        assert_eq!(
            (error.field.as_deref(), error.message.as_str()),
            (
                Some("headers[0].value"),
                "headers[0].value must not contain NUL characters"
            )
        );
        let text_not_nul =
            parse::<WebhookIn>(br#"{"url": "https://a.io", "events": [0], "name": "\\u0000"}"#);
        assert_eq!(text_not_nul.unwrap().name.as_deref(), Some("\\u0000"));
        let error = parse::<WebhookIn>(br#"{"events": [0]}"#).unwrap_err();
        assert!(
            error.message.contains("missing field `url`"),
            "{}",
            error.message
        );
    }
}
