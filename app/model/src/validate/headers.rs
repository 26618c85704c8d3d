//! Custom headers (SPEC §3): names, values, which are masked, and the
//! bearer token the Interactly profile stores as one.

use super::FieldError;
use crate::HeaderIn;
use serde::{Deserialize, Serialize};

const MAX_HEADERS: usize = 50;
const MAX_HEADER_NAME_LEN: usize = 255;
const MAX_HEADER_VALUE_LEN: usize = 4096;
/// Headers whose values are always masked (any case).
const MASKED_HEADERS: [&str; 4] = ["authorization", "x-api-key", "x-secret", "api-key"];
/// Headers Herald sets itself.
const RESERVED_HEADERS: [&str; 4] = ["content-type", "content-length", "host", "user-agent"];

/// A validated custom header. Its value is a secret when masked.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CustomHeader {
    pub name: String,
    pub value: String,
    pub masked: bool,
}

impl std::fmt::Debug for CustomHeader {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let value = if self.masked { "***" } else { &self.value };
        write!(f, "{}: {value}", self.name)
    }
}

/// Validates a whole header list. `current` is the stored list: a masked
/// header given by name without a value keeps its stored value.
pub fn validate_headers(
    headers: &[HeaderIn],
    current: &[CustomHeader],
) -> Result<Vec<CustomHeader>, FieldError> {
    if headers.len() > MAX_HEADERS {
        return Err(FieldError::new(
            "headers",
            format!("headers must hold at most {MAX_HEADERS} entries"),
        ));
    }
    let mut valid: Vec<CustomHeader> = Vec::with_capacity(headers.len());
    for (index, header) in headers.iter().enumerate() {
        let field = |part: &str| format!("headers[{index}].{part}");
        let name = header.name.as_str();
        check_header_name(name).map_err(|message| FieldError::new(field("name"), message))?;
        if valid.iter().any(|h| h.name.eq_ignore_ascii_case(name)) {
            return Err(FieldError::new(
                field("name"),
                format!("header {name} is given twice"),
            ));
        }
        let kept = current
            .iter()
            .find(|h| h.masked && h.name.eq_ignore_ascii_case(name));
        let (value, keeps_secret) = match (&header.value, kept) {
            (Some(value), _) => (value.clone(), false),
            (None, Some(kept)) => (kept.value.clone(), true),
            (None, None) => {
                return Err(FieldError::new(field("value"), "header value is required"));
            }
        };
        // A kept secret value stays masked, whatever the update says.
        let masked = keeps_secret || header.secret.unwrap_or(false) || is_always_masked(name);
        check_header_value(&value).map_err(|message| FieldError::new(field("value"), message))?;
        valid.push(CustomHeader {
            name: name.to_owned(),
            value,
            masked,
        });
    }
    Ok(valid)
}

/// A bearer token as the custom header that carries it: a masked
/// `Authorization: Bearer <token>` (the Interactly profile's `bearer_token`).
pub fn bearer_header(token: &str) -> HeaderIn {
    HeaderIn {
        name: "Authorization".to_owned(),
        value: Some(format!("Bearer {token}")),
        secret: Some(true),
    }
}

/// Whether this stored header carries a bearer token.
pub fn is_bearer_header(header: &CustomHeader) -> bool {
    is_authorization(&header.name)
        && header
            .value
            .get(..7)
            .is_some_and(|scheme| scheme.eq_ignore_ascii_case("bearer "))
}

/// Whether a header is `Authorization` (any case).
pub fn is_authorization(name: &str) -> bool {
    name.eq_ignore_ascii_case("authorization")
}

/// Whether SPEC masks this header whatever the user says.
pub fn is_always_masked(name: &str) -> bool {
    MASKED_HEADERS
        .iter()
        .any(|masked| masked.eq_ignore_ascii_case(name))
}

fn check_header_name(name: &str) -> Result<(), String> {
    if name.is_empty() || name.len() > MAX_HEADER_NAME_LEN {
        return Err(format!(
            "header name must be 1 to {MAX_HEADER_NAME_LEN} characters"
        ));
    }
    // RFC 9110 token characters.
    let is_token = name
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    if !is_token {
        return Err(format!("{name:?} is not a valid HTTP header name"));
    }
    let lower = name.to_ascii_lowercase();
    if RESERVED_HEADERS.contains(&lower.as_str()) || lower.starts_with("webhook-") {
        return Err(format!("{name} is set by Herald and cannot be overridden"));
    }
    Ok(())
}

fn check_header_value(value: &str) -> Result<(), String> {
    if value.is_empty() || value.len() > MAX_HEADER_VALUE_LEN {
        return Err(format!(
            "header value must be 1 to {MAX_HEADER_VALUE_LEN} characters"
        ));
    }
    if value.bytes().any(|b| (b < 0x20 && b != b'\t') || b == 0x7f) {
        return Err("header value must not contain line breaks or control characters".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, value: Option<&str>) -> HeaderIn {
        HeaderIn {
            name: name.into(),
            value: value.map(Into::into),
            secret: None,
        }
    }

    #[test]
    fn sensitive_headers_are_masked_and_reserved_ones_refused() {
        let valid = validate_headers(
            &[
                header("Authorization", Some("Bearer t")),
                header("X-Env", Some("prod")),
            ],
            &[],
        )
        .unwrap();
        assert!(valid[0].masked && !valid[1].masked);
        assert!(!format!("{valid:?}").contains("Bearer t"));
        for reserved in ["Content-Type", "host", "webhook-id", "User-Agent"] {
            let error = validate_headers(&[header(reserved, Some("x"))], &[]).unwrap_err();
            assert_eq!(error.field, "headers[0].name");
        }
        let error = validate_headers(&[header("X-Ok", Some("a\r\nb"))], &[]).unwrap_err();
        assert_eq!(error.field, "headers[0].value");
        let error = validate_headers(&[header("bad name", Some("x"))], &[]).unwrap_err();
        assert_eq!(error.field, "headers[0].name");
        let too_many: Vec<_> = (0..51)
            .map(|i| header(&format!("X-{i}"), Some("v")))
            .collect();
        assert_eq!(
            validate_headers(&too_many, &[]).unwrap_err().field,
            "headers"
        );
    }

    #[test]
    fn a_masked_header_without_a_value_keeps_the_stored_one() {
        let stored = validate_headers(&[header("X-API-Key", Some("s3cret"))], &[]).unwrap();
        let updated = validate_headers(&[header("x-api-key", None)], &stored).unwrap();
        assert_eq!(updated[0].value, "s3cret");
        let marked = HeaderIn {
            secret: Some(true),
            ..header("X-Token", Some("t0k"))
        };
        let stored = validate_headers(&[marked], &[]).unwrap();
        let kept = HeaderIn {
            secret: Some(false),
            ..header("X-Token", None)
        };
        let updated = validate_headers(&[kept], &stored).unwrap();
        assert!(updated[0].masked, "a kept secret value must stay masked");
        assert!(validate_headers(&[header("X-Plain", None)], &stored).is_err());
    }

    #[test]
    fn a_bearer_token_is_a_masked_authorization_header() {
        let headers = validate_headers(&[bearer_header("t0k")], &[]).unwrap();
        assert!(headers[0].masked && is_bearer_header(&headers[0]));
        assert_eq!(headers[0].value, "Bearer t0k");
        let basic = validate_headers(&[header("authorization", Some("Basic x"))], &[]).unwrap();
        assert!(!is_bearer_header(&basic[0]));
        let lower = validate_headers(&[header("AUTHORIZATION", Some("bearer y"))], &[]).unwrap();
        assert!(is_bearer_header(&lower[0]));
    }
}
