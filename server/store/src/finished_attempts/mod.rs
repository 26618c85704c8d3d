//! The attempt log's writes: recording finished attempts in batches, with
//! what each does to its delivery and its webhook's circuit, and giving back
//! deliveries claimed and never sent.

mod statements;

use super::{
    Db, StoreResult, WriteTx,
    claims::{self, Unsent},
    in_tx,
};
use sqlx::QueryBuilder;
pub(super) use statements::push_finish_deliveries;
use statements::{push_count_failures, push_finish_attempts};

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
    let mut tx = WriteTx::begin(db).await?;
    let stopped = finish_in(&mut tx, batch, unsent, now).await?;
    tx.commit().await?;
    Ok(stopped)
}

/// [`finish_many`] inside an open transaction, to commit with other work.
pub async fn finish_in(
    tx: &mut WriteTx,
    batch: &[&FinishedAttempt],
    unsent: &[&Unsent],
    now: i64,
) -> StoreResult<Vec<String>> {
    let stopped = in_tx!(tx, conn => {
        let mut stopped = Vec::new();
        for chunk in unsent.chunks(FINISH_CHUNK) {
            // A batch holds one process's attempts: one worker id.
            let worker_id = chunk.first().map(|unsent| unsent.worker_id.as_str()).unwrap_or_default();
            let mut give_back = QueryBuilder::default();
            let delivery_ids = chunk.iter().map(|unsent| unsent.delivery_id.as_str());
            claims::push_give_back(&mut give_back, delivery_ids, worker_id, now);
            let given_back: std::collections::HashSet<String> = give_back
                .build_query_as::<(String,)>()
                .fetch_all(&mut *conn)
                .await?
                .into_iter()
                .map(|(id,)| id)
                .collect();
            let attempts: Vec<&str> = chunk
                .iter()
                .filter(|unsent| given_back.contains(&unsent.delivery_id))
                .map(|unsent| unsent.attempt_id.as_str())
                .collect();
            if !attempts.is_empty() {
                let mut drop = QueryBuilder::default();
                claims::push_drop_unsent(&mut drop, attempts);
                drop.build().execute(&mut *conn).await?;
            }
        }
        let mut moved = std::collections::HashSet::new();
        // Two statements a chunk, whatever its size: each is a round trip.
        for chunk in batch.chunks(FINISH_CHUNK) {
            let mut attempts = QueryBuilder::default();
            push_finish_attempts(&mut attempts, chunk);
            attempts.build().execute(&mut *conn).await?;
            let mut deliveries = QueryBuilder::default();
            push_finish_deliveries(&mut deliveries, chunk);
            let query = deliveries.build_query_as::<(String,)>();
            moved.extend(query.fetch_all(&mut *conn).await?.into_iter().map(|(id,)| id));
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
                .execute(&mut *conn)
                .await?;
            }
            tally_circuit(&mut tallies, done);
        }
        if !tallies.is_empty() {
            let mut count = QueryBuilder::default();
            push_count_failures(&mut count, &tallies);
            let query = count.build_query_as::<(String, Option<i64>)>();
            for (webhook_id, opened_at) in query.fetch_all(&mut *conn).await? {
                if opened_at.is_some() {
                    stopped.push(webhook_id);
                }
            }
        }
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
