use super::Scope;
use serde::{Deserialize, Serialize};

/// An account (tenant), as `GET/POST /accounts` return it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AccountOut {
    pub id: String,
    pub name: String,
    pub created_at: String,
    /// What the customer portal calls the account (`null`: its name).
    pub display_name: Option<String>,
    /// The customer portal's accent colour, `#rrggbb`.
    pub accent_color: Option<String>,
}

/// `POST /accounts`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AccountIn {
    pub name: String,
}

/// A company of an account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct CompanyOut {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub created_at: String,
}

/// `POST /companies`; an `admin` key may name another account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct CompanyIn {
    pub name: String,
    #[serde(default)]
    pub account_id: Option<String>,
}

/// An API key as listed: never the key itself, only its visible prefix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyOut {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub prefix: String,
    pub scopes: Vec<Scope>,
    pub company_id: Option<String>,
    pub created_at: String,
    pub revoked_at: Option<String>,
}

/// A key just created: the only answer that carries `key`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyCreated {
    #[serde(flatten)]
    pub api_key: ApiKeyOut,
    pub key: String,
}

/// `POST /api-keys`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiKeyIn {
    pub name: String,
    pub scopes: Vec<Scope>,
    #[serde(default)]
    pub company_id: Option<String>,
    #[serde(default)]
    pub account_id: Option<String>,
}
