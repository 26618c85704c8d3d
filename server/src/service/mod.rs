//! The business rules. REST handlers, server functions and the CLI call
//! these functions; only these functions call the store.

mod access;
mod accounts;
mod api_keys;
mod auth;
mod console;
mod console_backend;
mod dashboard;
mod deliveries;
mod error;
mod event_types;
mod events;
mod master_key;
mod paging;
mod rate_limit;
mod read_cache;
mod webhooks;

pub use accounts::{Account, Company};
pub use api_keys::{CreatedApiKey, NewApiKey};
pub use auth::Principal;
pub use deliveries::{DeliveryQuery, NOT_SUBSCRIBED_TO_PING};
pub use error::{RETRY_AFTER_DETAIL, ServiceError};
pub use paging::ListQuery;
pub use rate_limit::ApiRateLimit;
pub use webhooks::ProfileWebhook;

use crate::{clock::Clock, crypto::MasterKey, delivery::Engine, store::Db};

/// What every service operation returns.
pub type ServiceResult<T> = Result<T, ServiceError>;

/// Herald's operations over one database. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct Service {
    db: Db,
    master_key: MasterKey,
    secure_cookies: bool,
    clock: Clock,
    engine: Engine,
    /// Publishes with group commit.
    publisher: crate::store::publisher::Publisher,
    reads: Reads,
    api_rate_limit: Option<ApiRateLimit>,
}

/// The reads answered from memory for a moment (see [`read_cache`]).
#[derive(Clone, Default)]
struct Reads {
    /// The principal of a key, by the key's SHA-256.
    keys: read_cache::ReadCache<String, Principal>,
    catalog: read_cache::ReadCache<(), Vec<app::model::EventType>>,
    /// A page of webhooks: account, company filter, limit, offset.
    webhook_pages: read_cache::ReadCache<(String, Option<String>, i64, i64), WebhookPage>,
}

/// A page of webhooks, shared by the read cache and its readers: a hit
/// copies nothing.
type WebhookPage = std::sync::Arc<app::model::Page<app::model::WebhookOut>>;

/// What a [`Service`] is built from.
pub struct ServiceParts {
    pub db: Db,
    pub master_key: MasterKey,
    /// When Herald is served over https.
    pub secure_cookies: bool,
    pub clock: Clock,
    /// Sends test pings and is woken by publishes.
    pub engine: Engine,
    /// Requests per second per API key; `None` for no limit.
    pub api_rate_limit: Option<ApiRateLimit>,
}

impl Service {
    /// A service over the given database, key, clock and delivery engine.
    pub fn new(parts: ServiceParts) -> Self {
        Self {
            publisher: crate::store::publisher::Publisher::new(
                parts.db.clone(),
                Some(std::sync::Arc::new(parts.engine.clone())),
            ),
            reads: Reads::default(),
            db: parts.db,
            master_key: parts.master_key,
            secure_cookies: parts.secure_cookies,
            clock: parts.clock,
            engine: parts.engine,
            api_rate_limit: parts.api_rate_limit,
        }
    }

    /// The Prometheus text for `GET /metrics`.
    pub async fn metrics_text(&self) -> ServiceResult<String> {
        Ok(self.engine.metrics_text().await?)
    }

    /// Succeeds when the database answers.
    pub async fn check_ready(&self) -> ServiceResult<()> {
        Ok(self.db.ping().await?)
    }
}

/// Checks a user-given name: trimmed, 1 to `max` characters.
fn validate_name(field: &'static str, name: &str, max: usize) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > max {
        let message = format!("{field} must be 1 to {max} characters");
        return Err(app::validate::FieldError::new(field, message).into());
    }
    Ok(name.to_owned())
}

/// A stored time (Unix milliseconds) as the API shows it: ISO 8601 in UTC.
pub(crate) fn iso8601(unix_ms: i64) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .ok()
        .and_then(|moment| moment.format(FORMAT).ok())
        .unwrap_or_default()
}
