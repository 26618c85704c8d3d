//! Running processes and their heartbeats. A process whose heartbeat is
//! older than the staleness window is gone: its claimed deliveries return
//! to the queue (see [`super::queue_upkeep::reclaim_abandoned`]).

use super::{Db, StoreResult, on_pool, on_writer};

/// Registers the process, or refreshes its heartbeat.
pub async fn beat(db: &Db, worker_id: &str, now: i64) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO workers (id, started_at, heartbeat_at) VALUES ($1, $2, $2) \
         ON CONFLICT (id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at",
    )
    .bind(worker_id)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Forgets the other processes whose last heartbeat is older than
/// `stale_before`. Never `worker_id` itself: a process whose own beat was
/// late is still at work.
pub async fn forget_stale(db: &Db, worker_id: &str, stale_before: i64) -> StoreResult<u64> {
    // Looked for on a reader first: nearly always there is none.
    let (stale,): (bool,) = on_pool!(db, pool => sqlx::query_as(
        "SELECT EXISTS (SELECT 1 FROM workers WHERE heartbeat_at < $1 AND id <> $2)",
    )
    .bind(stale_before)
    .bind(worker_id)
    .fetch_one(pool)
    .await)?;
    if !stale {
        return Ok(0);
    }
    let done = on_writer!(db, pool => sqlx::query("DELETE FROM workers WHERE heartbeat_at < $1 AND id <> $2")
        .bind(stale_before)
        .bind(worker_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(done)
}

/// Forgets every other process that holds a delivery of the queue (not a
/// test ping): the caller knows it is the only delivering one alive. A
/// process that only serves (and sends its own pings) stays.
pub async fn forget_other_deliverers(db: &Db, worker_id: &str) -> StoreResult<u64> {
    let done = on_writer!(db, pool => sqlx::query(
        "DELETE FROM workers WHERE id <> $1 AND id IN \
         (SELECT locked_by FROM deliveries WHERE status = 'delivering' AND NOT is_test)",
    )
    .bind(worker_id)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done)
}

/// Removes the process on a clean shutdown.
pub async fn leave(db: &Db, worker_id: &str) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query("DELETE FROM workers WHERE id = $1")
        .bind(worker_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The PostgreSQL channel that tells workers in other processes there is work.
pub const WORK_CHANNEL: &str = "herald_work";

/// Tells workers in every process there may be new work (PostgreSQL
/// `NOTIFY`; on SQLite, where one process works, nothing to do).
pub async fn notify_work(db: &Db) -> StoreResult<()> {
    if let Db::Postgres(pool) = db {
        sqlx::query("SELECT pg_notify($1, '')")
            .bind(WORK_CHANNEL)
            .execute(pool)
            .await?;
    }
    Ok(())
}

/// Calls `wake` on every notification of new work (PostgreSQL's `LISTEN`
/// on [`WORK_CHANNEL`]), until the connection fails: the error it failed with.
pub async fn relay_work_notifications(pool: &sqlx::PgPool, wake: impl Fn()) -> sqlx::Error {
    let mut listener = match sqlx::postgres::PgListener::connect_with(pool).await {
        Ok(listener) => listener,
        Err(error) => return error,
    };
    if let Err(error) = listener.listen(WORK_CHANNEL).await {
        return error;
    }
    loop {
        if let Err(error) = listener.recv().await {
            return error;
        }
        wake();
    }
}
