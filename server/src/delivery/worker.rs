//! The worker loop: claim due deliveries, send each in its own task, and
//! keep this process's heartbeat so others can take over if it dies.

use super::Engine;
use crate::store::{self, deliveries, workers};
use std::{sync::Arc, time::Duration};
use tokio_util::sync::CancellationToken;

/// A process whose heartbeat is older than this is gone.
pub const STALE_AFTER_MS: i64 = 5_000;
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);
/// The longest the loop sleeps without looking at the queue.
const IDLE_POLL: Duration = Duration::from_secs(1);
const CLAIM_BATCH: usize = 64;
/// How many due deliveries a claim looks at to fill its batch within the
/// per-webhook limits.
const DUE_WINDOW: i64 = 256;
/// How often the claim loop holds the deliveries of open circuits and
/// releases those of closed ones: a write each time, so not every pass.
const SWEEP_EVERY: Duration = Duration::from_millis(250);
const RETENTION_EVERY: Duration = Duration::from_secs(3600);
const DAY_MS: i64 = 24 * 60 * 60 * 1000;

/// What a process's worker does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkerRole {
    /// Claims and sends deliveries (`herald serve`, `herald worker`).
    Deliver,
    /// Only keeps the heartbeat, so the test pings this process sends stay
    /// its own (`herald serve --no-worker`).
    HeartbeatOnly,
}

/// Runs until `cancel` fires. A delivering worker then stops claiming, lets
/// attempts in flight finish until `grace` runs out, gives back the rest
/// and leaves.
pub async fn run_worker(
    engine: Engine,
    role: WorkerRole,
    cancel: CancellationToken,
    grace: Duration,
) {
    if let Err(error) = workers::beat(&engine.inner.db, engine.worker_id(), store::now_ms()).await {
        tracing::error!(%error, "cannot register the worker");
    }
    let heartbeat = tokio::spawn(heartbeat(engine.clone(), cancel.clone()));
    if role == WorkerRole::HeartbeatOnly {
        cancel.cancelled().await;
        heartbeat.abort();
        let _ = workers::leave(&engine.inner.db, engine.worker_id()).await;
        return;
    }
    let retention = tokio::spawn(retention(engine.clone(), cancel.clone()));
    let listener = tokio::spawn(listen_for_work(engine.clone(), cancel.clone()));
    tracing::info!(worker = engine.worker_id(), "delivery worker started");
    let mut swept_at = tokio::time::Instant::now() - SWEEP_EVERY;
    while !cancel.is_cancelled() {
        if swept_at.elapsed() >= SWEEP_EVERY {
            swept_at = tokio::time::Instant::now();
            if let Err(error) = deliveries::hold_and_cancel(&engine.inner.db, store::now_ms()).await
            {
                tracing::warn!(%error, "holding and cancelling deliveries failed");
            }
        }
        let claimed = match engine.claim_and_dispatch().await {
            Ok(claimed) => claimed,
            Err(error) => {
                tracing::error!(%error, "claiming deliveries failed");
                0
            }
        };
        if claimed < CLAIM_BATCH {
            engine.idle(&cancel).await;
        }
    }
    engine.drain(grace).await;
    heartbeat.abort();
    retention.abort();
    listener.abort();
    let now = store::now_ms();
    match deliveries::release(&engine.inner.db, engine.worker_id(), now).await {
        Ok(0) => {}
        Ok(released) => tracing::info!(released, "gave back unfinished deliveries"),
        Err(error) => tracing::error!(%error, "giving back deliveries failed"),
    }
    if let Err(error) = workers::leave(&engine.inner.db, engine.worker_id()).await {
        tracing::warn!(%error, "could not deregister the worker");
    }
    tracing::info!("delivery worker stopped");
}

impl Engine {
    /// Claims what is due (within the free capacity and per-webhook limits)
    /// and starts an attempt task for each; returns how many.
    async fn claim_and_dispatch(&self) -> Result<usize, store::StoreError> {
        let db = &self.inner.db;
        let now = store::now_ms();
        let free = self.inner.permits.available_permits().min(CLAIM_BATCH);
        if free == 0 {
            return Ok(0);
        }
        let candidates = deliveries::due(db, &self.saturated(), now, DUE_WINDOW).await?;
        let mut ids = self.within_concurrency(candidates);
        ids.truncate(free);
        let claimed = deliveries::claim(db, &ids, self.worker_id(), now, new_id).await?;
        let count = claimed.len();
        for row in claimed {
            self.dispatch(row);
        }
        Ok(count)
    }

    /// The webhooks with their concurrency limit of attempts in flight here.
    fn saturated(&self) -> Vec<String> {
        let in_flight = self.inner.in_flight.lock().expect("never poisoned");
        in_flight
            .iter()
            .filter(|(_, busy)| **busy >= deliveries::PER_WEBHOOK_CONCURRENCY)
            .map(|(webhook_id, _)| webhook_id.clone())
            .collect()
    }

    /// Drops candidates whose webhook already has its concurrency limit of
    /// attempts in flight in this process.
    fn within_concurrency(&self, candidates: Vec<(String, String)>) -> Vec<String> {
        let in_flight = self.inner.in_flight.lock().expect("never poisoned");
        let mut taken: std::collections::HashMap<&str, i64> = std::collections::HashMap::new();
        let mut ids = Vec::with_capacity(candidates.len());
        for (id, webhook_id) in &candidates {
            let busy = in_flight.get(webhook_id).copied().unwrap_or(0);
            let count = taken.entry(webhook_id.as_str()).or_insert(0);
            if busy + *count < deliveries::PER_WEBHOOK_CONCURRENCY {
                *count += 1;
                ids.push(id.clone());
            }
        }
        ids
    }

    fn dispatch(&self, row: deliveries::ClaimedRow) {
        let Ok(permit) = Arc::clone(&self.inner.permits).try_acquire_owned() else {
            // Capacity was checked before claiming; should it be gone, the
            // lease runs out and the delivery returns to the queue.
            tracing::warn!(delivery = %row.delivery_id, "no capacity for a claimed delivery");
            return;
        };
        let webhook_id = row.webhook_id.clone();
        self.adjust_in_flight(&webhook_id, 1);
        let engine = self.clone();
        tokio::spawn(async move {
            if let Err(error) = engine.attempt(row).await {
                tracing::error!(%error, "an attempt could not be recorded");
            }
            engine.adjust_in_flight(&webhook_id, -1);
            drop(permit);
            engine.wake();
        });
    }

    fn adjust_in_flight(&self, webhook_id: &str, by: i64) {
        let mut in_flight = self.inner.in_flight.lock().expect("never poisoned");
        let count = in_flight.entry(webhook_id.to_owned()).or_insert(0);
        *count += by;
        if *count <= 0 {
            in_flight.remove(webhook_id);
        }
    }

    /// Sleeps until woken, until the next delivery is due, or a poll interval.
    async fn idle(&self, cancel: &CancellationToken) {
        let wait = match deliveries::next_due_at(&self.inner.db).await {
            Ok(Some(at)) => Duration::from_millis(u64::try_from(at - store::now_ms()).unwrap_or(0))
                .min(IDLE_POLL),
            _ => IDLE_POLL,
        };
        if wait.is_zero() && self.inner.permits.available_permits() > 0 {
            // Due work that could not be claimed (its webhooks are at their
            // limit): wait for an attempt to finish rather than spin.
            tokio::select! {
                () = self.inner.wake.notified() => {}
                () = tokio::time::sleep(Duration::from_millis(50)) => {}
                () = cancel.cancelled() => {}
            }
            return;
        }
        tokio::select! {
            () = self.inner.wake.notified() => {}
            () = tokio::time::sleep(wait) => {}
            () = cancel.cancelled() => {}
        }
    }

    /// Waits for attempts in flight to finish, at most `grace`.
    async fn drain(&self, grace: Duration) {
        let all = u32::try_from(self.inner.settings.max_in_flight).unwrap_or(u32::MAX);
        let permits = Arc::clone(&self.inner.permits);
        if tokio::time::timeout(grace, permits.acquire_many_owned(all))
            .await
            .is_err()
        {
            tracing::warn!("attempts still in flight at the shutdown deadline");
        }
    }
}

/// Every second: refresh this process's heartbeat, forget processes that
/// stopped beating and put their deliveries (and expired leases) back.
async fn heartbeat(engine: Engine, cancel: CancellationToken) {
    let db = &engine.inner.db;
    while !cancel.is_cancelled() {
        let now = store::now_ms();
        let beat = async {
            workers::beat(db, engine.worker_id(), now).await?;
            workers::forget_stale(db, now - STALE_AFTER_MS).await?;
            deliveries::reclaim_abandoned(db, now).await
        };
        match beat.await {
            Ok(0) => {}
            Ok(requeued) => {
                tracing::info!(requeued, "took back deliveries of a stopped process");
                engine.wake();
            }
            Err(error) => tracing::warn!(%error, "heartbeat failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(HEARTBEAT_EVERY) => {}
            () = cancel.cancelled() => {}
        }
    }
}

/// On PostgreSQL, wakes this worker when another process announces work.
async fn listen_for_work(engine: Engine, cancel: CancellationToken) {
    let store::Db::Postgres(pool) = &engine.inner.db else {
        return;
    };
    while !cancel.is_cancelled() {
        tokio::select! {
            error = relay_notifications(pool, &engine) => {
                tracing::warn!(%error, "listening for work failed; retrying");
            }
            () = cancel.cancelled() => return,
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Wakes the engine on every notification until the connection fails.
async fn relay_notifications(pool: &sqlx::PgPool, engine: &Engine) -> sqlx::Error {
    let mut listener = match sqlx::postgres::PgListener::connect_with(pool).await {
        Ok(listener) => listener,
        Err(error) => return error,
    };
    if let Err(error) = listener.listen(workers::WORK_CHANNEL).await {
        return error;
    }
    loop {
        if let Err(error) = listener.recv().await {
            return error;
        }
        engine.wake();
    }
}

/// Hourly: purge deliveries and attempts older than the retention period.
async fn retention(engine: Engine, cancel: CancellationToken) {
    while !cancel.is_cancelled() {
        let days = i64::from(engine.inner.settings.retention_days);
        let cutoff = store::now_ms() - days * DAY_MS;
        match deliveries::purge_before(&engine.inner.db, cutoff).await {
            Ok(0) => {}
            Ok(purged) => tracing::info!(purged, "purged old deliveries"),
            Err(error) => tracing::warn!(%error, "purging old deliveries failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(RETENTION_EVERY) => {}
            () = cancel.cancelled() => {}
        }
    }
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
