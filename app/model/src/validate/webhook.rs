use super::FieldError;

const MAX_URL_LEN: usize = 2048;
pub const MAX_NAME_CHARS: usize = 255;
pub const MAX_DESCRIPTION_CHARS: usize = 2000;
/// The longest a receiver may take to answer one attempt (`timeoutMs`).
pub const MAX_TIMEOUT_MS: u32 = 60_000;
/// Hosts that may be reached over plain http (local development).
const LOCAL_HOSTS: [&str; 3] = ["localhost", "127.0.0.1", "[::1]"];

/// An absolute `https://` URL of at most 2048 characters (`http://` only for local hosts).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WebhookUrl(String);

impl WebhookUrl {
    pub fn parse(raw: &str) -> Result<Self, FieldError> {
        let invalid = || FieldError::new("url", "url must be a valid URL");
        if raw.len() > MAX_URL_LEN || raw.trim() != raw {
            return Err(invalid());
        }
        let url = ParsedUrl::parse(raw).ok_or_else(invalid)?;
        let allowed = match url.scheme.as_str() {
            "https" => !url.host.is_empty(),
            "http" => LOCAL_HOSTS.contains(&url.host.as_str()),
            _ => false,
        };
        if !allowed || url.has_credentials {
            return Err(invalid());
        }
        Ok(Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The parts of a URL the rule reads, as the WHATWG URL standard parses it:
/// the `url` crate on the server, the browser's own `URL` in the console, so
/// the bundle carries no second parser and no IDNA tables.
struct ParsedUrl {
    scheme: String,
    host: String,
    has_credentials: bool,
}

impl ParsedUrl {
    #[cfg(not(target_arch = "wasm32"))]
    fn parse(raw: &str) -> Option<Self> {
        let url = url::Url::parse(raw).ok()?;
        Some(Self {
            scheme: url.scheme().to_owned(),
            host: url.host_str()?.to_owned(),
            has_credentials: !url.username().is_empty() || url.password().is_some(),
        })
    }

    #[cfg(target_arch = "wasm32")]
    fn parse(raw: &str) -> Option<Self> {
        let url = web_sys::Url::new(raw).ok()?;
        let protocol = url.protocol();
        Some(Self {
            scheme: protocol.strip_suffix(':').unwrap_or(&protocol).to_owned(),
            host: url.hostname(),
            has_credentials: !url.username().is_empty() || !url.password().is_empty(),
        })
    }
}

pub fn validate_name(name: Option<&str>) -> Result<(), FieldError> {
    validate_length("name", name, MAX_NAME_CHARS)
}

pub fn validate_description(description: Option<&str>) -> Result<(), FieldError> {
    validate_length("description", description, MAX_DESCRIPTION_CHARS)
}

fn validate_length(field: &str, text: Option<&str>, max: usize) -> Result<(), FieldError> {
    match text {
        Some(text) if text.chars().count() > max => Err(FieldError::new(
            field,
            format!("{field} must be at most {max} characters"),
        )),
        _ => Ok(()),
    }
}

/// Per-webhook delivery settings with SPEC's defaults and ranges.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DeliverySettings {
    pub max_retries: u32,
    pub timeout_ms: u32,
    pub retry_backoff_seconds: u32,
    pub rate_limit_per_second: Option<u32>,
}

impl Default for DeliverySettings {
    fn default() -> Self {
        Self {
            max_retries: 3,
            timeout_ms: 30_000,
            retry_backoff_seconds: 30,
            rate_limit_per_second: None,
        }
    }
}

impl DeliverySettings {
    pub fn validate(&self) -> Result<(), FieldError> {
        in_range("maxRetries", self.max_retries, 0, 10)?;
        in_range("timeoutMs", self.timeout_ms, 1000, MAX_TIMEOUT_MS)?;
        in_range("retryBackoffSeconds", self.retry_backoff_seconds, 1, 300)?;
        if let Some(rate) = self.rate_limit_per_second {
            in_range("rateLimitPerSecond", rate, 1, 10_000)?;
        }
        Ok(())
    }
}

fn in_range(field: &str, value: u32, min: u32, max: u32) -> Result<(), FieldError> {
    if (min..=max).contains(&value) {
        return Ok(());
    }
    Err(FieldError::new(
        field,
        format!("{field} must be between {min} and {max}"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_must_be_https_except_for_local_hosts() {
        for ok in [
            "https://example.com/hook",
            "http://localhost:8080/x",
            "http://127.0.0.1/x",
            "http://[::1]:9/x",
        ] {
            assert!(WebhookUrl::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "http://example.com/x",
            "ftp://example.com",
            "example.com",
            "",
            "https://",
            " https://a.io",
            "https://user:pw@example.com/",
        ] {
            let error = WebhookUrl::parse(bad).unwrap_err();
            assert_eq!(
                (error.field.as_str(), error.message.as_str()),
                ("url", "url must be a valid URL"),
                "{bad}"
            );
        }
        let long = format!("https://example.com/{}", "a".repeat(2048));
        assert!(WebhookUrl::parse(&long).is_err());
    }

    #[test]
    fn delivery_settings_have_spec_ranges() {
        assert!(DeliverySettings::default().validate().is_ok());
        let error = DeliverySettings {
            timeout_ms: 999,
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(error.field, "timeoutMs");
        let error = DeliverySettings {
            rate_limit_per_second: Some(0),
            ..Default::default()
        }
        .validate()
        .unwrap_err();
        assert_eq!(error.field, "rateLimitPerSecond");
    }
}
