//! The attempt log's writes: recording finished attempts in batches, with
//! what each does to its delivery and its webhook's circuit, and giving back
//! deliveries claimed and never sent.

use super::{
    BeginWrite, Db, Params, StoreResult,
    claims::{self, Unsent},
    on_writer,
};

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
    now: i64,
) -> StoreResult<Vec<String>> {
    let params = Params::of(db);
    let stopped = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut stopped = Vec::new();
        for chunk in unsent.chunks(FINISH_CHUNK) {
            // A batch holds one process's attempts: one worker id.
            let worker_id = chunk.first().map(|unsent| unsent.worker_id.as_str()).unwrap_or_default();
            let mut query = sqlx::query_as::<_, (String,)>(sqlx::AssertSqlSafe(claims::give_back_sql(params, chunk.len())))
                .bind(now)
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
