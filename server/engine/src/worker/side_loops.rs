//! The loops beside the claim loop: the heartbeat (and the take-over of
//! processes that stopped beating), PostgreSQL's notifications of new work,
//! and the purge of old deliveries.

use super::{
    DAY_MS, Engine, HEARTBEAT_EVERY, LOOK_FOR_STALE_EVERY, RETENTION_EVERY, STALE_AFTER_MS,
};
use herald_store::{deliveries, queue_upkeep, workers};
use std::time::Duration;
use tokio_util::sync::CancellationToken;

/// Every second: refresh this process's heartbeat. Every quarter second, if
/// it `takes_over`: forget processes that stopped beating and put their
/// deliveries (and expired leases) back.
pub(super) async fn heartbeat(engine: Engine, takes_over: bool, cancel: CancellationToken) {
    let db = &engine.inner.db;
    let mut beaten_at = tokio::time::Instant::now();
    while !cancel.is_cancelled() {
        let now = engine.inner.clock.now_ms();
        let beat_due = beaten_at.elapsed() >= HEARTBEAT_EVERY;
        let beat = async {
            if beat_due {
                workers::beat(db, engine.worker_id(), now).await?;
                beaten_at = tokio::time::Instant::now();
            }
            if !takes_over {
                return Ok(0);
            }
            workers::forget_stale(db, engine.worker_id(), now - STALE_AFTER_MS).await?;
            queue_upkeep::reclaim_abandoned(db, now).await
        };
        match beat.await {
            Ok(0) => {}
            Ok(requeued) => {
                tracing::info!(requeued, "took back deliveries of a stopped process");
                engine.wake_everywhere();
            }
            Err(error) => tracing::warn!(%error, "heartbeat failed"),
        }
        tokio::select! {
            () = tokio::time::sleep(LOOK_FOR_STALE_EVERY) => {}
            () = cancel.cancelled() => {}
        }
    }
}

/// On PostgreSQL, wakes this worker when another process announces work.
pub(super) async fn listen_for_work(engine: Engine, cancel: CancellationToken) {
    let herald_store::Db::Postgres(pool) = &engine.inner.db else {
        return;
    };
    while !cancel.is_cancelled() {
        tokio::select! {
            error = workers::relay_work_notifications(pool, || engine.wake()) => {
                tracing::warn!(%error, "listening for work failed; retrying");
            }
            () = cancel.cancelled() => return,
        }
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// Hourly: purge deliveries and attempts older than the retention period.
pub(super) async fn retention(engine: Engine, cancel: CancellationToken) {
    while !cancel.is_cancelled() {
        let days = i64::from(engine.inner.settings.retention_days);
        let cutoff = engine.inner.clock.now_ms() - days * DAY_MS;
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
