//! The durable delivery queue and the attempt log: recording attempts,
//! sweeps, take-over, retries and reads. Claiming lives in [`claims`]; a
//! claimed delivery's attempt row is written as `started` in the claiming
//! transaction, before any request goes out.

use super::{
    BeginWrite, Db, Params, StoreResult,
    claims::{self, CLAIMED, ClaimedRow, Unsent},
    on_pool, on_writer,
};

/// A `deliveries` row with its event's type.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeliveryRow {
    pub id: String,
    pub event_id: String,
    pub webhook_id: String,
    pub event_type_id: i64,
    pub is_test: bool,
    pub status: String,
    pub attempt_count: i64,
    pub next_attempt_at: i64,
    pub last_http_status: Option<i64>,
    pub last_error: Option<String>,
    pub created_at: i64,
    pub updated_at: i64,
}

const DELIVERY_COLUMNS: &str = "d.id, d.event_id, d.webhook_id, e.event_type_id, d.is_test, \
    d.status, d.attempt_count, d.next_attempt_at, d.last_http_status, d.last_error, \
    d.created_at, d.updated_at";

/// A `delivery_attempts` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AttemptRow {
    pub number: i64,
    pub outcome: String,
    pub started_at: i64,
    pub duration_ms: Option<i64>,
    pub url: Option<String>,
    pub http_status: Option<i64>,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    pub request_headers: Option<String>,
    pub response_headers: Option<String>,
    pub response_body: Option<String>,
}

/// What becomes of a delivery after an attempt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NextStep {
    Succeeded,
    /// Pending again, due at this time.
    RetryAt(i64),
    Failed,
    /// Failed, and the webhook is deactivated for this reason (a 410).
    Gone(String),
}

/// How an attempt affects its webhook's circuit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CircuitEffect {
    /// A test ping, or a 410: no change.
    None,
    /// A success zeroes the failure count (an open circuit stays open).
    Success,
    /// A failure counts; at `threshold` failures the circuit opens.
    Failure { threshold: i64 },
}

/// The record of a finished attempt.
#[derive(Debug, Clone)]
pub struct FinishedAttempt {
    pub delivery_id: String,
    pub attempt_id: String,
    /// The attempt's number: the delivery moves on only while it is the
    /// delivery's latest.
    pub attempt_number: i64,
    pub webhook_id: String,
    pub worker_id: String,
    pub finished_at: i64,
    pub succeeded: bool,
    pub duration_ms: i64,
    pub url: String,
    pub http_status: Option<i64>,
    pub error_kind: Option<String>,
    pub error_message: Option<String>,
    pub request_headers: String,
    pub response_headers: String,
    pub response_body: Option<String>,
    pub next: NextStep,
    pub circuit: CircuitEffect,
}

/// Records each finished attempt and, only while this process still holds
/// its delivery, moves the delivery on and counts toward its webhook's
/// circuit; gives back the deliveries in `unsent` (claimed, never sent:
/// pending again as if never claimed). One transaction: one commit (one
/// fsync on SQLite) for the whole batch. Returns the webhooks that are not
/// sendable after it (circuit open, already or now, or deactivated by a 410).
pub async fn finish_many(
    db: &Db,
    batch: &[&FinishedAttempt],
    unsent: &[&Unsent],
) -> StoreResult<Vec<String>> {
    let params = Params::of(db);
    let stopped = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut stopped = Vec::new();
        for chunk in unsent.chunks(FINISH_CHUNK) {
            // A batch holds one process's attempts: one worker id.
            let worker_id = chunk.first().map(|unsent| unsent.worker_id.as_str()).unwrap_or_default();
            let mut query = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(claims::give_back_sql(params, chunk.len())))
                .bind(super::now_ms())
                .bind(worker_id);
            for unsent in chunk {
                query = query.bind(&unsent.delivery_id);
            }
            let given_back: std::collections::HashSet<String> =
                query.fetch_all(&mut *tx).await?.into_iter().map(|(id,)| id).collect();
            let attempts: Vec<&str> = chunk
                .iter()
                .filter(|unsent| given_back.contains(&unsent.delivery_id))
                .map(|unsent| unsent.attempt_id.as_str())
                .collect();
            if !attempts.is_empty() {
                let mut query = sqlx::query(sqlx::AssertSqlSafe(claims::drop_unsent_attempts_sql(params, attempts.len())));
                for attempt_id in attempts {
                    query = query.bind(attempt_id);
                }
                query.execute(&mut *tx).await?;
            }
        }
        let mut moved = std::collections::HashSet::new();
        // Two statements a chunk, whatever its size: each is a round trip.
        for chunk in batch.chunks(FINISH_CHUNK) {
            let sql = finish_attempts_sql(params, chunk.len());
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for done in chunk {
                query = query
                    .bind(&done.attempt_id)
                    .bind(if done.succeeded { "succeeded" } else { "failed" })
                    .bind(done.finished_at)
                    .bind(done.duration_ms)
                    .bind(&done.url)
                    .bind(done.http_status)
                    .bind(&done.error_kind)
                    .bind(&done.error_message)
                    .bind(&done.request_headers)
                    .bind(&done.response_headers)
                    .bind(&done.response_body);
            }
            query.execute(&mut *tx).await?;
            let sql = finish_deliveries_sql(params, chunk.len());
            let mut query = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(sql));
            for done in chunk {
                let (status, next_at) = next_status(done);
                query = query
                    .bind(&done.delivery_id)
                    .bind(&done.worker_id)
                    .bind(status)
                    .bind(next_at)
                    .bind(done.http_status)
                    .bind(&done.error_message)
                    .bind(done.finished_at)
                    .bind(done.attempt_number);
            }
            moved.extend(query.fetch_all(&mut *tx).await?.into_iter().map(|(id,)| id));
        }
        let mut tallies: Vec<(String, CircuitTally)> = Vec::new();
        // A delivery not moved was reclaimed meanwhile (its lease ran out):
        // another attempt owns it now, and this one's verdict must not count.
        for done in batch.iter().filter(|done| moved.contains(&done.delivery_id)) {
            if let NextStep::Gone(reason) = &done.next {
                stopped.push(done.webhook_id.clone());
                sqlx::query(
                    "UPDATE webhooks SET is_active = FALSE, disabled_reason = $2, updated_at = $3 WHERE id = $1",
                )
                .bind(&done.webhook_id)
                .bind(reason)
                .bind(done.finished_at)
                .execute(&mut *tx)
                .await?;
            }
            tally_circuit(&mut tallies, done);
        }
        if !tallies.is_empty() {
            let mut query = sqlx::query_as::<_, (String, Option<i64>)>(sqlx::AssertSqlSafe(
                count_failures_sql(params, tallies.len()),
            ));
            for (webhook_id, tally) in &tallies {
                query = query
                    .bind(webhook_id)
                    .bind(i64::from(tally.reset))
                    .bind(tally.failures)
                    .bind(tally.threshold)
                    .bind(tally.at);
            }
            for (webhook_id, opened_at) in query.fetch_all(&mut *tx).await? {
                if opened_at.is_some() {
                    stopped.push(webhook_id);
                }
            }
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(stopped)
    })?;
    Ok(stopped)
}

/// Attempts per pair of statements when a batch is recorded.
const FINISH_CHUNK: usize = 100;

/// The delivery's state after the attempt, and when it is next due.
fn next_status(done: &FinishedAttempt) -> (&'static str, i64) {
    match &done.next {
        NextStep::Succeeded => ("succeeded", done.finished_at),
        NextStep::RetryAt(at) => ("pending", *at),
        NextStep::Failed | NextStep::Gone(_) => ("failed", done.finished_at),
    }
}

/// `(CAST($n AS T1), CAST($n+1 AS T2), ...)` rows of `types` for `rows` rows:
/// typed, so PostgreSQL knows the columns of the VALUES list too.
fn typed_values(params: Params, rows: usize, types: &[&str]) -> String {
    (0..rows)
        .map(|row| {
            let columns: Vec<String> = types
                .iter()
                .enumerate()
                .map(|(column, kind)| {
                    let param = params.nth(1 + row * types.len() + column);
                    format!("CAST({param} AS {kind})")
                })
                .collect();
            format!("({})", columns.join(", "))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Records `rows` finished attempts in one statement.
fn finish_attempts_sql(params: Params, rows: usize) -> String {
    const TYPES: [&str; 11] = [
        "TEXT", "TEXT", "BIGINT", "BIGINT", "TEXT", "BIGINT", "TEXT", "TEXT", "TEXT", "TEXT",
        "TEXT",
    ];
    format!(
        "UPDATE delivery_attempts SET outcome = v.column2, finished_at = v.column3, \
         duration_ms = v.column4, url = v.column5, http_status = v.column6, error_kind = v.column7, \
         error_message = v.column8, request_headers = v.column9, response_headers = v.column10, \
         response_body = v.column11 FROM (VALUES {}) AS v WHERE delivery_attempts.id = v.column1",
        typed_values(params, rows, &TYPES)
    )
}

/// Moves `rows` deliveries on, each only while its worker still holds it
/// for this attempt (not for a later one: its lease ran out and the same
/// process claimed it again); returns the ids it moved. (`status || ''`: by
/// id, not the status index, as in [`claims::claim`].)
pub(super) fn finish_deliveries_sql(params: Params, rows: usize) -> String {
    const TYPES: [&str; 8] = [
        "TEXT", "TEXT", "TEXT", "BIGINT", "BIGINT", "TEXT", "BIGINT", "BIGINT",
    ];
    format!(
        "UPDATE deliveries SET status = v.column3, next_attempt_at = v.column4, locked_by = NULL, \
         locked_until = NULL, last_http_status = v.column5, last_error = v.column6, \
         updated_at = v.column7 FROM (VALUES {}) AS v WHERE deliveries.id = v.column1 \
         AND deliveries.locked_by = v.column2 AND deliveries.status || '' = 'delivering' \
         AND deliveries.attempt_count = v.column8 RETURNING deliveries.id",
        typed_values(params, rows, &TYPES)
    )
}

/// Adds a batch's verdicts to the failure count of `rows` webhooks in one
/// statement, opening each circuit that reaches its threshold; returns each
/// webhook's `circuit_opened_at`. A row is `(webhook id, reset (0 or 1),
/// failures, threshold, at)`: a reset starts the count again from zero.
/// (SET reads the row as it was, so both columns see the old count.)
fn count_failures_sql(params: Params, rows: usize) -> String {
    const TYPES: [&str; 5] = ["TEXT", "BIGINT", "BIGINT", "BIGINT", "BIGINT"];
    const COUNT: &str = "CASE WHEN v.column2 = 1 THEN v.column3 \
                         ELSE webhooks.consecutive_failures + v.column3 END";
    format!(
        "UPDATE webhooks SET consecutive_failures = {COUNT}, \
         circuit_opened_at = CASE WHEN webhooks.circuit_opened_at IS NULL AND {COUNT} >= v.column4 \
             THEN v.column5 ELSE webhooks.circuit_opened_at END \
         FROM (VALUES {}) AS v WHERE webhooks.id = v.column1 \
         RETURNING webhooks.id, webhooks.circuit_opened_at",
        typed_values(params, rows, &TYPES)
    )
}

/// What a batch of attempts does to one webhook's circuit, in order: a
/// success zeroes the count (`reset`), each failure after it adds one.
struct CircuitTally {
    reset: bool,
    failures: i64,
    threshold: i64,
    at: i64,
}

fn tally_circuit(tallies: &mut Vec<(String, CircuitTally)>, done: &FinishedAttempt) {
    if done.circuit == CircuitEffect::None {
        return;
    }
    let index = match tallies.iter().position(|(id, _)| *id == done.webhook_id) {
        Some(index) => index,
        None => {
            let fresh = CircuitTally {
                reset: false,
                failures: 0,
                threshold: i64::MAX,
                at: done.finished_at,
            };
            tallies.push((done.webhook_id.clone(), fresh));
            tallies.len() - 1
        }
    };
    let tally = &mut tallies[index].1;
    tally.at = tally.at.max(done.finished_at);
    match done.circuit {
        CircuitEffect::None => {}
        CircuitEffect::Success => {
            tally.reset = true;
            tally.failures = 0;
        }
        CircuitEffect::Failure { threshold } => {
            tally.failures += 1;
            tally.threshold = threshold;
        }
    }
}

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

/// Puts back on the queue every delivery held by a process that is gone
/// (no `workers` row) or whose lease expired, marking its attempt
/// `interrupted`. Returns how many went back.
pub async fn reclaim_abandoned(db: &Db, now: i64) -> StoreResult<u64> {
    const ABANDONED: &str = "status = 'delivering' AND (locked_until < $1 \
        OR locked_by IS NULL OR locked_by NOT IN (SELECT id FROM workers))";
    let interrupted = format!(
        "UPDATE delivery_attempts SET outcome = 'interrupted', finished_at = $1 \
         WHERE outcome = 'started' AND delivery_id IN (SELECT id FROM deliveries WHERE {ABANDONED})"
    );
    let requeue = format!(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = $1, locked_by = NULL, \
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

/// Gives back what `worker_id` still holds (shutdown): due again now, the
/// attempts in flight marked `interrupted`.
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
        let done = sqlx::query(
            "UPDATE deliveries SET status = 'pending', next_attempt_at = $2, locked_by = NULL, \
             locked_until = NULL, updated_at = $2 WHERE status = 'delivering' AND locked_by = $1",
        )
        .bind(worker_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(done.rows_affected())
    })?;
    Ok(released)
}

/// One page of a webhook's deliveries, newest first, and the total.
pub async fn list_for_webhook(
    db: &Db,
    webhook_id: &str,
    status: Option<&str>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<DeliveryRow>, i64)> {
    const FILTER: &str = " FROM deliveries d JOIN events e ON e.id = d.event_id \
        WHERE d.webhook_id = $1 AND ($2 IS NULL OR d.status = $2)";
    let page = format!(
        "SELECT {DELIVERY_COLUMNS}{FILTER} ORDER BY d.created_at DESC, d.id DESC LIMIT $3 OFFSET $4"
    );
    let count = format!("SELECT COUNT(*){FILTER}");
    let (rows, (total,)) = on_pool!(db, pool => {
        let rows = sqlx::query_as::<_, DeliveryRow>(sqlx::AssertSqlSafe(page))
            .bind(webhook_id)
            .bind(status)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count))
            .bind(webhook_id)
            .bind(status)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok((rows, total))
}

/// One delivery and its event's body.
pub async fn find(db: &Db, id: &str) -> StoreResult<Option<(DeliveryRow, String)>> {
    let sql = format!(
        "SELECT {DELIVERY_COLUMNS}, e.body FROM deliveries d JOIN events e ON e.id = d.event_id WHERE d.id = $1"
    );
    #[derive(sqlx::FromRow)]
    struct WithBody {
        #[sqlx(flatten)]
        delivery: DeliveryRow,
        body: String,
    }
    let row = on_pool!(db, pool => sqlx::query_as::<_, WithBody>(sqlx::AssertSqlSafe(sql))
        .bind(id)
        .fetch_optional(pool)
        .await)?;
    Ok(row.map(|row| (row.delivery, row.body)))
}

/// A delivery's attempts, oldest first.
pub async fn attempts(db: &Db, delivery_id: &str) -> StoreResult<Vec<AttemptRow>> {
    let rows = on_pool!(db, pool => sqlx::query_as::<_, AttemptRow>(
        "SELECT number, outcome, started_at, duration_ms, url, http_status, error_kind, error_message, \
         request_headers, response_headers, response_body FROM delivery_attempts \
         WHERE delivery_id = $1 ORDER BY number, started_at",
    )
    .bind(delivery_id)
    .fetch_all(pool)
    .await)?;
    Ok(rows)
}

/// Makes a finished (`failed` or `succeeded`) delivery due now; false when
/// it is in another state.
pub async fn retry(db: &Db, id: &str, now: i64) -> StoreResult<bool> {
    let done = on_writer!(db, pool => sqlx::query(
        "UPDATE deliveries SET status = 'pending', next_attempt_at = $2, updated_at = $2 \
         WHERE id = $1 AND status IN ('failed', 'succeeded')",
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Stores a test ping's event and its delivery, already claimed by
/// `worker_id` with its attempt `started`, and returns it ready to send.
pub async fn insert_test(
    db: &Db,
    event: &super::events::NewEvent<'_>,
    webhook_id: &str,
    delivery_id: &str,
    attempt_id: &str,
    worker_id: &str,
) -> StoreResult<ClaimedRow> {
    let now = event.created_at;
    let row = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "INSERT INTO events (id, account_id, company_id, event_type_id, body, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6)",
        )
        .bind(event.id)
        .bind(event.account_id)
        .bind(event.company_id)
        .bind(event.event_type_id)
        .bind(event.body)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO deliveries (id, event_id, webhook_id, is_test, status, attempt_count, \
             next_attempt_at, locked_by, locked_until, created_at, updated_at) \
             VALUES ($1, $2, $3, TRUE, 'delivering', 1, $4, $5, \
                 $4 + $6 + (SELECT timeout_ms FROM webhooks WHERE id = $3), $4, $4)",
        )
        .bind(delivery_id)
        .bind(event.id)
        .bind(webhook_id)
        .bind(now)
        .bind(worker_id)
        .bind(claims::LEASE_MARGIN_MS)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO delivery_attempts (id, delivery_id, number, worker_id, outcome, started_at) \
             VALUES ($1, $2, 1, $3, 'started', $4)",
        )
        .bind(attempt_id)
        .bind(delivery_id)
        .bind(worker_id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        let row: ClaimedRow = sqlx::query_as(CLAIMED)
            .bind(delivery_id)
            .bind(attempt_id)
            .bind(1_i64)
            .fetch_one(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(row)
    })?;
    Ok(row)
}

/// Deliveries and attempts created before `cutoff` are deleted (retention);
/// deliveries still in flight are kept.
pub async fn purge_before(db: &Db, cutoff: i64) -> StoreResult<u64> {
    let purged = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query(
            "DELETE FROM deliveries WHERE created_at < $1 AND status IN ('succeeded', 'failed', 'cancelled')",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM events WHERE created_at < $1 AND NOT EXISTS \
             (SELECT 1 FROM deliveries d WHERE d.event_id = events.id)",
        )
        .bind(cutoff)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(done.rows_affected())
    })?;
    Ok(purged)
}

/// The queue as it stands: deliveries per status, webhooks with an open circuit.
pub struct QueueStats {
    pub by_status: std::collections::HashMap<String, i64>,
    pub open_circuits: i64,
}

/// Counts for the metrics page.
pub async fn queue_stats(db: &Db) -> StoreResult<QueueStats> {
    let (rows, (open_circuits,)) = on_pool!(db, pool => {
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT status, COUNT(*) FROM deliveries WHERE status IN ('pending', 'delivering', 'held') GROUP BY status",
        )
        .fetch_all(pool)
        .await?;
        let open: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM webhooks WHERE circuit_opened_at IS NOT NULL AND deleted_at IS NULL",
        )
        .fetch_one(pool)
        .await?;
        Ok::<_, sqlx::Error>((rows, open))
    })?;
    Ok(QueueStats {
        by_status: rows.into_iter().collect(),
        open_circuits,
    })
}

/// Deliveries created since `since`, counted per minute, webhook and status.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VolumeRow {
    /// Minutes since the Unix epoch.
    pub minute: i64,
    pub webhook_id: String,
    pub status: String,
    pub count: i64,
}

/// The volume of an account's deliveries (of one company's webhooks only,
/// when given) since `since`.
pub async fn volume_since(
    db: &Db,
    account_id: &str,
    company_id: Option<&str>,
    since: i64,
) -> StoreResult<Vec<VolumeRow>> {
    const SQL: &str = "SELECT d.created_at / 60000 AS minute, d.webhook_id, d.status, COUNT(*) AS count \
        FROM deliveries d JOIN webhooks w ON w.id = d.webhook_id \
        WHERE w.account_id = $1 AND ($2 IS NULL OR w.company_id = $2) AND d.created_at >= $3 \
        GROUP BY d.created_at / 60000, d.webhook_id, d.status";
    let rows = on_pool!(db, pool => sqlx::query_as::<_, VolumeRow>(SQL)
        .bind(account_id)
        .bind(company_id)
        .bind(since)
        .fetch_all(pool)
        .await)?;
    Ok(rows)
}
