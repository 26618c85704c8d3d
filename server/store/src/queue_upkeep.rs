//! The queue's upkeep: holding and releasing the deliveries of open and
//! closed circuits, cancelling those of deleted webhooks, taking back the
//! deliveries of processes that are gone, and giving back this process's
//! own at shutdown.

use super::{BeginWrite, Db, StoreResult, on_pool, on_writer};

/// Due deliveries of webhooks whose circuit is open become `held`, and
/// held deliveries of webhooks whose circuit is closed are due again
/// (should a reset have crossed this sweep). Each step is first looked for
/// on a reader, so that a sweep with nothing to do (nearly all of them)
/// costs the writer nothing; what is to do is one transaction.
pub async fn hold_and_release(db: &Db, now: i64) -> StoreResult<()> {
    sweep(db, now, &[(TO_HOLD, HOLD), (TO_RELEASE, RELEASE)]).await
}

/// Pending and held deliveries of deleted webhooks become `cancelled`.
/// Deleting a webhook cancels its deliveries at once; this catches those
/// that came back to the queue after it (an attempt in flight, a process
/// taken over). They are never sent meanwhile, so it need not run often:
/// looking for them reads the whole queue.
pub async fn cancel_orphans(db: &Db, now: i64) -> StoreResult<()> {
    sweep(db, now, &[(TO_CANCEL, CANCEL)]).await
}

const HOLD: &str = "UPDATE deliveries SET status = 'held', updated_at = $1 WHERE status = 'pending' \
     AND next_attempt_at <= $1 AND webhook_id IN \
         (SELECT id FROM webhooks WHERE circuit_opened_at IS NOT NULL AND deleted_at IS NULL)";
const RELEASE: &str = "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, updated_at = $1 \
     WHERE status = 'held' AND webhook_id IN \
         (SELECT id FROM webhooks WHERE circuit_opened_at IS NULL AND deleted_at IS NULL)";
const CANCEL: &str = "UPDATE deliveries SET status = 'cancelled', updated_at = $1 \
     WHERE status IN ('pending', 'held') AND webhook_id IN \
         (SELECT id FROM webhooks WHERE deleted_at IS NOT NULL)";
const TO_HOLD: &str = "SELECT EXISTS (SELECT 1 FROM webhooks \
     WHERE circuit_opened_at IS NOT NULL AND deleted_at IS NULL)";
const TO_RELEASE: &str = "SELECT EXISTS (SELECT 1 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id \
     WHERE d.status = 'held' AND w.circuit_opened_at IS NULL AND w.deleted_at IS NULL)";
const TO_CANCEL: &str = "SELECT EXISTS (SELECT 1 FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id \
     WHERE w.deleted_at IS NOT NULL AND d.status IN ('pending', 'held'))";

/// Runs each `(check, step)` whose check finds work, in one transaction.
async fn sweep(db: &Db, now: i64, steps: &[(&'static str, &'static str)]) -> StoreResult<()> {
    let mut to_do = Vec::new();
    for (check, step) in steps {
        let (needed,): (bool,) =
            on_pool!(db, pool => sqlx::query_as(*check).fetch_one(pool).await)?;
        if needed {
            to_do.push(*step);
        }
    }
    if to_do.is_empty() {
        return Ok(());
    }
    on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        for step in to_do {
            sqlx::query(step).bind(now).execute(&mut *tx).await?;
        }
        tx.commit().await
    })?;
    Ok(())
}

/// A delivery given back goes to the head of the queue: it had been taken
/// for sending (at times straight from its publish, ahead of older ones),
/// and what was started is finished first.
const TO_THE_HEAD: &str = "next_attempt_at = COALESCE(CASE WHEN \
    (SELECT MIN(p.next_attempt_at) FROM deliveries p WHERE p.status = 'pending') < deliveries.next_attempt_at \
    THEN (SELECT MIN(p.next_attempt_at) FROM deliveries p WHERE p.status = 'pending') END, \
    deliveries.next_attempt_at)";

/// Puts back on the queue, at its head, every delivery held by a process
/// that is gone (no `workers` row) or whose lease expired, marking its
/// attempt `interrupted`. Returns how many went back.
pub async fn reclaim_abandoned(db: &Db, now: i64) -> StoreResult<u64> {
    const ABANDONED: &str = "status = 'delivering' AND (locked_until < $1 \
        OR locked_by IS NULL OR locked_by NOT IN (SELECT id FROM workers))";
    let interrupted = format!(
        "UPDATE delivery_attempts SET outcome = 'interrupted', finished_at = $1 \
         WHERE outcome = 'started' AND delivery_id IN (SELECT id FROM deliveries WHERE {ABANDONED})"
    );
    let requeue = format!(
        "UPDATE deliveries SET status = 'pending', {TO_THE_HEAD}, locked_by = NULL, \
         locked_until = NULL, updated_at = $1 WHERE {ABANDONED}"
    );
    let anything = format!("SELECT EXISTS (SELECT 1 FROM deliveries WHERE {ABANDONED})");
    let (abandoned,): (bool,) = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(anything))
        .bind(now)
        .fetch_one(pool)
        .await)?;
    if !abandoned {
        // Looked for on a reader: a heartbeat with nothing to take back
        // costs the writer nothing.
        return Ok(0);
    }
    let requeued = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(sqlx::AssertSqlSafe(interrupted)).bind(now).execute(&mut *tx).await?;
        let done = sqlx::query(sqlx::AssertSqlSafe(requeue)).bind(now).execute(&mut *tx).await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(done.rows_affected())
    })?;
    Ok(requeued)
}

/// Gives back what `worker_id` still holds (shutdown), at the head of the
/// queue, the attempts in flight marked `interrupted`.
pub async fn release(db: &Db, worker_id: &str, now: i64) -> StoreResult<u64> {
    let released = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE delivery_attempts SET outcome = 'interrupted', finished_at = $2 \
             WHERE outcome = 'started' AND worker_id = $1",
        )
        .bind(worker_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let give_back = format!(
            "UPDATE deliveries SET status = 'pending', {TO_THE_HEAD}, locked_by = NULL, \
             locked_until = NULL, updated_at = $2 WHERE status = 'delivering' AND locked_by = $1"
        );
        let done = sqlx::query(sqlx::AssertSqlSafe(give_back))
        .bind(worker_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(done.rows_affected())
    })?;
    Ok(released)
}
