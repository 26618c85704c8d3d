use super::EventRef;
use serde::{Deserialize, Deserializer, Serialize};

/// A webhook as the API returns it (SPEC §3: exactly these names).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookOut {
    pub id: String,
    pub api_key_id: String,
    pub company_id: Option<String>,
    pub url: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub headers: Vec<HeaderOut>,
    pub events: Vec<String>,
    pub is_active: bool,
    pub disabled_reason: Option<String>,
    pub max_retries: u32,
    pub timeout_ms: u32,
    pub retry_backoff_seconds: u32,
    pub rate_limit_per_second: Option<u32>,
    pub consecutive_failures: u32,
    pub circuit_opened_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A webhook as the console's webhook page shows it: with the 24-hex id
/// the Interactly profile knows it by (SPEC §7.1).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConsoleWebhook {
    /// The webhook as the REST API shows it.
    pub webhook: WebhookOut,
    /// 24 lowercase hex characters.
    pub interactly_id: String,
}

/// The create and rotate answers: the webhook and, this once, its secret.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct WebhookWithSecret {
    #[serde(flatten)]
    pub webhook: WebhookOut,
    /// The 32 secret bytes as hex.
    pub signing_secret: String,
    /// The same bytes in Standard Webhooks form: `whsec_` + base64.
    pub standard_secret: String,
}

/// A custom header as returned: masked headers never show their value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct HeaderOut {
    pub name: String,
    pub is_masked: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

/// A custom header as given. `secret: true` masks it; on update, a masked
/// header's name without a value keeps the stored value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct HeaderIn {
    pub name: String,
    #[serde(default)]
    pub value: Option<String>,
    #[serde(default)]
    pub secret: Option<bool>,
}

/// `POST /webhooks`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookIn {
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2048, example = "https://api.example.com/webhooks/herald")
    )]
    pub url: String,
    pub events: Vec<EventRef>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 255))]
    pub name: Option<String>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: Option<String>,
    #[serde(default)]
    pub company_id: Option<String>,
    #[serde(default)]
    pub headers: Vec<HeaderIn>,
    #[serde(default)]
    pub is_active: Option<bool>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub max_retries: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1000, maximum = 60000))]
    pub timeout_ms: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 300))]
    pub retry_backoff_seconds: Option<u32>,
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub rate_limit_per_second: Option<u32>,
    /// An `admin` key may create in another account.
    #[serde(default)]
    pub account_id: Option<String>,
}

impl WebhookIn {
    /// A webhook of `url` for `events` with every other setting at its default.
    pub fn new(url: String, events: Vec<EventRef>) -> Self {
        Self {
            url,
            events,
            name: None,
            description: None,
            company_id: None,
            headers: Vec::new(),
            is_active: None,
            max_retries: None,
            timeout_ms: None,
            retry_backoff_seconds: None,
            rate_limit_per_second: None,
            account_id: None,
        }
    }
}

/// `PATCH /webhooks/{id}`: absent fields stay; `null` clears a nullable one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookPatch {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 2048, example = "https://api.example.com/webhooks/herald")
    )]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub events: Option<Vec<EventRef>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(max_length = 255))]
    pub name: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(max_length = 2000))]
    pub description: Option<Option<String>>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    pub company_id: Option<Option<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub headers: Option<Vec<HeaderIn>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_active: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 0, maximum = 10))]
    pub max_retries: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1000, maximum = 60000))]
    pub timeout_ms: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 300))]
    pub retry_backoff_seconds: Option<u32>,
    #[serde(
        default,
        deserialize_with = "present",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "openapi", schema(minimum = 1, maximum = 10000))]
    pub rate_limit_per_second: Option<Option<u32>>,
}

/// A field that is present, possibly `null` (`Some(None)`), as opposed to absent (`None`).
pub(crate) fn present<'de, T: Deserialize<'de>, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(deserializer).map(Some)
}

/// One page of a list: `{"data": [...], "total": N}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Page<T> {
    pub data: Vec<T>,
    pub total: u64,
}
