use super::EventRef;
use serde::{Deserialize, Serialize};

/// `POST /events`: an event to deliver to every matching webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventIn {
    /// A label or a numeric id of the catalog.
    #[serde(rename = "type")]
    pub event_type: EventRef,
    #[serde(default)]
    pub company_id: Option<String>,
    /// Sent as given, inside the envelope Herald signs.
    pub data: serde_json::Value,
    /// Repeated within 24 h with the same body: the first answer, nothing new delivered.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_length = 255))]
    pub idempotency_key: Option<String>,
    /// An `admin` key may publish for another account.
    #[serde(default)]
    pub account_id: Option<String>,
}

/// The 202 answer to `POST /events`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EventAccepted {
    pub id: String,
    /// How many webhooks will receive it.
    pub deliveries: u64,
}

/// Where a delivery stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum DeliveryStatus {
    Pending,
    Delivering,
    Succeeded,
    Failed,
    /// Waiting for the webhook's circuit to be reset.
    Held,
    /// The webhook was deleted first.
    Cancelled,
}

impl DeliveryStatus {
    pub const ALL: [DeliveryStatus; 6] = [
        DeliveryStatus::Pending,
        DeliveryStatus::Delivering,
        DeliveryStatus::Succeeded,
        DeliveryStatus::Failed,
        DeliveryStatus::Held,
        DeliveryStatus::Cancelled,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            DeliveryStatus::Pending => "pending",
            DeliveryStatus::Delivering => "delivering",
            DeliveryStatus::Succeeded => "succeeded",
            DeliveryStatus::Failed => "failed",
            DeliveryStatus::Held => "held",
            DeliveryStatus::Cancelled => "cancelled",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|status| status.as_str() == text)
    }
}

/// One delivery of one event to one webhook.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryOut {
    pub id: String,
    pub event_id: String,
    pub webhook_id: String,
    pub event_type: String,
    pub status: DeliveryStatus,
    /// A test ping sent by `POST /webhooks/{id}/test`.
    pub is_test: bool,
    pub attempt_count: u32,
    /// When the next attempt is due (pending deliveries).
    pub next_attempt_at: Option<String>,
    pub last_http_status: Option<u16>,
    pub last_error: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

/// A delivery with its payload and every attempt, oldest first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct DeliveryDetail {
    #[serde(flatten)]
    pub delivery: DeliveryOut,
    /// The signed body, as sent on every attempt.
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub payload: serde_json::Value,
    pub attempts: Vec<AttemptOut>,
}

/// One HTTP attempt of a delivery.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct AttemptOut {
    pub number: u32,
    /// `started` (in flight), `succeeded`, `failed`, or `interrupted` (cut short by a crash).
    pub outcome: String,
    pub started_at: String,
    pub duration_ms: Option<u64>,
    pub url: Option<String>,
    pub http_status: Option<u16>,
    /// `timeout`, `connection`, `redirect`, `egress`, `http`, `request`, or
    /// `unsendable` (the secrets could not be opened: nothing was sent).
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    /// As sent; secret values shown as `***`.
    pub request_headers: Vec<HeaderPair>,
    pub response_headers: Vec<HeaderPair>,
    /// The first 4 KiB of the response body.
    pub response_body: Option<String>,
}

/// A header name and value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct HeaderPair {
    pub name: String,
    pub value: String,
}

/// The answer to `POST /webhooks/{id}/test`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct TestResult {
    pub success: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delivery_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub http_status: Option<u16>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<u64>,
    pub message: String,
}
