//! Claiming deliveries: this process takes due deliveries with a lease,
//! writing each one's attempt row as `started` in the same transaction,
//! before any request goes out. What it claimed and never sent it can give
//! back as if never claimed.

use super::{BeginWrite, Db, Params, StoreResult, on_pool, on_writer};

/// How long a claim's lease lasts: set by the engine (its lanes decide
/// how long a claimed delivery may wait for its turn), given to each claim.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lease {
    /// How much longer than its rounds of the webhook's timeout a lease lasts.
    pub margin_ms: i64,
    /// How many of the webhook's timeouts a claimed delivery may wait and run.
    pub rounds: i64,
}

impl Lease {
    /// When a lease taken at `now` on a webhook with this timeout runs out.
    pub fn until(self, now: i64, timeout_ms: i64) -> i64 {
        now + self.margin_ms + self.rounds * timeout_ms
    }

    /// [`Lease::until`] in SQL, for the delivery's webhook, from the time `now`.
    fn sql(self, now: &str) -> String {
        format!(
            "{now} + {} + {} * \
             (SELECT timeout_ms FROM webhooks w WHERE w.id = deliveries.webhook_id)",
            self.margin_ms, self.rounds
        )
    }
}

/// What an attempt needs: the delivery, its event's body, and its webhook.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ClaimedRow {
    pub delivery_id: String,
    pub attempt_id: String,
    pub attempt_number: i64,
    pub is_test: bool,
    pub event_id: String,
    pub body: String,
    pub webhook_id: String,
    pub url: String,
    pub headers: Vec<u8>,
    pub signing_secret: Vec<u8>,
    pub previous_signing_secret: Option<Vec<u8>>,
    pub previous_secret_expires_at: Option<i64>,
    pub timeout_ms: i64,
    pub max_retries: i64,
    pub retry_backoff_seconds: i64,
    pub rate_limit_per_second: Option<i64>,
    /// When this process's lease on the delivery runs out.
    pub locked_until: i64,
}

/// The webhooks a delivery may go to now: live, active, circuit closed.
const SENDABLE_WEBHOOK: &str =
    "w.is_active AND w.circuit_opened_at IS NULL AND w.deleted_at IS NULL";

/// Due deliveries of sendable webhooks, oldest first, skipping the webhooks
/// in `full` (this process holds all it may of theirs, so they take no
/// room in the batch and others are not starved): `(id, webhook id, rate
/// limit)`. It follows the `(status, next_attempt_at)` index and stops at
/// `limit`, however long the queue.
pub async fn due(
    db: &Db,
    full: &[String],
    now: i64,
    limit: i64,
) -> StoreResult<Vec<(String, String, Option<i64>)>> {
    let skip = if full.is_empty() {
        String::new()
    } else {
        // A few webhooks at most: numbered is no cost here.
        format!(
            " AND d.webhook_id NOT IN ({})",
            Params::Numbered.list(3, full.len())
        )
    };
    let sql = format!(
        "SELECT d.id, d.webhook_id, w.rate_limit_per_second FROM deliveries d \
         JOIN webhooks w ON w.id = d.webhook_id \
         WHERE d.status = 'pending' AND d.next_attempt_at <= $1 AND {SENDABLE_WEBHOOK}{skip} \
         ORDER BY d.next_attempt_at LIMIT $2"
    );
    let rows = on_pool!(db, pool => {
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(now).bind(limit);
        for webhook_id in full {
            query = query.bind(webhook_id);
        }
        query.fetch_all(pool).await
    })?;
    Ok(rows)
}

/// When the earliest pending delivery of a sendable webhook falls due, if any.
pub async fn next_due_at(db: &Db) -> StoreResult<Option<i64>> {
    // ORDER BY ... LIMIT 1, not MIN(): it stops at the first sendable row
    // of the index instead of reading the whole queue.
    let sql = format!(
        "SELECT d.next_attempt_at FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id \
         WHERE d.status = 'pending' AND {SENDABLE_WEBHOOK} ORDER BY d.next_attempt_at LIMIT 1"
    );
    let at: Option<(i64,)> = on_pool!(db, pool => sqlx::query_as(sqlx::AssertSqlSafe(sql))
        .fetch_optional(pool)
        .await)?;
    Ok(at.map(|(at,)| at))
}

/// Claims those of `ids` still pending for `worker_id`: each gets a lease
/// ([`Lease::until`]), one more attempt, and an attempt row `started`, in
/// one transaction. Ids another process took, and those whose webhook
/// stopped being sendable since they were chosen, are skipped.
pub async fn claim(
    db: &Db,
    ids: &[String],
    worker_id: &str,
    now: i64,
    lease: Lease,
    new_id: impl Fn() -> String,
) -> StoreResult<Vec<ClaimedRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let skip_locked = match db {
        Db::Sqlite(_) => "",
        Db::Postgres(_) => " FOR UPDATE OF d SKIP LOCKED",
    };
    let params = Params::of(db);
    let claim_sql = claim_sql(params, ids.len(), skip_locked, lease);
    let rows = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut query = sqlx::query_as::<_, (String, i64)>(sqlx::AssertSqlSafe(claim_sql))
            .bind(worker_id)
            .bind(now)
            .bind(now);
        for id in ids {
            query = query.bind(id);
        }
        let claimed = query.fetch_all(&mut *tx).await?;
        // Few statements for the whole batch: each is a round trip.
        let attempts: Vec<(String, String, i64)> = claimed
            .into_iter()
            .map(|(delivery_id, number)| (new_id(), delivery_id, number))
            .collect();
        let mut rows = Vec::with_capacity(attempts.len());
        for chunk in attempts.chunks(CLAIM_CHUNK) {
            let insert = insert_started_sql(params, chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(insert));
            for (attempt_id, delivery_id, number) in chunk {
                query = query.bind(attempt_id).bind(delivery_id).bind(number).bind(worker_id).bind(now);
            }
            query.execute(&mut *tx).await?;
            let select = format!("{CLAIMED_MANY} WHERE d.id IN ({})", params.list(1, chunk.len()));
            let mut query = sqlx::query_as::<_, ClaimedRow>(sqlx::AssertSqlSafe(select));
            for (_, delivery_id, _) in chunk {
                query = query.bind(delivery_id);
            }
            for mut row in query.fetch_all(&mut *tx).await? {
                if let Some((attempt_id, _, number)) =
                    chunk.iter().find(|(_, delivery_id, _)| *delivery_id == row.delivery_id)
                {
                    row.attempt_id.clone_from(attempt_id);
                    row.attempt_number = *number;
                    rows.push(row);
                }
            }
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(rows)
    })?;
    Ok(rows)
}

/// The UPDATE that claims `rows` deliveries, named by id, for a worker:
/// its parameters are the worker, the time twice, then the ids.
///
/// `status || ''` wherever a batch names its rows by id: without statistics
/// SQLite takes an equality to match ~10 rows, and for a long IN list it
/// would walk the status index instead, every pending row of the queue.
/// The expression keeps it on the id index.
fn claim_sql(params: Params, rows: usize, skip_locked: &str, lease: Lease) -> String {
    format!(
        "UPDATE deliveries SET status = 'delivering', attempt_count = attempt_count + 1, \
         locked_by = {}, updated_at = {}, locked_until = {} \
         WHERE id IN (SELECT d.id FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id \
             WHERE d.status || '' = 'pending' AND {SENDABLE_WEBHOOK} AND d.id IN ({}){skip_locked}) \
         RETURNING id, attempt_count",
        params.nth(1),
        params.nth(2),
        lease.sql(&params.nth(3)),
        params.list(4, rows)
    )
}

/// An INSERT of `rows` attempt rows `started`: `(attempt id, delivery id,
/// number, worker, time)` for each row.
pub(super) fn insert_started_sql(params: Params, rows: usize) -> String {
    let values: Vec<String> = (0..rows)
        .map(|n| format!("({}, 'started')", params.list(1 + 5 * n, 5)))
        .collect();
    format!(
        "INSERT INTO delivery_attempts (id, delivery_id, number, worker_id, started_at, outcome) \
         VALUES {}",
        values.join(", ")
    )
}

/// A delivery this process claimed and never sent.
#[derive(Debug, Clone)]
pub struct Unsent {
    pub delivery_id: String,
    pub attempt_id: String,
    pub worker_id: String,
}

macro_rules! claimed_columns {
    () => {
        "d.is_test, e.id AS event_id, e.body, w.id AS webhook_id, w.url, w.headers, \
         w.signing_secret, w.previous_signing_secret, w.previous_secret_expires_at, w.timeout_ms, \
         w.max_retries, w.retry_backoff_seconds, w.rate_limit_per_second, d.locked_until \
         FROM deliveries d JOIN events e ON e.id = d.event_id JOIN webhooks w ON w.id = d.webhook_id"
    };
}

pub(super) const CLAIMED: &str = concat!(
    "SELECT d.id AS delivery_id, $2 AS attempt_id, $3 AS attempt_number, ",
    claimed_columns!(),
    " WHERE d.id = $1"
);
/// The claimed rows of a batch; the attempt columns are filled in after.
const CLAIMED_MANY: &str = concat!(
    "SELECT d.id AS delivery_id, '' AS attempt_id, CAST(0 AS BIGINT) AS attempt_number, ",
    claimed_columns!()
);
/// Rows per multi-row statement of a claim.
pub(super) const CLAIM_CHUNK: usize = 100;

/// Gives back, in the open transaction, what a worker claimed and never
/// sent: the deliveries named (still its own) are pending again, their
/// attempt count as before; returns their ids. Its parameters are the
/// time, the worker, then the ids.
pub(super) fn give_back_sql(params: Params, rows: usize) -> String {
    format!(
        "UPDATE deliveries SET status = 'pending', attempt_count = attempt_count - 1, \
         locked_by = NULL, locked_until = NULL, updated_at = {} \
         WHERE locked_by = {} AND status || '' = 'delivering' AND id IN ({}) RETURNING id",
        params.nth(1),
        params.nth(2),
        params.list(3, rows)
    )
}

/// Deletes the `started` attempt rows named, of attempts never made.
pub(super) fn drop_unsent_attempts_sql(params: Params, rows: usize) -> String {
    format!(
        "DELETE FROM delivery_attempts WHERE outcome = 'started' AND id IN ({})",
        params.list(1, rows)
    )
}

#[cfg(test)]
mod tests;
