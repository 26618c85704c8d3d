//! The portal's inputs: a link's lifetime, an account's display name and accent colour.

use super::FieldError;

/// What every portal link's token starts with (the rest: 32 random bytes as hex).
pub const PORTAL_TOKEN_PREFIX: &str = "pl_";
/// A link's lifetime when none is asked for: one hour.
pub const DEFAULT_LINK_SECONDS: i64 = 60 * 60;
/// The longest a link may live: seven days.
pub const MAX_LINK_SECONDS: i64 = 7 * 24 * 60 * 60;
/// The shortest: a minute, time to open it.
pub const MIN_LINK_SECONDS: i64 = 60;
const MAX_DISPLAY_NAME_CHARS: usize = 100;

/// Whether `token` has a link token's form (`pl_` and 64 hex digits): any
/// other is no link, told so without a look in the database.
pub fn is_link_token(token: &str) -> bool {
    token
        .strip_prefix(PORTAL_TOKEN_PREFIX)
        .is_some_and(|hex| hex.len() == 64 && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The lifetime in seconds: the default when omitted, else 60 to 604800.
pub fn link_lifetime(requested: Option<i64>) -> Result<i64, FieldError> {
    let seconds = requested.unwrap_or(DEFAULT_LINK_SECONDS);
    if (MIN_LINK_SECONDS..=MAX_LINK_SECONDS).contains(&seconds) {
        Ok(seconds)
    } else {
        Err(FieldError::new(
            "expiresInSeconds",
            format!(
                "expiresInSeconds must be between {MIN_LINK_SECONDS} and {MAX_LINK_SECONDS} (7 days)"
            ),
        ))
    }
}

/// A display name, trimmed: 1 to 100 characters; `None` clears it.
pub fn display_name(name: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(name) = name else { return Ok(None) };
    super::required_name("displayName", name, MAX_DISPLAY_NAME_CHARS).map(Some)
}

/// An accent colour, `#rrggbb` (stored lowercase); `None` clears it.
pub fn accent_color(color: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(color) = color else { return Ok(None) };
    let color = color.trim();
    let hex = color.strip_prefix('#').unwrap_or_default();
    if hex.len() == 6 && hex.bytes().all(|byte| byte.is_ascii_hexdigit()) {
        Ok(Some(color.to_ascii_lowercase()))
    } else {
        Err(FieldError::new(
            "accentColor",
            "accentColor must be a colour as #rrggbb, for example #0b6e4f",
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lifetime_is_an_hour_by_default_and_at_most_seven_days() {
        assert_eq!(link_lifetime(None), Ok(3600));
        assert_eq!(link_lifetime(Some(604_800)), Ok(604_800));
        assert_eq!(link_lifetime(Some(60)), Ok(60));
        for bad in [59, 0, -5, 604_801, i64::MAX] {
            assert_eq!(
                link_lifetime(Some(bad)).unwrap_err().field,
                "expiresInSeconds"
            );
        }
    }

    #[test]
    fn an_accent_colour_is_six_hex_digits() {
        assert_eq!(
            accent_color(Some("#0B6E4F")),
            Ok(Some("#0b6e4f".to_owned()))
        );
        assert_eq!(accent_color(None), Ok(None));
        for bad in [
            "0b6e4f",
            "#0b6e4",
            "#0b6e4g",
            "red",
            "#0b6e4f0",
            "",
            "#ｆｆｆｆｆｆ",
        ] {
            assert_eq!(accent_color(Some(bad)).unwrap_err().field, "accentColor");
        }
    }

    #[test]
    fn a_display_name_is_trimmed_and_bounded() {
        assert_eq!(display_name(Some("  Acme  ")), Ok(Some("Acme".to_owned())));
        assert!(display_name(Some(" ")).is_err());
        assert!(display_name(Some(&"x".repeat(101))).is_err());
        assert_eq!(display_name(None), Ok(None));
    }
}
