//! What a batch of publishes writes: the events, a delivery per matching
//! webhook (claimed for this process where its lanes have room, with the
//! attempt row `started`), gathered so that the batch takes a few
//! multi-row statements, and the lane places it took, given back unless
//! the batch commits.

use super::{
    claims::{CLAIM_CHUNK, ClaimedRow, push_started},
    events::{LocalClaimer, PublishRequest},
};
use sqlx::{Database, Encode, QueryBuilder, Type};
use std::collections::HashMap;

/// A webhook an event goes to, with what sending to it needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub(super) struct MatchedWebhook {
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
    revision: i64,
    circuit_open: bool,
}

pub(super) const MATCHING_WEBHOOKS: &str = "SELECT id, url, headers, signing_secret, previous_signing_secret, \
     previous_secret_expires_at, timeout_ms, max_retries, retry_backoff_seconds, \
     rate_limit_per_second, revision, circuit_opened_at IS NOT NULL AS circuit_open \
     FROM webhooks w WHERE account_id = $1 \
     AND deleted_at IS NULL AND is_active AND (company_id IS NULL OR company_id = $2) \
     AND (all_events OR EXISTS (SELECT 1 FROM webhook_event_types s \
          WHERE s.webhook_id = w.id AND s.event_type_id = $3)) \
     ORDER BY created_at, id";

/// Places taken in this process's lanes for deliveries not committed yet:
/// given back when dropped, unless kept (the commit succeeded).
struct LaneReservations<'c, T: Send> {
    claimer: Option<&'c dyn LocalClaimer<Ticket = T>>,
    webhooks: Vec<String>,
}

/// The deliveries a publish wrote claimed for this process, waiting for
/// their transaction's commit: their lane places are given back when this
/// is dropped, unless [`PendingClaims::keep`] says the commit succeeded.
pub struct PendingClaims<'c, T: Send> {
    claimed: Vec<(ClaimedRow, T)>,
    places: LaneReservations<'c, T>,
}

impl<T: Send> PendingClaims<'_, T> {
    /// The claimed deliveries, their places kept: the commit succeeded.
    pub fn keep(mut self) -> Vec<(ClaimedRow, T)> {
        self.places.webhooks.clear();
        std::mem::take(&mut self.claimed)
    }
}

impl<T: Send> Drop for LaneReservations<'_, T> {
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
pub(super) struct PublishWrites<'a, 'c, T: Send> {
    pub events: Vec<&'a PublishRequest>,
    /// `(delivery id, webhook id, event, claimed with this lease)`.
    pub deliveries: Vec<(String, &'a str, &'a PublishRequest, Option<i64>)>,
    /// `(attempt id, delivery id)` of the claimed deliveries.
    pub attempts: Vec<(String, String)>,
    claimed: Vec<(ClaimedRow, T)>,
    places: LaneReservations<'c, T>,
}

impl<'a, 'c, T: Send> PublishWrites<'a, 'c, T> {
    pub fn new(claimer: Option<&'c dyn LocalClaimer<Ticket = T>>) -> Self {
        Self {
            events: Vec::new(),
            deliveries: Vec::new(),
            attempts: Vec::new(),
            claimed: Vec::new(),
            places: LaneReservations {
                claimer,
                webhooks: Vec::new(),
            },
        }
    }

    /// The event and a delivery to each webhook; claimed for this process
    /// where its engine has room. Returns how many deliveries.
    pub fn add(
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
                let lease = self.places.claimer.map_or(0, |claimer| {
                    claimer
                        .lease()
                        .until(request.created_at, webhook.timeout_ms)
                });
                let row = claimed_row(request, webhook, &delivery_id, new_id(), lease);
                self.attempts
                    .push((row.attempt_id.clone(), delivery_id.clone()));
                self.claimed.push((row, ticket));
                lease
            });
            self.deliveries
                .push((delivery_id, &webhook.id, request, lease));
        }
        webhooks.len() as u64
    }

    /// Whether some delivery waits in the queue (not claimed here).
    pub fn leaves_pending(&self) -> bool {
        self.deliveries.iter().any(|(.., lease)| lease.is_none())
    }

    /// Takes over the rows (already written) and places of `other`.
    pub fn absorb(&mut self, mut other: PublishWrites<'a, 'c, T>) {
        self.claimed.append(&mut other.claimed);
        self.places.webhooks.append(&mut other.places.webhooks);
    }

    /// The multi-row INSERTs that write these rows (deliveries claimed for
    /// `worker_id` at `now`): a few, whatever the number of events and
    /// deliveries.
    pub fn statements<DB>(&self, worker_id: &str, now: i64) -> Vec<QueryBuilder<DB>>
    where
        DB: Database,
        for<'t> &'t str: Encode<'t, DB> + Type<DB>,
        for<'t> Option<&'t str>: Encode<'t, DB> + Type<DB>,
        for<'t> i64: Encode<'t, DB> + Type<DB>,
        for<'t> Option<i64>: Encode<'t, DB> + Type<DB>,
    {
        let mut statements = Vec::new();
        for chunk in self.events.chunks(CLAIM_CHUNK) {
            let mut insert = QueryBuilder::new(
                "INSERT INTO events (id, account_id, company_id, event_type_id, body, created_at) ",
            );
            insert.push_values(chunk, |mut row, event| {
                row.push_bind(event.id.as_str())
                    .push_bind(event.account_id.as_str())
                    .push_bind(event.company_id.as_deref())
                    .push_bind(event.event_type_id)
                    .push_bind(event.body.as_str())
                    .push_bind(event.created_at);
            });
            statements.push(insert);
        }
        for chunk in self.deliveries.chunks(CLAIM_CHUNK) {
            let mut insert = QueryBuilder::new(
                "INSERT INTO deliveries (id, webhook_id, event_id, is_test, status, attempt_count, \
                 next_attempt_at, locked_by, locked_until, created_at, updated_at) ",
            );
            insert.push_values(chunk, |mut row, (id, webhook_id, event, lease)| {
                let (status, attempts) = match lease {
                    Some(_) => ("delivering", 1_i64),
                    None => ("pending", 0),
                };
                row.push_bind(id.as_str())
                    .push_bind(*webhook_id)
                    .push_bind(event.id.as_str())
                    .push("FALSE")
                    .push_bind(status)
                    .push_bind(attempts)
                    .push_bind(event.created_at)
                    .push_bind(lease.map(|_| worker_id))
                    .push_bind(*lease)
                    .push_bind(event.created_at)
                    .push_bind(event.created_at);
            });
            statements.push(insert);
        }
        for chunk in self.attempts.chunks(CLAIM_CHUNK) {
            let mut insert = QueryBuilder::default();
            let started = chunk
                .iter()
                .map(|(attempt_id, delivery_id)| (attempt_id.as_str(), delivery_id.as_str(), 1));
            push_started(&mut insert, started, worker_id, now);
            statements.push(insert);
        }
        statements
    }

    /// The claimed deliveries, once the rows are written: they wait for
    /// the commit.
    pub fn pending(self) -> PendingClaims<'c, T> {
        PendingClaims {
            claimed: self.claimed,
            places: self.places,
        }
    }
}

fn claimed_row(
    request: &PublishRequest,
    webhook: &MatchedWebhook,
    delivery_id: &str,
    attempt_id: String,
    locked_until: i64,
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
        revision: webhook.revision,
        locked_until,
    }
}

/// The webhooks of each `(account, company, event type)` in a batch.
pub(super) type Matching<'r> = HashMap<(&'r str, Option<&'r str>, i64), Vec<MatchedWebhook>>;

pub(super) fn matching_key(request: &PublishRequest) -> (&str, Option<&str>, i64) {
    (
        request.account_id.as_str(),
        request.company_id.as_deref(),
        request.event_type_id,
    )
}

pub(super) fn webhooks_of<'m>(
    matching: &'m Matching<'m>,
    request: &'m PublishRequest,
) -> &'m [MatchedWebhook] {
    matching
        .get(&matching_key(request))
        .map(Vec::as_slice)
        .unwrap_or_default()
}
