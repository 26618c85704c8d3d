//! The business rules. REST handlers, server functions and the CLI call
//! these functions; only these functions call the store. Access is checked
//! here, once, whichever adapter asks.

mod access;
mod accounts;
mod api_keys;
mod auth;
mod dashboard;
mod deliveries;
mod error;
mod event_types;
mod events;
mod master_key;
mod paging;
mod portal;
mod rate_limit;
mod read_cache;
mod sessions;
mod webhooks;

pub use accounts::{Account, Company};
pub use api_keys::{CreatedApiKey, NewApiKey};
pub use auth::Principal;
pub use deliveries::{DeliveryQuery, NOT_SUBSCRIBED_TO_PING};
pub use error::{RETRY_AFTER_DETAIL, ServiceError};
pub use paging::ListQuery;
pub use portal::{OpenedPortal, PortalAccess};
pub use rate_limit::ApiRateLimit;
pub use sessions::ConsoleSession;
pub use webhooks::ProfileWebhook;

use herald_engine::{Engine, clock::Clock, crypto::MasterKey, publisher::Publisher};
use herald_store::Db;

/// What every service operation returns.
pub type ServiceResult<T> = Result<T, ServiceError>;

/// Herald's operations over one database. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct Service {
    db: Db,
    master_key: MasterKey,
    secure_cookies: bool,
    /// The address browsers reach Herald at, without a trailing slash: portal links start with it.
    public_url: String,
    clock: Clock,
    engine: Engine,
    /// Publishes with group commit.
    publisher: Publisher,
    read_caches: ReadCaches,
    api_rate_limit: Option<ApiRateLimit>,
}

/// The reads answered from memory for a moment (see [`read_cache`]).
#[derive(Clone, Default)]
struct ReadCaches {
    /// The principal of a key, by the key's SHA-256.
    keys: read_cache::ReadCache<String, Principal>,
    catalog: read_cache::ReadCache<(), Vec<herald_model::EventType>>,
    /// A page of webhooks: account, company filter, limit, offset.
    webhook_pages: read_cache::ReadCache<(String, Option<String>, i64, i64), WebhookPage>,
}

/// A page of webhooks, shared by the read cache and its readers: a hit
/// copies nothing.
type WebhookPage = std::sync::Arc<herald_model::Page<herald_model::WebhookOut>>;

/// What a [`Service`] is built from.
pub struct ServiceParts {
    pub db: Db,
    pub master_key: MasterKey,
    /// When Herald is served over https.
    pub secure_cookies: bool,
    /// The address browsers reach Herald at (`HERALD_PUBLIC_URL`, else the listening address).
    pub public_url: String,
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
            publisher: Publisher::new(parts.engine.clone()),
            read_caches: ReadCaches::default(),
            db: parts.db,
            master_key: parts.master_key,
            secure_cookies: parts.secure_cookies,
            public_url: parts.public_url.trim_end_matches('/').to_owned(),
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

pub(crate) use herald_engine::clock::iso8601;
