use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// What an API key may do (SPEC §2). `admin` implies every other scope;
/// no other scope implies anything.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Scope {
    #[serde(rename = "read:webhooks")]
    ReadWebhooks,
    #[serde(rename = "write:webhooks")]
    WriteWebhooks,
    #[serde(rename = "write:events")]
    WriteEvents,
    #[serde(rename = "read:deliveries")]
    ReadDeliveries,
    #[serde(rename = "manage:account")]
    ManageAccount,
    #[serde(rename = "admin")]
    Admin,
}

impl Scope {
    pub const ALL: [Scope; 6] = [
        Scope::ReadWebhooks,
        Scope::WriteWebhooks,
        Scope::WriteEvents,
        Scope::ReadDeliveries,
        Scope::ManageAccount,
        Scope::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scope::ReadWebhooks => "read:webhooks",
            Scope::WriteWebhooks => "write:webhooks",
            Scope::WriteEvents => "write:events",
            Scope::ReadDeliveries => "read:deliveries",
            Scope::ManageAccount => "manage:account",
            Scope::Admin => "admin",
        }
    }

    /// Whether a key holding `held` may act with `self`.
    pub fn is_granted_by(self, held: &[Scope]) -> bool {
        held.iter().any(|h| *h == self || *h == Scope::Admin)
    }

    /// Parses a comma-separated list such as `read:webhooks,write:webhooks`.
    /// Duplicates collapse; an empty list is an error.
    pub fn parse_list(list: &str) -> Result<Vec<Scope>, ScopeParseError> {
        let mut scopes = list
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(Scope::from_str)
            .collect::<Result<Vec<_>, _>>()?;
        scopes.sort();
        scopes.dedup();
        if scopes.is_empty() {
            return Err(ScopeParseError(String::new()));
        }
        Ok(scopes)
    }

    /// The canonical comma-separated form of a list of scopes.
    pub fn join(scopes: &[Scope]) -> String {
        scopes
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(",")
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A scope name that Herald does not know (empty when no scope was given).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown scope {0:?}; known scopes: read:webhooks, write:webhooks, write:events, read:deliveries, manage:account, admin"
)]
pub struct ScopeParseError(pub String);

impl FromStr for Scope {
    type Err = ScopeParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scope::ALL
            .into_iter()
            .find(|scope| scope.as_str() == s)
            .ok_or_else(|| ScopeParseError(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admin_implies_every_scope_and_nothing_else_implies_another() {
        for scope in Scope::ALL {
            assert!(scope.is_granted_by(&[Scope::Admin]));
            assert!(scope.is_granted_by(&[scope]));
        }
        assert!(!Scope::WriteWebhooks.is_granted_by(&[Scope::ReadWebhooks]));
        assert!(!Scope::Admin.is_granted_by(&[Scope::ManageAccount]));
    }

    #[test]
    fn scope_lists_parse_trim_and_dedup() {
        assert_eq!(
            Scope::parse_list("write:webhooks, read:webhooks,read:webhooks").unwrap(),
            vec![Scope::ReadWebhooks, Scope::WriteWebhooks]
        );
        assert_eq!(
            Scope::parse_list("read:webhook").unwrap_err(),
            ScopeParseError("read:webhook".into())
        );
        assert!(Scope::parse_list(" , ").is_err());
    }

    #[test]
    fn scopes_round_trip_through_their_names() {
        for scope in Scope::ALL {
            assert_eq!(scope.to_string().parse::<Scope>().unwrap(), scope);
        }
        assert_eq!(
            Scope::join(&[Scope::ReadWebhooks, Scope::Admin]),
            "read:webhooks,admin"
        );
    }
}
