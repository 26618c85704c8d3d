//! Claiming deliveries: this process takes due deliveries with a lease,
//! writing each one's attempt row as `started` in the same transaction,
//! before any request goes out. What it claimed and never sent it can give
//! back as if never claimed.

use super::{BeginWrite, Db, StoreResult, on_pool, on_writer, push_list};
use sqlx::QueryBuilder;

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

    /// What [`Lease::until`] adds to the time, in SQL, for the delivery's webhook.
    fn sql_after_now(self) -> String {
        format!(
            " + {} + {} * (SELECT timeout_ms FROM webhooks w WHERE w.id = deliveries.webhook_id)",
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
    /// The webhook's revision the row was read at: the delivery goes out
    /// only while the webhook is still at it.
    pub revision: i64,
    /// When this process's lease on the delivery runs out.
    pub locked_until: i64,
}

/// The webhooks a delivery may go to now: live, active, circuit closed.
pub(crate) const SENDABLE_WEBHOOK: &str =
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
    let rows = on_pool!(db, pool => {
        let mut due = QueryBuilder::new(
            "SELECT d.id, d.webhook_id, w.rate_limit_per_second FROM deliveries d \
             JOIN webhooks w ON w.id = d.webhook_id WHERE d.status = 'pending' AND d.next_attempt_at <= ",
        );
        due.push_bind(now).push(format_args!(" AND {SENDABLE_WEBHOOK}"));
        if !full.is_empty() {
            due.push(" AND d.webhook_id NOT IN (");
            push_list(&mut due, full.iter().map(String::as_str));
            due.push(")");
        }
        due.push(" ORDER BY d.next_attempt_at LIMIT ").push_bind(limit);
        due.build_query_as().fetch_all(pool).await
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
    let rows = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut claim = QueryBuilder::default();
        push_claim(&mut claim, ids, worker_id, now, skip_locked, lease);
        let claimed: Vec<(String, i64)> = claim.build_query_as().fetch_all(&mut *tx).await?;
        // Few statements for the whole batch: each is a round trip.
        let attempts: Vec<(String, String, i64)> = claimed
            .into_iter()
            .map(|(delivery_id, number)| (new_id(), delivery_id, number))
            .collect();
        let mut rows = Vec::with_capacity(attempts.len());
        for chunk in attempts.chunks(CLAIM_CHUNK) {
            let started = chunk.iter().map(|(attempt, delivery, number)| (attempt.as_str(), delivery.as_str(), *number));
            let mut insert = QueryBuilder::default();
            push_started(&mut insert, started, worker_id, now);
            insert.build().execute(&mut *tx).await?;
            let mut select = QueryBuilder::new(format!("{CLAIMED_MANY} WHERE d.id IN ("));
            push_list(&mut select, chunk.iter().map(|(_, delivery_id, _)| delivery_id.as_str()));
            for mut row in select.push(")").build_query_as::<ClaimedRow>().fetch_all(&mut *tx).await? {
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

/// The UPDATE that claims the deliveries of `ids` for a worker, returning
/// each one's id and attempt count.
///
/// `status || ''` wherever a batch names its rows by id: without statistics
/// SQLite takes an equality to match ~10 rows, and for a long IN list it
/// would walk the status index instead, every pending row of the queue.
/// The expression keeps it on the id index.
fn push_claim<DB>(
    claim: &mut QueryBuilder<DB>,
    ids: &[String],
    worker_id: &str,
    now: i64,
    skip_locked: &str,
    lease: Lease,
) where
    DB: sqlx::Database,
    for<'t> &'t str: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    claim
        .push(
            "UPDATE deliveries SET status = 'delivering', attempt_count = attempt_count + 1, \
             locked_by = ",
        )
        .push_bind(worker_id)
        .push(", updated_at = ")
        .push_bind(now)
        .push(", locked_until = ")
        .push_bind(now)
        .push(lease.sql_after_now())
        .push(format_args!(
            " WHERE id IN (SELECT d.id FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id \
             WHERE d.status || '' = 'pending' AND {SENDABLE_WEBHOOK} AND d.id IN ("
        ));
    push_list(claim, ids.iter().map(String::as_str));
    claim.push(format_args!("){skip_locked}) RETURNING id, attempt_count"));
}

/// An INSERT of attempt rows `started` by `worker_id` at `now`: `(attempt
/// id, delivery id, number)` for each row.
pub(super) fn push_started<'a, DB>(
    insert: &mut QueryBuilder<DB>,
    attempts: impl IntoIterator<Item = (&'a str, &'a str, i64)>,
    worker_id: &str,
    now: i64,
) where
    DB: sqlx::Database,
    for<'t> &'t str: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    insert.push(
        "INSERT INTO delivery_attempts (id, delivery_id, number, worker_id, started_at, outcome) ",
    );
    insert.push_values(attempts, |mut row, (attempt_id, delivery_id, number)| {
        row.push_bind(attempt_id)
            .push_bind(delivery_id)
            .push_bind(number)
            .push_bind(worker_id)
            .push_bind(now)
            .push("'started'");
    });
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
         w.max_retries, w.retry_backoff_seconds, w.rate_limit_per_second, w.revision, d.locked_until \
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
/// attempt count as before; returns their ids.
pub(super) fn push_give_back<'a, DB>(
    give_back: &mut QueryBuilder<DB>,
    delivery_ids: impl IntoIterator<Item = &'a str>,
    worker_id: &str,
    now: i64,
) where
    DB: sqlx::Database,
    for<'t> &'t str: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
    for<'t> i64: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    give_back
        .push(
            "UPDATE deliveries SET status = 'pending', attempt_count = attempt_count - 1, \
             locked_by = NULL, locked_until = NULL, updated_at = ",
        )
        .push_bind(now)
        .push(" WHERE locked_by = ")
        .push_bind(worker_id)
        .push(" AND status || '' = 'delivering' AND id IN (");
    push_list(give_back, delivery_ids);
    give_back.push(") RETURNING id");
}

/// Deletes the `started` attempt rows named, of attempts never made.
pub(super) fn push_drop_unsent<'a, DB>(
    drop: &mut QueryBuilder<DB>,
    attempt_ids: impl IntoIterator<Item = &'a str>,
) where
    DB: sqlx::Database,
    for<'t> &'t str: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    drop.push("DELETE FROM delivery_attempts WHERE outcome = 'started' AND id IN (");
    push_list(drop, attempt_ids);
    drop.push(")");
}

#[cfg(test)]
mod tests;
