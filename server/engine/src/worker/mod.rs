//! The worker loop: claim due deliveries, send each in its own task, and
//! keep this process's heartbeat so others can take over if it dies.

mod side_loops;

use super::Engine;
use herald_store::{self, claims, queue_upkeep, workers};
use side_loops::{heartbeat, listen_for_work, retention};
use std::{collections::HashMap, sync::atomic::Ordering, time::Duration};
use tokio_util::sync::CancellationToken;

/// A process whose heartbeat is older than this is gone: three beats
/// missed. (On SQLite the one delivering process knows it at start, see
/// `SoleWorker`.)
pub const STALE_AFTER_MS: i64 = 3_000;
const HEARTBEAT_EVERY: Duration = Duration::from_secs(1);
/// How often this process looks for processes that stopped beating (two
/// reads when there are none): a dead one's work goes back within
/// [`STALE_AFTER_MS`] and this of its last beat, inside the README's 5 s.
const LOOK_FOR_STALE_EVERY: Duration = Duration::from_millis(250);
/// The longest the loop sleeps without looking at the queue.
const IDLE_POLL: Duration = Duration::from_secs(1);
const CLAIM_BATCH: usize = 512;
/// How many due deliveries a claim looks at to fill its batch within the
/// per-webhook limits.
const DUE_WINDOW: i64 = 1024;
/// How often the claim loop holds the deliveries of open circuits and
/// releases those of closed ones: a write each time, so not every pass.
const SWEEP_EVERY: Duration = Duration::from_millis(250);
/// How often deliveries of deleted webhooks that came back to the queue are
/// cancelled: they are never sent meanwhile, and looking reads the queue.
const CANCEL_EVERY: Duration = Duration::from_secs(10);
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
    if let Err(error) = workers::beat(
        &engine.inner.db,
        engine.worker_id(),
        engine.inner.clock.now_ms(),
    )
    .await
    {
        tracing::error!(%error, "cannot register the worker");
    }
    // On SQLite the one delivering process takes work back; a process that
    // only serves must not, or a late beat of the live one would look dead.
    let takes_over =
        role == WorkerRole::Deliver || matches!(engine.inner.db, herald_store::Db::Postgres(_));
    let heartbeat = tokio::spawn(heartbeat(engine.clone(), takes_over, cancel.clone()));
    if role == WorkerRole::HeartbeatOnly {
        cancel.cancelled().await;
        heartbeat.abort();
        let _ = workers::leave(&engine.inner.db, engine.worker_id()).await;
        return;
    }
    engine.inner.accepting.store(true, Ordering::Release);
    let retention = tokio::spawn(retention(engine.clone(), cancel.clone()));
    let listener = tokio::spawn(listen_for_work(engine.clone(), cancel.clone()));
    tracing::info!(worker = engine.worker_id(), "delivery worker started");
    let mut swept_at = tokio::time::Instant::now() - SWEEP_EVERY;
    let mut cancelled_at = tokio::time::Instant::now() - CANCEL_EVERY;
    while !cancel.is_cancelled() {
        if swept_at.elapsed() >= SWEEP_EVERY {
            swept_at = tokio::time::Instant::now();
            if let Err(error) =
                queue_upkeep::hold_and_release(&engine.inner.db, engine.inner.clock.now_ms()).await
            {
                tracing::warn!(%error, "holding and releasing deliveries failed");
            }
        }
        if cancelled_at.elapsed() >= CANCEL_EVERY {
            cancelled_at = tokio::time::Instant::now();
            if let Err(error) =
                queue_upkeep::cancel_orphans(&engine.inner.db, engine.inner.clock.now_ms()).await
            {
                tracing::warn!(%error, "cancelling deliveries of deleted webhooks failed");
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
    let now = engine.inner.clock.now_ms();
    match queue_upkeep::release(&engine.inner.db, engine.worker_id(), now).await {
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
    /// Claims what is due (within the room in this process's lanes) and
    /// starts the delivery of each; returns how many.
    async fn claim_and_dispatch(&self) -> Result<usize, herald_store::StoreError> {
        let db = &self.inner.db;
        let lanes = &self.inner.lanes;
        let free = lanes.free().min(CLAIM_BATCH);
        if free == 0 {
            return Ok(0);
        }
        let now = self.inner.clock.now_ms();
        let candidates = claims::due(db, &lanes.full(), now, DUE_WINDOW).await?;
        let mut ids = Vec::with_capacity(free);
        let mut tickets = HashMap::with_capacity(free);
        for (id, webhook_id, rate_limit) in candidates {
            if ids.len() == free {
                break;
            }
            if let Some(ticket) = lanes.reserve(&webhook_id, rate_limit) {
                tickets.insert(id.clone(), (webhook_id, ticket));
                ids.push(id);
            }
        }
        let claimed = claims::claim(
            db,
            &ids,
            self.worker_id(),
            now,
            super::lanes::LEASE,
            herald_store::new_row_id,
        )
        .await;
        let claimed = match claimed {
            Ok(claimed) => claimed,
            Err(error) => {
                for (webhook_id, _) in tickets.values() {
                    lanes.release(webhook_id);
                }
                return Err(error);
            }
        };
        let count = claimed.len();
        for row in claimed {
            if let Some((_, ticket)) = tickets.remove(&row.delivery_id) {
                self.start_delivery(row, ticket);
            }
        }
        // Taken by another process, or no longer sendable.
        for (webhook_id, _) in tickets.values() {
            lanes.release(webhook_id);
        }
        Ok(count)
    }

    /// Sleeps until woken, until the next delivery is due, or a poll interval.
    async fn idle(&self, cancel: &CancellationToken) {
        let wait = match claims::next_due_at(&self.inner.db).await {
            Ok(Some(at)) => {
                Duration::from_millis(u64::try_from(at - self.inner.clock.now_ms()).unwrap_or(0))
                    .min(IDLE_POLL)
            }
            _ => IDLE_POLL,
        };
        if wait.is_zero() {
            // Due work that could not be claimed: its webhooks' lanes are
            // full, or all this process may hold is held. Wait for room
            // (a release rings `wake`) rather than spin.
            let pause = if self.inner.lanes.free() > 0 {
                Duration::from_millis(50)
            } else {
                IDLE_POLL
            };
            tokio::select! {
                () = self.inner.wake.notified() => {}
                () = tokio::time::sleep(pause) => {}
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

    /// Stops claiming; deliveries still waiting for their turn go back to
    /// the queue, and those under way may finish, at most `grace`.
    async fn drain(&self, grace: Duration) {
        self.inner.accepting.store(false, Ordering::Release);
        self.inner.stopping.cancel();
        self.inner.tasks.close();
        if tokio::time::timeout(grace, self.inner.tasks.wait())
            .await
            .is_err()
        {
            tracing::warn!("attempts still in flight at the shutdown deadline");
        }
    }
}
