//! The delivery engine (SPEC §4): claims due deliveries from the database
//! queue, signs and sends them, and records every attempt, its retry and
//! its webhook's circuit. The database is the only source of truth: a
//! process that dies loses nothing, its claims return to the queue.

mod attempt;
pub mod egress;
mod metrics;
mod recorder;
pub mod schedule;
mod send;
pub mod sign;
mod worker;

pub use attempt::{AttemptReport, DeliveryError};
pub use send::BODY_EXCERPT_BYTES;
pub use worker::{WorkerRole, run_worker};

use crate::{clock::Clock, crypto::MasterKey, store::Db};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use tokio::sync::{Notify, Semaphore};

/// How the engine behaves; from the configuration.
#[derive(Debug, Clone)]
pub struct EngineSettings {
    /// Failed attempts in a row that open a webhook's circuit.
    pub circuit_threshold: u32,
    /// Attempts in flight in this process at most.
    pub max_in_flight: usize,
    /// Deliveries and attempts older than this many days are purged.
    pub retention_days: u32,
    /// Refuse every destination that is not a public address.
    pub public_only: bool,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            circuit_threshold: 5,
            max_in_flight: 256,
            retention_days: 30,
            public_only: false,
        }
    }
}

/// The sending side of Herald, shared by the worker loop and the test ping.
/// Cheap to clone.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    master_key: MasterKey,
    clock: Clock,
    client: reqwest::Client,
    settings: EngineSettings,
    /// This process in the `workers` table and in `locked_by`.
    worker_id: String,
    /// Rung on publish, on a finished attempt and on a reset circuit.
    wake: Notify,
    permits: Arc<Semaphore>,
    in_flight: Mutex<HashMap<String, i64>>,
    limiters: Mutex<HashMap<String, (i64, Arc<attempt::RateLimiter>)>>,
    metrics: metrics::Metrics,
    /// Started on first use, inside the runtime.
    recorder: std::sync::OnceLock<tokio::sync::mpsc::UnboundedSender<recorder::RecordJob>>,
}

impl Engine {
    /// An engine over `db` for this process (a fresh worker id).
    pub fn new(db: Db, master_key: MasterKey, clock: Clock, settings: EngineSettings) -> Self {
        let permits = Arc::new(Semaphore::new(settings.max_in_flight));
        Self {
            inner: Arc::new(Inner {
                db,
                master_key,
                clock,
                client: send::client(settings.public_only),
                settings,
                worker_id: uuid::Uuid::new_v4().to_string(),
                wake: Notify::new(),
                permits,
                in_flight: Mutex::new(HashMap::new()),
                limiters: Mutex::new(HashMap::new()),
                metrics: metrics::Metrics::default(),
                recorder: std::sync::OnceLock::new(),
            }),
        }
    }

    /// Tells this process's worker there may be new work (a publish).
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// Tells the workers of every process (a reset circuit, a manual retry,
    /// a reactivated webhook: work that no publish announces).
    pub fn wake_everywhere(&self) {
        self.wake();
        let db = self.inner.db.clone();
        tokio::spawn(async move {
            if let Err(error) = crate::store::workers::notify_work(&db).await {
                tracing::warn!(%error, "could not notify other workers");
            }
        });
    }

    /// The Prometheus text of this process's metrics.
    pub async fn metrics_text(&self) -> Result<String, crate::store::StoreError> {
        self.inner.metrics.render(&self.inner.db).await
    }

    /// This process's id in `locked_by`.
    pub fn worker_id(&self) -> &str {
        &self.inner.worker_id
    }
}
