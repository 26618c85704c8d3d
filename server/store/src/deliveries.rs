//! The durable delivery queue and the attempt log: reads, manual retries,
//! test pings, retention and the queue's counts. Claiming lives in
//! [`claims`], recording attempts in [`super::finished_attempts`], the queue's upkeep
//! in [`super::queue_upkeep`]; a claimed delivery's attempt row is written as
//! `started` in the claiming transaction, before any request goes out.

use super::{
    BeginWrite, Db, StoreResult,
    claims::{self, CLAIMED, ClaimedRow},
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
    lease: claims::Lease,
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
        .bind(lease.margin_ms)
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
