//! Published events and their idempotency keys. An event, one delivery per
//! matching webhook and the idempotency key are written in one transaction;
//! a delivery this process can send at once is written claimed.

use super::{
    BeginWrite, Db, StoreResult,
    claims::{self, CLAIM_CHUNK, ClaimTicket, ClaimedRow},
    on_writer, placeholders,
};
use std::collections::HashMap;

/// An event to store, with the exact body every attempt will send.
pub struct NewEvent<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub company_id: Option<&'a str>,
    pub event_type_id: i64,
    pub body: &'a str,
    pub created_at: i64,
}

/// The idempotency key of a publish and what makes a repeat "the same".
pub struct IdempotencyKey<'a> {
    pub key: &'a str,
    pub request_hash: &'a str,
    /// Keys stored before this time have expired.
    pub fresh_after: i64,
}

/// What a publish did.
#[derive(Debug, PartialEq, Eq)]
pub enum Published {
    /// Stored, with one delivery per webhook id.
    New { deliveries: u64 },
    /// The key was used within 24 h with the same request: its first answer.
    Repeated { event_id: String, deliveries: u64 },
    /// The key was used within 24 h with another request.
    KeyReused,
}

/// An event to publish, owned, so it can wait in the group-commit queue.
pub struct PublishRequest {
    pub id: String,
    pub account_id: String,
    pub company_id: Option<String>,
    pub event_type_id: i64,
    pub body: String,
    pub created_at: i64,
    pub idempotency: Option<OwnedIdempotencyKey>,
}

/// [`IdempotencyKey`], owned.
pub struct OwnedIdempotencyKey {
    pub key: String,
    pub request_hash: String,
    pub fresh_after: i64,
}

impl PublishRequest {
    /// The request for `event`, copied.
    pub fn new(event: &NewEvent<'_>, idempotency: Option<&IdempotencyKey<'_>>) -> Self {
        Self {
            id: event.id.to_owned(),
            account_id: event.account_id.to_owned(),
            company_id: event.company_id.map(str::to_owned),
            event_type_id: event.event_type_id,
            body: event.body.to_owned(),
            created_at: event.created_at,
            idempotency: idempotency.map(|key| OwnedIdempotencyKey {
                key: key.key.to_owned(),
                request_hash: key.request_hash.to_owned(),
                fresh_after: key.fresh_after,
            }),
        }
    }
}

/// The delivery engine of this process, as a publish sees it: it may take
/// a new delivery at once, claimed in the publishing transaction, instead
/// of finding it in the queue later.
pub trait LocalClaimer: Send + Sync {
    /// The id `locked_by` records for this process.
    fn worker_id(&self) -> &str;
    /// A place for one more delivery of this webhook, when there is one.
    fn reserve(&self, webhook_id: &str, rate_limit: Option<i64>) -> Option<ClaimTicket>;
    /// Gives back a place whose delivery was not committed.
    fn unreserve(&self, webhook_id: &str);
    /// Sends a delivery claimed for it (after the commit).
    fn dispatch(&self, row: ClaimedRow, ticket: ClaimTicket);
}

/// A webhook an event goes to, with what sending to it needs.
#[derive(Debug, Clone, sqlx::FromRow)]
struct MatchedWebhook {
    id: String,
    url: String,
    headers: Vec<u8>,
    signing_secret: Vec<u8>,
    previous_signing_secret: Option<Vec<u8>>,
    previous_secret_expires_at: Option<i64>,
    timeout_ms: i64,
    max_retries: i64,
    retry_backoff_seconds: i64,
    rate_limit_per_second: Option<i64>,
    circuit_open: bool,
}

const MATCHING_WEBHOOKS: &str = "SELECT id, url, headers, signing_secret, previous_signing_secret, \
     previous_secret_expires_at, timeout_ms, max_retries, retry_backoff_seconds, \
     rate_limit_per_second, circuit_opened_at IS NOT NULL AS circuit_open \
     FROM webhooks w WHERE account_id = $1 \
     AND deleted_at IS NULL AND is_active AND (company_id IS NULL OR company_id = $2) \
     AND (all_events OR EXISTS (SELECT 1 FROM webhook_event_types s \
          WHERE s.webhook_id = w.id AND s.event_type_id = $3)) \
     ORDER BY created_at, id";

/// Places taken in this process's lanes for deliveries not committed yet:
/// given back when dropped, unless kept (the commit succeeded).
struct Places<'a> {
    claimer: Option<&'a dyn LocalClaimer>,
    webhooks: Vec<String>,
}

impl Drop for Places<'_> {
    fn drop(&mut self) {
        if let Some(claimer) = self.claimer {
            for webhook_id in &self.webhooks {
                claimer.unreserve(webhook_id);
            }
        }
    }
}

/// What a batch of publishes writes, gathered so that it takes a few
/// multi-row statements.
struct Rows<'a> {
    events: Vec<&'a PublishRequest>,
    /// `(delivery id, webhook id, event, claimed with this lease)`.
    deliveries: Vec<(String, &'a str, &'a PublishRequest, Option<i64>)>,
    /// `(attempt id, delivery id)` of the claimed deliveries.
    attempts: Vec<(String, String)>,
    claimed: Vec<(ClaimedRow, ClaimTicket)>,
    places: Places<'a>,
}

impl<'a> Rows<'a> {
    fn new(claimer: Option<&'a dyn LocalClaimer>) -> Self {
        Self {
            events: Vec::new(),
            deliveries: Vec::new(),
            attempts: Vec::new(),
            claimed: Vec::new(),
            places: Places {
                claimer,
                webhooks: Vec::new(),
            },
        }
    }

    /// The event and a delivery to each webhook; claimed for this process
    /// where its engine has room. Returns how many deliveries.
    fn add(
        &mut self,
        request: &'a PublishRequest,
        webhooks: &'a [MatchedWebhook],
        new_id: &impl Fn() -> String,
    ) -> u64 {
        self.events.push(request);
        for webhook in webhooks {
            let delivery_id = new_id();
            let ticket = self
                .places
                .claimer
                .filter(|_| !webhook.circuit_open)
                .and_then(|claimer| claimer.reserve(&webhook.id, webhook.rate_limit_per_second));
            let lease = ticket.map(|ticket| {
                self.places.webhooks.push(webhook.id.clone());
                let row = claimed_row(request, webhook, &delivery_id, new_id());
                self.attempts
                    .push((row.attempt_id.clone(), delivery_id.clone()));
                self.claimed.push((row, ticket));
                claims::lease_until(request.created_at, webhook.timeout_ms)
            });
            self.deliveries
                .push((delivery_id, &webhook.id, request, lease));
        }
        webhooks.len() as u64
    }

    /// Whether some delivery waits in the queue (not claimed here).
    fn leaves_pending(&self) -> bool {
        self.deliveries.iter().any(|(.., lease)| lease.is_none())
    }

    /// Takes over the rows (already written) and places of `other`.
    fn absorb(&mut self, mut other: Rows<'a>) {
        self.claimed.append(&mut other.claimed);
        self.places.webhooks.append(&mut other.places.webhooks);
    }

    /// The claimed deliveries, their places kept: the commit succeeded.
    fn keep(mut self) -> Vec<(ClaimedRow, ClaimTicket)> {
        self.places.webhooks.clear();
        std::mem::take(&mut self.claimed)
    }
}

fn claimed_row(
    request: &PublishRequest,
    webhook: &MatchedWebhook,
    delivery_id: &str,
    attempt_id: String,
) -> ClaimedRow {
    ClaimedRow {
        delivery_id: delivery_id.to_owned(),
        attempt_id,
        attempt_number: 1,
        is_test: false,
        event_id: request.id.clone(),
        body: request.body.clone(),
        webhook_id: webhook.id.clone(),
        url: webhook.url.clone(),
        headers: webhook.headers.clone(),
        signing_secret: webhook.signing_secret.clone(),
        previous_signing_secret: webhook.previous_signing_secret.clone(),
        previous_secret_expires_at: webhook.previous_secret_expires_at,
        timeout_ms: webhook.timeout_ms,
        max_retries: webhook.max_retries,
        retry_backoff_seconds: webhook.retry_backoff_seconds,
        rate_limit_per_second: webhook.rate_limit_per_second,
    }
}

/// What one transaction of publishes did.
pub struct PublishedBatch {
    /// One answer per request, in order.
    pub answers: Vec<StoreResult<Published>>,
    /// The deliveries claimed for this process, to send now.
    pub claimed: Vec<(ClaimedRow, ClaimTicket)>,
}

/// Writes `rows` in the open transaction `$tx`: a few multi-row
/// statements, whatever the number of events and deliveries.
macro_rules! write_rows {
    ($tx:expr, $rows:expr, $worker_id:expr) => {{
        let rows = &$rows;
        for chunk in rows.events.chunks(CLAIM_CHUNK) {
            let values: Vec<String> = (0..chunk.len())
                .map(|n| format!("({})", placeholders(1 + 6 * n, 6)))
                .collect();
            let sql = format!(
                "INSERT INTO events (id, account_id, company_id, event_type_id, body, created_at) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for event in chunk {
                query = query
                    .bind(&event.id)
                    .bind(&event.account_id)
                    .bind(&event.company_id)
                    .bind(event.event_type_id)
                    .bind(&event.body)
                    .bind(event.created_at);
            }
            query.execute(&mut *$tx).await?;
        }
        for chunk in rows.deliveries.chunks(CLAIM_CHUNK) {
            let values: Vec<String> = (0..chunk.len())
                .map(|n| {
                    // id, webhook, event, status, attempts, time, worker, lease
                    let p = 1 + 8 * n;
                    format!(
                        "(${}, ${}, ${}, FALSE, ${}, ${}, ${}, ${}, ${}, ${}, ${})",
                        p, p + 1, p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 5, p + 5
                    )
                })
                .collect();
            let sql = format!(
                "INSERT INTO deliveries (id, webhook_id, event_id, is_test, status, attempt_count, \
                 next_attempt_at, locked_by, locked_until, created_at, updated_at) VALUES {}",
                values.join(", ")
            );
            let mut query = sqlx::query(sqlx::AssertSqlSafe(sql));
            for (id, webhook_id, event, lease) in chunk {
                let (status, attempts) = if lease.is_some() { ("delivering", 1_i64) } else { ("pending", 0) };
                query = query
                    .bind(id)
                    .bind(*webhook_id)
                    .bind(&event.id)
                    .bind(status)
                    .bind(attempts)
                    .bind(event.created_at)
                    .bind(lease.map(|_| $worker_id))
                    .bind(*lease);
            }
            query.execute(&mut *$tx).await?;
        }
        let now = super::now_ms();
        for chunk in rows.attempts.chunks(CLAIM_CHUNK) {
            let mut query = sqlx::query(sqlx::AssertSqlSafe(claims::insert_started_sql(chunk.len())))
                .bind($worker_id)
                .bind(now);
            for (attempt_id, delivery_id) in chunk {
                query = query.bind(attempt_id).bind(delivery_id).bind(1_i64);
            }
            query.execute(&mut *$tx).await?;
        }
    }};
}

/// The webhooks of each `(account, company, event type)` in a batch.
type Matching<'r> = HashMap<(&'r str, Option<&'r str>, i64), Vec<MatchedWebhook>>;

fn matching_key(request: &PublishRequest) -> (&str, Option<&str>, i64) {
    (
        request.account_id.as_str(),
        request.company_id.as_deref(),
        request.event_type_id,
    )
}

fn webhooks_of<'m>(
    matching: &'m Matching<'m>,
    request: &'m PublishRequest,
) -> &'m [MatchedWebhook] {
    matching
        .get(&matching_key(request))
        .map(Vec::as_slice)
        .unwrap_or_default()
}

/// Stores each event and a delivery per matching webhook (ids from
/// `new_id`), honouring its idempotency key, all in ONE transaction: one
/// commit (one fsync on SQLite) for the batch. A delivery to a sendable
/// webhook is written claimed, its attempt `started`, when `claimer` has
/// room for it; the others wait in the queue. A request with an
/// idempotency key runs in a savepoint, so that its refusal undoes nothing
/// else; any other error fails the whole batch. The answers come back in
/// order, and only once the commit is done. A webhook matches when it is
/// live and active, subscribed to the type (or to all), and global or of
/// the event's company.
pub async fn publish_many(
    db: &Db,
    requests: &[&PublishRequest],
    claimer: Option<&dyn LocalClaimer>,
    new_id: impl Fn() -> String,
) -> StoreResult<PublishedBatch> {
    let worker_id = claimer.map(LocalClaimer::worker_id).unwrap_or_default();
    let written = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut matching: Matching<'_> = HashMap::new();
        for request in requests {
            let key = matching_key(request);
            if let std::collections::hash_map::Entry::Vacant(slot) = matching.entry(key) {
                let webhooks: Vec<MatchedWebhook> = sqlx::query_as(MATCHING_WEBHOOKS)
                    .bind(key.0)
                    .bind(key.1)
                    .bind(key.2)
                    .fetch_all(&mut *tx)
                    .await?;
                slot.insert(webhooks);
            }
        }
        let webhooks_of = |request| webhooks_of(&matching, request);
        let mut answers: Vec<StoreResult<Published>> = Vec::with_capacity(requests.len());
        // Other processes are told of deliveries left in the queue.
        let mut announce = false;
        let mut batch = Rows::new(claimer);
        for request in requests {
            let Some(key) = &request.idempotency else {
                let deliveries = batch.add(request, webhooks_of(request), &new_id);
                answers.push(Ok(Published::New { deliveries }));
                continue;
            };
            sqlx::query("SAVEPOINT publish").execute(&mut *tx).await?;
            let mut alone = Rows::new(claimer);
            let answer = async {
                let previous: Option<(String, String, i64, i64)> = sqlx::query_as(
                    "SELECT request_hash, event_id, deliveries, created_at FROM idempotency_keys \
                     WHERE account_id = $1 AND idempotency_key = $2",
                )
                .bind(&request.account_id)
                .bind(&key.key)
                .fetch_optional(&mut *tx)
                .await?;
                match previous {
                    Some((hash, event_id, count, at)) if at >= key.fresh_after => {
                        return Ok::<_, sqlx::Error>(if hash == key.request_hash {
                            Published::Repeated { event_id, deliveries: count.try_into().unwrap_or(0) }
                        } else {
                            Published::KeyReused
                        });
                    }
                    Some(_) => {
                        sqlx::query("DELETE FROM idempotency_keys WHERE account_id = $1 AND idempotency_key = $2")
                            .bind(&request.account_id)
                            .bind(&key.key)
                            .execute(&mut *tx)
                            .await?;
                    }
                    None => {}
                }
                let deliveries = alone.add(request, webhooks_of(request), &new_id);
                write_rows!(tx, alone, worker_id);
                sqlx::query(
                    "INSERT INTO idempotency_keys (account_id, idempotency_key, request_hash, event_id, deliveries, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(&request.account_id)
                .bind(&key.key)
                .bind(&key.request_hash)
                .bind(&request.id)
                .bind(i64::try_from(deliveries).unwrap_or(i64::MAX))
                .bind(request.created_at)
                .execute(&mut *tx)
                .await?;
                Ok::<_, sqlx::Error>(Published::New { deliveries })
            }
            .await;
            match answer {
                Ok(published) => {
                    sqlx::query("RELEASE SAVEPOINT publish").execute(&mut *tx).await?;
                    announce |= alone.leaves_pending();
                    batch.absorb(alone);
                    answers.push(Ok(published));
                }
                Err(error) => {
                    drop(alone);
                    sqlx::query("ROLLBACK TO SAVEPOINT publish").execute(&mut *tx).await?;
                    sqlx::query("RELEASE SAVEPOINT publish").execute(&mut *tx).await?;
                    answers.push(Err(super::StoreError::from(error)));
                }
            }
        }
        write_rows!(tx, batch, worker_id);
        announce |= batch.leaves_pending();
        if announce && matches!(db, Db::Postgres(_)) {
            // Delivered on commit, to the workers of every process.
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(super::workers::WORK_CHANNEL)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(PublishedBatch { answers, claimed: batch.keep() })
    })?;
    Ok(written)
}
