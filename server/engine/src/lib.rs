//! The delivery engine (SPEC §4): claims due deliveries from the database
//! queue, signs and sends them, and records every attempt, its retry and
//! its webhook's circuit. The database is the only source of truth: a
//! process that dies loses nothing, its claims return to the queue.

mod attempt;
pub mod clock;
mod confirm;
pub mod crypto;
mod dispatch;
pub mod egress;
mod lanes;
mod metrics;
pub mod publisher;
pub mod schedule;
mod send;
pub mod sign;
mod sole_worker;
mod worker;
mod writer;

pub use attempt::{AttemptReport, DeliveryError};
pub use lanes::{LEASE, PER_WEBHOOK_CONCURRENCY, UNRECORDED_PER_WEBHOOK};
pub use sole_worker::{SoleWorker, SoleWorkerError};
pub use worker::{WorkerRole, run_worker};

use clock::Clock;
use crypto::MasterKey;
use herald_store::Db;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex, atomic::AtomicBool},
};
use tokio::sync::{Notify, Semaphore};
use tokio_util::{sync::CancellationToken, task::TaskTracker};

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
    /// Send every attempt through this proxy (`HERALD_PROXY`).
    pub proxy: Option<url::Url>,
}

impl Default for EngineSettings {
    fn default() -> Self {
        Self {
            circuit_threshold: 5,
            max_in_flight: 256,
            retention_days: 30,
            public_only: false,
            proxy: None,
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
    /// Rung when a lane has room again, and on work no publish claimed
    /// (a reset circuit, a manual retry, a reclaim).
    wake: Notify,
    /// Requests out at once in this process.
    permits: Arc<Semaphore>,
    /// What this process holds of each webhook's deliveries.
    lanes: Arc<lanes::Lanes>,
    /// Whether this process claims deliveries (its worker runs and is not stopping).
    accepting: AtomicBool,
    /// Fired at shutdown: deliveries still waiting for their turn go back.
    stopping: CancellationToken,
    /// Every claimed delivery's task, so that shutdown can wait for them.
    tasks: TaskTracker,
    /// Where those tasks run: the runtime the engine was made on.
    runtime: tokio::runtime::Handle,
    limiters: Mutex<HashMap<String, (i64, Arc<attempt::RateLimiter>)>>,
    metrics: metrics::Metrics,
    /// Where publishes and attempt records wait for the writer's beat.
    writer: writer::Writer,
    /// Where a delivery about to go out checks that its webhook did not change.
    confirmations: confirm::Confirmations,
}

/// Deliveries this process may hold per request it may have out at once.
const HELD_PER_IN_FLIGHT: usize = lanes::LANE_ROUNDS as usize;

impl Engine {
    /// An engine over `db` for this process (a fresh worker id).
    pub fn new(db: Db, master_key: MasterKey, clock: Clock, settings: EngineSettings) -> Self {
        let permits = Arc::new(Semaphore::new(settings.max_in_flight));
        let lanes = Arc::new(lanes::Lanes::new(
            settings.max_in_flight * HELD_PER_IN_FLIGHT,
        ));
        let inner = Arc::new_cyclic(|engine| Inner {
            writer: writer::Writer::new(writer::Beat {
                engine: engine.clone(),
                db: db.clone(),
                lanes: Arc::clone(&lanes),
                clock: clock.clone(),
            }),
            confirmations: confirm::Confirmations::start(db.clone()),
            db,
            master_key,
            clock,
            client: send::client(settings.public_only, settings.proxy.as_ref()),
            settings,
            worker_id: uuid::Uuid::new_v4().to_string(),
            wake: Notify::new(),
            permits,
            lanes,
            accepting: AtomicBool::new(false),
            stopping: CancellationToken::new(),
            tasks: TaskTracker::new(),
            runtime: tokio::runtime::Handle::current(),
            limiters: Mutex::new(HashMap::new()),
            metrics: metrics::Metrics::default(),
        });
        Self { inner }
    }

    /// Tells this process's worker there may be work to claim.
    pub fn wake(&self) {
        self.inner.wake.notify_one();
    }

    /// The webhook changed (edited, deleted, deactivated, secret rotated):
    /// what this process claimed of it and has not sent yet goes back to
    /// the queue, to be claimed again as the webhook now is.
    pub fn webhook_changed(&self, webhook_id: &str) {
        self.inner.lanes.invalidate(webhook_id);
    }

    /// Tells the workers of every process (a reset circuit, a manual retry,
    /// a reactivated webhook: work that no publish announces).
    pub fn wake_everywhere(&self) {
        self.wake();
        let db = self.inner.db.clone();
        tokio::spawn(async move {
            if let Err(error) = herald_store::workers::notify_work(&db).await {
                tracing::warn!(%error, "could not notify other workers");
            }
        });
    }

    /// The Prometheus text of this process's metrics.
    pub async fn metrics_text(&self) -> Result<String, herald_store::StoreError> {
        self.inner.metrics.render(&self.inner.db).await
    }

    /// Why this engine would never send to `url`: under `public-only`, a
    /// host that is an IP literal outside the public ranges. Names are
    /// checked at delivery, on the address connected to.
    pub fn refuses_destination(&self, url: &str) -> Option<egress::EgressRefused> {
        if !self.inner.settings.public_only {
            return None;
        }
        egress::check_literal(url).err()
    }

    /// This process's id in `locked_by`.
    pub fn worker_id(&self) -> &str {
        &self.inner.worker_id
    }
}
