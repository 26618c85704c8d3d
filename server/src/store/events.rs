//! Published events and their idempotency keys. An event, one delivery per
//! matching webhook and the idempotency key are written in one transaction.

use super::{BeginWrite, Db, StoreError, StoreResult, on_pool, placeholders};

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

/// Stores the event and a pending delivery per matching webhook (ids from
/// `new_id`), honouring the idempotency key, all in one transaction. A
/// webhook matches when it is live and active, subscribed to the type (or
/// to all), and global or of the event's company.
pub async fn publish(
    db: &Db,
    event: &NewEvent<'_>,
    idempotency: Option<&IdempotencyKey<'_>>,
    new_id: impl Fn() -> String,
) -> StoreResult<Published> {
    let result = on_pool!(db, pool => {
        let mut tx = pool.begin_write().await?;
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
                    return Ok(if hash == key.request_hash {
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
        if !deliveries.is_empty() && matches!(db, Db::Postgres(_)) {
            // Delivered on commit, to the workers of every process.
            sqlx::query("SELECT pg_notify($1, '')")
                .bind(super::workers::WORK_CHANNEL)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(Published::New { deliveries: deliveries.len() as u64 })
    });
    result.map_err(StoreError::from)
}

const MATCHING_WEBHOOKS: &str = "SELECT id FROM webhooks w WHERE account_id = $1 \
     AND deleted_at IS NULL AND is_active AND (company_id IS NULL OR company_id = $2) \
     AND (all_events OR EXISTS (SELECT 1 FROM webhook_event_types s \
          WHERE s.webhook_id = w.id AND s.event_type_id = $3))";
