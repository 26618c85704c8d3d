use serde::{Deserialize, Serialize};

/// An entry of the event-type catalog: a stable numeric id and a label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase")]
pub struct EventType {
    pub id: i64,
    pub label: String,
    pub description: String,
    /// Retired types take no new subscriptions.
    pub retired: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub example_payload: Option<serde_json::Value>,
}

/// `POST /event-types` (admin): a new type takes the next free id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct EventTypeIn {
    pub label: String,
    pub description: String,
    #[serde(default)]
    pub example_payload: Option<serde_json::Value>,
}

/// How a client names an event type: its label or its numeric id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(untagged)]
pub enum EventRef {
    Id(i64),
    Label(String),
}

/// The label that subscribes to every event type, present and future.
pub const ALL_EVENTS: &str = "*";
