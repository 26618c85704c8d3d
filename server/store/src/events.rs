//! Published events and their idempotency keys. An event, one delivery per
//! matching webhook and the idempotency key are written in one transaction;
//! a delivery this process can send at once is written claimed.

use super::{
    Db, StoreResult, WriteTx,
    claims::{ClaimedRow, Lease},
    in_tx,
    publish_batch::{
        MATCHING_WEBHOOKS, MatchedWebhook, Matching, PendingClaims, PublishWrites, matching_key,
        webhooks_of,
    },
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
/// The engine implements it: the store only carries its tickets.
pub trait LocalClaimer: Send + Sync {
    /// The engine's mark of a place it gave, handed back with the row.
    type Ticket: Send;
    /// How long the lease of a delivery claimed for it lasts.
    fn lease(&self) -> Lease;
    /// The id `locked_by` records for this process.
    fn worker_id(&self) -> &str;
    /// A place for one more delivery of this webhook, when there is one.
    fn reserve(&self, webhook_id: &str, rate_limit: Option<i64>) -> Option<Self::Ticket>;
    /// Gives back a place whose delivery was not committed.
    fn unreserve(&self, webhook_id: &str);
}

/// What one transaction of publishes did.
pub struct PublishedBatch<T: Send> {
    /// One answer per request, in order.
    pub answers: Vec<StoreResult<Published>>,
    /// The deliveries claimed for this process, to send now.
    pub claimed: Vec<(ClaimedRow, T)>,
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
pub async fn publish_many<T: Send>(
    db: &Db,
    requests: &[&PublishRequest],
    claimer: Option<&dyn LocalClaimer<Ticket = T>>,
    now: i64,
    new_id: impl Fn() -> String,
) -> StoreResult<PublishedBatch<T>> {
    let mut tx = WriteTx::begin(db).await?;
    let written = publish_in(&mut tx, requests, claimer, now, new_id).await?;
    tx.commit().await?;
    Ok(written.committed())
}

/// Publishes written in a transaction not yet committed.
pub struct PublishesWritten<'c, T: Send> {
    answers: Vec<StoreResult<Published>>,
    claimed: PendingClaims<'c, T>,
}

impl<T: Send> PublishesWritten<'_, T> {
    /// What the batch did, once its transaction has committed.
    pub fn committed(self) -> PublishedBatch<T> {
        PublishedBatch {
            answers: self.answers,
            claimed: self.claimed.keep(),
        }
    }
}

/// [`publish_many`] inside an open transaction, to commit with other work.
/// Dropping the answer uncommitted gives back the lane places it took.
pub async fn publish_in<'c, T: Send>(
    tx: &mut WriteTx,
    requests: &[&PublishRequest],
    claimer: Option<&'c dyn LocalClaimer<Ticket = T>>,
    now: i64,
    new_id: impl Fn() -> String,
) -> StoreResult<PublishesWritten<'c, T>> {
    let worker_id = claimer
        .map(|claimer| claimer.worker_id())
        .unwrap_or_default();
    let postgres = tx.is_postgres();
    let written = in_tx!(tx, conn => {
        let mut matching: Matching<'_> = HashMap::new();
        for request in requests {
            let key = matching_key(request);
            if let std::collections::hash_map::Entry::Vacant(slot) = matching.entry(key) {
                let webhooks: Vec<MatchedWebhook> = sqlx::query_as(MATCHING_WEBHOOKS)
                    .bind(key.0)
                    .bind(key.1)
                    .bind(key.2)
                    .fetch_all(&mut *conn)
                    .await?;
                slot.insert(webhooks);
            }
        }
        let webhooks_of = |request| webhooks_of(&matching, request);
        let mut answers: Vec<StoreResult<Published>> = Vec::with_capacity(requests.len());
        // Other processes are told of deliveries left in the queue.
        let mut announce = false;
        let mut batch = PublishWrites::new(claimer);
        for request in requests {
            let Some(key) = &request.idempotency else {
                let deliveries = batch.add(request, webhooks_of(request), &new_id);
                answers.push(Ok(Published::New { deliveries }));
                continue;
            };
            sqlx::query("SAVEPOINT publish").execute(&mut *conn).await?;
            let mut alone = PublishWrites::new(claimer);
            let answer = async {
                let previous: Option<(String, String, i64, i64)> = sqlx::query_as(
                    "SELECT request_hash, event_id, deliveries, created_at FROM idempotency_keys \
                     WHERE account_id = $1 AND idempotency_key = $2",
                )
                .bind(&request.account_id)
                .bind(&key.key)
                .fetch_optional(&mut *conn)
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
                            .execute(&mut *conn)
                            .await?;
                    }
                    None => {}
                }
                let deliveries = alone.add(request, webhooks_of(request), &new_id);
                for mut insert in alone.statements(worker_id, now) {
                    insert.build().execute(&mut *conn).await?;
                }
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
                .execute(&mut *conn)
                .await?;
                Ok::<_, sqlx::Error>(Published::New { deliveries })
            }
            .await;
            match answer {
                Ok(published) => {
                    sqlx::query("RELEASE SAVEPOINT publish").execute(&mut *conn).await?;
                    announce |= alone.leaves_pending();
                    batch.absorb(alone);
                    answers.push(Ok(published));
                }
                Err(error) => {
                    drop(alone);
                    sqlx::query("ROLLBACK TO SAVEPOINT publish").execute(&mut *conn).await?;
                    sqlx::query("RELEASE SAVEPOINT publish").execute(&mut *conn).await?;
                    answers.push(Err(super::StoreError::from(error)));
                }
            }
        }
        for mut insert in batch.statements(worker_id, now) {
            insert.build().execute(&mut *conn).await?;
        }
        announce |= batch.leaves_pending();
        if announce && postgres {
            // Delivered on commit, to the workers of every process.
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(super::workers::WORK_CHANNEL)
                .execute(&mut *conn)
                .await?;
        }
        Ok::<_, sqlx::Error>(PublishesWritten { answers, claimed: batch.pending() })
    })?;
    Ok(written)
}
