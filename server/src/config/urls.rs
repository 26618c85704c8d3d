//! The URLs of the configuration: a proxy checked at start, and any URL
//! printed with its secrets redacted.

use super::ConfigError;

/// A proxy URL of a scheme reqwest speaks, with a host.
pub(super) fn parse_proxy(raw: &str) -> Result<url::Url, ConfigError> {
    let url = url::Url::parse(raw).map_err(|_| ConfigError::Proxy)?;
    let scheme_known = matches!(url.scheme(), "http" | "https" | "socks5" | "socks5h");
    if !scheme_known || url.host_str().is_none_or(str::is_empty) {
        return Err(ConfigError::Proxy);
    }
    Ok(url)
}

/// A database or proxy URL fit to print: the user-info password and any
/// `password` / `sslpassword` parameter (sqlx reads both) become `***`; a
/// URL that does not parse is not printed at all.
pub(super) fn redact_url_password(raw: &str) -> String {
    const SECRET_PARAMETERS: [&str; 2] = ["password", "sslpassword"];
    let Ok(mut url) = url::Url::parse(raw) else {
        return "(unreadable URL, not shown)".to_owned();
    };
    if url.password().is_some() {
        // Only URLs that cannot have a password refuse one.
        let _ = url.set_password(Some("***"));
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| {
            let secret = SECRET_PARAMETERS
                .iter()
                .any(|parameter| parameter.eq_ignore_ascii_case(&name));
            let value = if secret {
                "***".into()
            } else {
                value.into_owned()
            };
            (name.into_owned(), value)
        })
        .collect();
    if !pairs.is_empty() {
        url.query_pairs_mut().clear().extend_pairs(pairs);
    }
    url.to_string()
}

/// The `frame-ancestors` sources of `raw`, normalised to one space between
/// them: `'none'` alone, or `'self'`, schemes (`https:`) and http(s) hosts
/// with an optional `*.` and port. Anything else (a `;` that would end the
/// directive, a quote, a path) is refused.
pub fn frame_ancestors(raw: &str) -> Option<String> {
    let sources: Vec<&str> = raw.split_ascii_whitespace().collect();
    let valid = match sources.as_slice() {
        [] => false,
        ["'none'"] => true,
        many => many.iter().all(|source| is_frame_source(source)),
    };
    valid.then(|| sources.join(" "))
}

fn is_frame_source(source: &str) -> bool {
    if source == "'self'" || source == "https:" || source == "http:" {
        return true;
    }
    let Some(host) = source
        .strip_prefix("https://")
        .or_else(|| source.strip_prefix("http://"))
    else {
        return false;
    };
    let (host, port) = host.rsplit_once(':').unwrap_or((host, ""));
    let host = host.strip_prefix("*.").unwrap_or(host);
    let port_ok = port.is_empty() || port == "*" || port.parse::<u16>().is_ok();
    port_ok
        && !host.is_empty()
        && host.split('.').all(|label| {
            !label.is_empty() && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxies_are_http_https_or_socks5_urls_and_print_without_their_password() {
        for good in [
            "http://127.0.0.1:3128",
            "https://proxy.example",
            "socks5://u:p@10.0.0.1:1080",
        ] {
            assert!(parse_proxy(good).is_ok(), "{good}");
        }
        for bad in ["ftp://proxy", "proxy:3128", "http://", "socks4://p:1"] {
            assert!(parse_proxy(bad).is_err(), "{bad}");
        }
        let url = parse_proxy("socks5://user:s3cret@proxy.example:1080").unwrap();
        assert_eq!(
            redact_url_password(url.as_str()),
            "socks5://user:***@proxy.example:1080"
        );
    }

    #[test]
    fn database_passwords_are_redacted() {
        assert_eq!(
            redact_url_password("postgres://herald:s3cr:et@db:5432/herald"),
            "postgres://herald:***@db:5432/herald"
        );
        assert_eq!(
            redact_url_password("postgres://db/herald"),
            "postgres://db/herald"
        );
        assert_eq!(
            redact_url_password(
                "postgres://herald@db/herald?PassWord=s3cret&sslmode=require&sslpassword=k3y"
            ),
            "postgres://herald@db/herald?PassWord=***&sslmode=require&sslpassword=***"
        );
        assert_eq!(
            redact_url_password("postgres://herald:s3cret@db/%zz?password=x"),
            "postgres://herald:***@db/%zz?password=***"
        );
        assert!(!redact_url_password("postgres://[bad:s3cret@db").contains("s3cret"));
    }

    #[test]
    fn frame_ancestors_take_sources_and_refuse_what_would_escape_the_directive() {
        assert_eq!(frame_ancestors("'none'").as_deref(), Some("'none'"));
        assert_eq!(
            frame_ancestors("  'self'   https://app.example.com:8443 https://*.example.com ")
                .as_deref(),
            Some("'self' https://app.example.com:8443 https://*.example.com")
        );
        for bad in [
            "",
            "'none' 'self'",
            "https://a.example/x",
            "*; script-src *",
            "'unsafe-inline'",
            "ftp://a",
            "https://a..b",
        ] {
            assert_eq!(frame_ancestors(bad), None, "{bad:?}");
        }
    }
}
