use super::FieldError;

/// Every Herald API key starts with this.
pub const API_KEY_PREFIX: &str = "sk_";
/// After the prefix: 32 random bytes as lowercase hex.
const API_KEY_BODY_LEN: usize = 64;
const FIELD: &str = "apiKey";

/// An API key as typed by a person: well formed, not yet known to be valid.
#[derive(Clone, PartialEq, Eq)]
pub struct ApiKeyInput(String);

impl ApiKeyInput {
    /// Accepts `sk_` followed by 64 hex characters, ignoring surrounding
    /// whitespace (keys are often pasted with a trailing newline).
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let key = raw.trim();
        if key.is_empty() {
            return Err(FieldError::new(FIELD, "Enter your API key"));
        }
        let Some(body) = key.strip_prefix(API_KEY_PREFIX) else {
            return Err(FieldError::new(FIELD, "API keys start with sk_"));
        };
        let well_formed = body.len() == API_KEY_BODY_LEN
            && body
                .bytes()
                .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
        if !well_formed {
            return Err(FieldError::new(
                FIELD,
                "This is not a whole API key: it is sk_ followed by 64 characters 0-9 and a-f",
            ));
        }
        Ok(Self(key.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for ApiKeyInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ApiKeyInput(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key() -> String {
        format!("sk_{}", "0123456789abcdef".repeat(4))
    }

    #[test]
    fn a_whole_key_is_accepted_and_trimmed() {
        let parsed = ApiKeyInput::parse(&format!("  {}\n", key())).unwrap();
        assert_eq!(parsed.as_str(), key());
    }

    #[test]
    fn malformed_keys_are_refused_with_a_reason() {
        assert_eq!(
            ApiKeyInput::parse("").unwrap_err().message,
            "Enter your API key"
        );
        assert_eq!(
            ApiKeyInput::parse("pk_live_123").unwrap_err().message,
            "API keys start with sk_"
        );
        assert!(ApiKeyInput::parse("sk_abc").is_err());
        assert!(ApiKeyInput::parse(&key().to_uppercase().replacen("SK_", "sk_", 1)).is_err());
        assert!(ApiKeyInput::parse(&format!("{}0", key())).is_err());
        assert_eq!(ApiKeyInput::parse("x").unwrap_err().field, "apiKey");
    }

    #[test]
    fn debug_output_never_shows_the_key() {
        let parsed = ApiKeyInput::parse(&key()).unwrap();
        assert!(!format!("{parsed:?}").contains("0123"));
    }
}
