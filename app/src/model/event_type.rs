use serde::{Deserialize, Serialize};

/// An entry of the event-type catalog: a stable numeric id and a label.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct EventType {
    pub id: i64,
    pub label: String,
    pub description: String,
    /// Retired types take no new subscriptions.
    pub retired: bool,
}

/// How a client names an event type: its label or its numeric id.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum EventRef {
    Id(i64),
    Label(String),
}

/// The label that subscribes to every event type, present and future.
pub const ALL_EVENTS: &str = "*";
