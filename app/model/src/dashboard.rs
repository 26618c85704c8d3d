use serde::{Deserialize, Serialize};

/// The console dashboard: delivery volume per minute over the last hour,
/// the success rate, and each webhook's health.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Dashboard {
    /// Sixty minutes, oldest first, the current minute last.
    pub minutes: Vec<MinuteVolume>,
    /// Succeeded among finished deliveries of the hour, 0 to 1; none when
    /// nothing finished.
    pub success_rate: Option<f64>,
    pub webhooks: Vec<WebhookHealth>,
}

/// Deliveries created in one minute, by where they stand now.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MinuteVolume {
    /// The minute's start, RFC 3339 UTC.
    pub minute: String,
    pub succeeded: u64,
    pub failed: u64,
    /// Pending, delivering, held or cancelled.
    pub other: u64,
}

impl MinuteVolume {
    pub fn total(&self) -> u64 {
        self.succeeded + self.failed + self.other
    }
}

/// One webhook's last hour.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WebhookHealth {
    pub id: String,
    pub name: String,
    pub is_active: bool,
    pub circuit_open: bool,
    pub consecutive_failures: u32,
    pub succeeded: u64,
    pub failed: u64,
    pub other: u64,
}
