//! The customer portal's wire types (SPEC §8): links, and what a portal
//! session shows of its account.

use super::webhook::present;
use serde::{Deserialize, Serialize};

/// `POST /portal-links`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PortalLinkIn {
    pub company_id: String,
    /// How long the link opens the portal; 3600 when omitted, at most 604800 (7 days).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 60, maximum = 604800))]
    pub expires_in_seconds: Option<i64>,
    /// A read-only link shows everything and changes nothing.
    #[serde(default)]
    pub read_only: Option<bool>,
}

/// The answer to `POST /portal-links`: the only time the link's URL is shown.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PortalLinkCreated {
    pub id: String,
    #[cfg_attr(
        feature = "openapi",
        schema(example = "https://herald.example.com/portal/pl_3kTMd9...")
    )]
    pub url: String,
    pub expires_at: String,
}

/// A live link, as `GET /portal-links` lists it (never with its token).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct PortalLinkOut {
    pub id: String,
    pub company_id: String,
    pub company_name: String,
    pub read_only: bool,
    /// The key that made the link; revoking that key ends the link too.
    pub api_key_id: String,
    pub created_at: String,
    pub expires_at: String,
}

/// `PATCH /accounts/{id}`: the fields sent change; `null` clears a portal setting.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountPatch {
    /// What the customer portal calls the account; its name when unset.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(max_length = 100))]
    pub display_name: Option<Option<String>>,
    /// The portal's accent colour, `#rrggbb`.
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(example = "#0b6e4f"))]
    pub accent_color: Option<Option<String>>,
}

/// Who a portal session acts for, as its pages show it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PortalView {
    /// The account's display name (its name when it set none).
    pub account_name: String,
    pub accent_color: Option<String>,
    pub company_name: String,
    pub read_only: bool,
    /// What the session may do (the pages show only those controls).
    pub scopes: Vec<super::Scope>,
    pub expires_at: String,
}
