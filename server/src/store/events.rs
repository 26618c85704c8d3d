//! Published events and their idempotency keys. An event, one delivery per
//! matching webhook and the idempotency key are written in one transaction.

use super::{BeginWrite, Db, StoreError, StoreResult, on_pool, placeholders};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

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

/// Stores each event and a pending delivery per matching webhook (ids from
/// `new_id`), honouring its idempotency key, all in ONE transaction: one
/// commit (one fsync on SQLite) for the batch. Each request runs in a
/// savepoint, so one refused request does not undo the others; the answers
/// come back in order, and only once the commit is done. A webhook matches
/// when it is live and active, subscribed to the type (or to all), and
/// global or of the event's company.
pub async fn publish_many(
    db: &Db,
    requests: &[&PublishRequest],
    new_id: impl Fn() -> String,
) -> StoreResult<Vec<StoreResult<Published>>> {
    let answers = on_pool!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let mut answers = Vec::with_capacity(requests.len());
        let mut announce = false;
        for request in requests {
            let event = NewEvent {
                id: &request.id,
                account_id: &request.account_id,
                company_id: request.company_id.as_deref(),
                event_type_id: request.event_type_id,
                body: &request.body,
                created_at: request.created_at,
            };
            let idempotency = request.idempotency.as_ref().map(|key| IdempotencyKey {
                key: &key.key,
                request_hash: &key.request_hash,
                fresh_after: key.fresh_after,
            });
            let idempotency = idempotency.as_ref();
            sqlx::query("SAVEPOINT publish").execute(&mut *tx).await?;
            let answer = async {
                if let Some(key) = idempotency {
                    let previous: Option<(String, String, i64, i64)> = sqlx::query_as(
                        "SELECT request_hash, event_id, deliveries, created_at FROM idempotency_keys \
                         WHERE account_id = $1 AND idempotency_key = $2",
                    )
                    .bind(event.account_id)
                    .bind(key.key)
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
                                .bind(event.account_id)
                                .bind(key.key)
                                .execute(&mut *tx)
                                .await?;
                        }
                        None => {}
                    }
                }
                let webhooks: Vec<(String,)> = sqlx::query_as(MATCHING_WEBHOOKS)
                    .bind(event.account_id)
                    .bind(event.company_id)
                    .bind(event.event_type_id)
                    .fetch_all(&mut *tx)
                    .await?;
                let deliveries: Vec<(String, String)> =
                    webhooks.into_iter().map(|(webhook_id,)| (new_id(), webhook_id)).collect();
                sqlx::query(
                    "INSERT INTO events (id, account_id, company_id, event_type_id, body, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6)",
                )
                .bind(event.id)
                .bind(event.account_id)
                .bind(event.company_id)
                .bind(event.event_type_id)
                .bind(event.body)
                .bind(event.created_at)
                .execute(&mut *tx)
                .await?;
                for chunk in deliveries.chunks(100) {
                    let rows: Vec<String> = (0..chunk.len())
                        .map(|n| format!("({}, $1, FALSE, 'pending', 0, $2, $2, $2)", placeholders(3 + 2 * n, 2)))
                        .collect();
                    let sql = format!(
                        "INSERT INTO deliveries (id, webhook_id, event_id, is_test, status, attempt_count, \
                         next_attempt_at, created_at, updated_at) VALUES {}",
                        rows.join(", ")
                    );
                    let mut query = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(event.id).bind(event.created_at);
                    for (id, webhook_id) in chunk {
                        query = query.bind(id).bind(webhook_id);
                    }
                    query.execute(&mut *tx).await?;
                }
                let count = i64::try_from(deliveries.len()).unwrap_or(i64::MAX);
                if let Some(key) = idempotency {
                    sqlx::query(
                        "INSERT INTO idempotency_keys (account_id, idempotency_key, request_hash, event_id, deliveries, created_at) \
                         VALUES ($1, $2, $3, $4, $5, $6)",
                    )
                    .bind(event.account_id)
                    .bind(key.key)
                    .bind(key.request_hash)
                    .bind(event.id)
                    .bind(count)
                    .bind(event.created_at)
                    .execute(&mut *tx)
                    .await?;
                }
                Ok::<_, sqlx::Error>(Published::New { deliveries: deliveries.len() as u64 })
            }
            .await;
            match answer {
                Ok(published) => {
                    sqlx::query("RELEASE SAVEPOINT publish").execute(&mut *tx).await?;
                    announce |= matches!(published, Published::New { deliveries } if deliveries > 0);
                    answers.push(Ok(published));
                }
                Err(error) => {
                    sqlx::query("ROLLBACK TO SAVEPOINT publish").execute(&mut *tx).await?;
                    sqlx::query("RELEASE SAVEPOINT publish").execute(&mut *tx).await?;
                    answers.push(Err(StoreError::from(error)));
                }
            }
        }
        if announce && matches!(db, Db::Postgres(_)) {
            // Delivered on commit, to the workers of every process.
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(super::workers::WORK_CHANNEL)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(answers)
    })?;
    Ok(answers)
}

const MATCHING_WEBHOOKS: &str = "SELECT id FROM webhooks w WHERE account_id = $1 \
     AND deleted_at IS NULL AND is_active AND (company_id IS NULL OR company_id = $2) \
     AND (all_events OR EXISTS (SELECT 1 FROM webhook_event_types s \
          WHERE s.webhook_id = w.id AND s.event_type_id = $3))";

/// The most publishes one commit takes.
const MAX_PUBLISH_BATCH: usize = 32;

struct QueuedPublish {
    request: PublishRequest,
    answer: oneshot::Sender<StoreResult<Published>>,
}

/// The group-commit queue in front of [`publish_many`]: publishes that
/// arrive while a commit is under way wait together for the next one, so
/// `synchronous=FULL` (a 202 means on disk) costs one fsync per batch, not
/// per event. Clones share the queue.
#[derive(Clone)]
pub struct Publisher {
    db: Db,
    /// Started on first use, inside the runtime.
    queue: Arc<OnceLock<mpsc::UnboundedSender<QueuedPublish>>>,
}

impl Publisher {
    pub fn new(db: Db) -> Self {
        Self {
            db,
            queue: Arc::new(OnceLock::new()),
        }
    }

    /// Publishes `request` with whatever else is waiting; answers once its
    /// transaction has committed.
    pub async fn publish(&self, request: PublishRequest) -> StoreResult<Published> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            tokio::spawn(commit_in_batches(self.db.clone(), receiver));
            sender
        });
        let (answer, answered) = oneshot::channel();
        let queued = QueuedPublish { request, answer };
        if let Err(mpsc::error::SendError(queued)) = queue.send(queued) {
            return alone(&self.db, &queued.request).await;
        }
        match answered.await {
            Ok(answer) => answer,
            Err(_) => Err(StoreError::Database(sqlx::Error::PoolClosed)),
        }
    }
}

async fn commit_in_batches(db: Db, mut queue: mpsc::UnboundedReceiver<QueuedPublish>) {
    let mut batch = Vec::with_capacity(MAX_PUBLISH_BATCH);
    while queue.recv_many(&mut batch, MAX_PUBLISH_BATCH).await > 0 {
        let requests: Vec<&PublishRequest> = batch.iter().map(|queued| &queued.request).collect();
        match publish_many(&db, &requests, new_id).await {
            Ok(answers) => {
                for (queued, answer) in batch.drain(..).zip(answers) {
                    let _ = queued.answer.send(answer);
                }
            }
            // The batch could not commit: each alone, so each gets its own answer.
            Err(error) => {
                tracing::warn!(%error, size = batch.len(), "a publish batch failed; one by one");
                for queued in batch.drain(..) {
                    let answer = alone(&db, &queued.request).await;
                    let _ = queued.answer.send(answer);
                }
            }
        }
    }
}

async fn alone(db: &Db, request: &PublishRequest) -> StoreResult<Published> {
    let mut answers = publish_many(db, &[request], new_id).await?;
    answers
        .pop()
        .unwrap_or(Err(StoreError::Database(sqlx::Error::RowNotFound)))
}

fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
