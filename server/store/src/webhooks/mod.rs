//! Webhook configurations and the event types each subscribes to.

mod lifecycle;

pub use lifecycle::{Rotation, reset_circuit, rotate_secret, soft_delete};

use crate::{BeginWrite, Db, StoreResult, on_pool, on_writer, push_list};
use sqlx::QueryBuilder;

/// A `webhooks` row; `headers` and the secrets are sealed by the service.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct WebhookRow {
    pub id: String,
    /// The 24-hex id of the Interactly profile (SPEC §7.1), fixed for life.
    pub interactly_id: String,
    pub account_id: String,
    pub api_key_id: String,
    pub company_id: Option<String>,
    pub url: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub headers: Vec<u8>,
    pub all_events: bool,
    pub is_active: bool,
    pub disabled_reason: Option<String>,
    pub max_retries: i64,
    pub timeout_ms: i64,
    pub retry_backoff_seconds: i64,
    pub rate_limit_per_second: Option<i64>,
    pub consecutive_failures: i64,
    pub circuit_opened_at: Option<i64>,
    pub signing_secret: Vec<u8>,
    pub previous_signing_secret: Option<Vec<u8>>,
    pub previous_secret_expires_at: Option<i64>,
    pub created_at: i64,
    pub updated_at: i64,
}

macro_rules! columns {
    () => {
        "id, interactly_id, account_id, api_key_id, company_id, url, name, description, headers, all_events, \
         is_active, disabled_reason, max_retries, timeout_ms, retry_backoff_seconds, \
         rate_limit_per_second, consecutive_failures, circuit_opened_at, signing_secret, \
         previous_signing_secret, previous_secret_expires_at, created_at, updated_at"
    };
}

/// Which webhooks of an account a list returns.
pub struct ListFilter<'a> {
    pub account_id: &'a str,
    /// Only this company's webhooks (global ones excluded).
    pub company_id: Option<&'a str>,
    pub limit: i64,
    pub offset: i64,
}

/// Inserts the webhook and its subscriptions in one transaction.
pub async fn insert(db: &Db, row: &WebhookRow, event_type_ids: &[i64]) -> StoreResult<()> {
    const SQL: &str = concat!(
        "INSERT INTO webhooks (",
        columns!(),
        ") VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)"
    );
    on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(SQL)
            .bind(&row.id)
            .bind(&row.interactly_id)
            .bind(&row.account_id)
            .bind(&row.api_key_id)
            .bind(&row.company_id)
            .bind(&row.url)
            .bind(&row.name)
            .bind(&row.description)
            .bind(&row.headers)
            .bind(row.all_events)
            .bind(row.is_active)
            .bind(&row.disabled_reason)
            .bind(row.max_retries)
            .bind(row.timeout_ms)
            .bind(row.retry_backoff_seconds)
            .bind(row.rate_limit_per_second)
            .bind(row.consecutive_failures)
            .bind(row.circuit_opened_at)
            .bind(&row.signing_secret)
            .bind(&row.previous_signing_secret)
            .bind(row.previous_secret_expires_at)
            .bind(row.created_at)
            .bind(row.updated_at)
            .execute(&mut *tx)
            .await?;
        for (position, type_id) in (0_i64..).zip(event_type_ids) {
            sqlx::query("INSERT INTO webhook_event_types (webhook_id, event_type_id, position) VALUES ($1, $2, $3)")
                .bind(&row.id)
                .bind(type_id)
                .bind(position)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    })?;
    Ok(())
}

/// Writes the configuration columns; with `activate`, sets `is_active`
/// (reactivating clears `disabled_reason`); with `event_type_ids`,
/// replaces the subscriptions too. The engine's columns (circuit, a 410's
/// deactivation) and the secrets are left alone unless asked, so an edit
/// made from an older read never undoes them. False when the webhook is
/// gone.
pub async fn update(
    db: &Db,
    row: &WebhookRow,
    activate: Option<bool>,
    event_type_ids: Option<&[i64]>,
) -> StoreResult<bool> {
    let updated = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let updated = sqlx::query(
            "UPDATE webhooks SET company_id = $2, url = $3, name = $4, description = $5, headers = $6, \
             all_events = $7, max_retries = $8, timeout_ms = $9, retry_backoff_seconds = $10, \
             rate_limit_per_second = $11, updated_at = $12, revision = revision + 1, is_active = COALESCE($13, is_active), \
             disabled_reason = CASE WHEN $13 THEN NULL ELSE disabled_reason END \
             WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(&row.id)
        .bind(&row.company_id)
        .bind(&row.url)
        .bind(&row.name)
        .bind(&row.description)
        .bind(&row.headers)
        .bind(row.all_events)
        .bind(row.max_retries)
        .bind(row.timeout_ms)
        .bind(row.retry_backoff_seconds)
        .bind(row.rate_limit_per_second)
        .bind(row.updated_at)
        .bind(activate)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if let (1, Some(type_ids)) = (updated, event_type_ids) {
            sqlx::query("DELETE FROM webhook_event_types WHERE webhook_id = $1")
                .bind(&row.id)
                .execute(&mut *tx)
                .await?;
            for (position, type_id) in (0_i64..).zip(type_ids) {
                sqlx::query("INSERT INTO webhook_event_types (webhook_id, event_type_id, position) VALUES ($1, $2, $3)")
                    .bind(&row.id)
                    .bind(type_id)
                    .bind(position)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        tx.commit().await?;
        Ok::<_, sqlx::Error>(updated)
    })?;
    Ok(updated == 1)
}

/// A webhook that has not been deleted.
pub async fn find(db: &Db, id: &str) -> StoreResult<Option<WebhookRow>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM webhooks WHERE id = $1 AND deleted_at IS NULL"
    );
    find_one(db, SQL, id).await
}

/// The webhook (not deleted) with this Interactly id.
pub async fn find_by_interactly_id(
    db: &Db,
    interactly_id: &str,
) -> StoreResult<Option<WebhookRow>> {
    const SQL: &str = concat!(
        "SELECT ",
        columns!(),
        " FROM webhooks WHERE interactly_id = $1 AND deleted_at IS NULL"
    );
    find_one(db, SQL, interactly_id).await
}

async fn find_one(db: &Db, sql: &'static str, key: &str) -> StoreResult<Option<WebhookRow>> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, WebhookRow>(sql)
        .bind(key)
        .fetch_optional(pool)
        .await)?;
    Ok(row)
}

macro_rules! list_filter {
    () => {
        " FROM webhooks WHERE account_id = $1 AND deleted_at IS NULL AND ($2 IS NULL OR company_id = $2)"
    };
}

/// One page, newest first, and the total matching the filter.
pub async fn list(db: &Db, filter: &ListFilter<'_>) -> StoreResult<(Vec<WebhookRow>, i64)> {
    const PAGE: &str = concat!(
        "SELECT ",
        columns!(),
        list_filter!(),
        " ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4"
    );
    const COUNT: &str = concat!("SELECT COUNT(*)", list_filter!());
    let (rows, (total,)) = on_pool!(db, pool => {
        let rows = sqlx::query_as::<_, WebhookRow>(PAGE)
            .bind(filter.account_id)
            .bind(filter.company_id)
            .bind(filter.limit)
            .bind(filter.offset)
            .fetch_all(pool)
            .await?;
        let total: (i64,) = sqlx::query_as(COUNT)
            .bind(filter.account_id)
            .bind(filter.company_id)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok((rows, total))
}

/// `(webhook id, event type id)` for every subscription of the given webhooks.
pub async fn subscriptions(db: &Db, webhook_ids: &[&str]) -> StoreResult<Vec<(String, i64)>> {
    if webhook_ids.is_empty() {
        return Ok(Vec::new());
    }
    // At most one page (200) of ids: one parameter each.
    let rows = on_pool!(db, pool => {
        let mut select = QueryBuilder::new(
            "SELECT webhook_id, event_type_id FROM webhook_event_types WHERE webhook_id IN (",
        );
        push_list(&mut select, webhook_ids.iter().copied());
        select.push(") ORDER BY position, event_type_id");
        select.build_query_as::<(String, i64)>().fetch_all(pool).await
    })?;
    Ok(rows)
}
