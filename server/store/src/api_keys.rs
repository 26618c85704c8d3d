//! API keys, stored as a SHA-256 hash and a short visible prefix.

use super::{
    Db, StoreResult,
    account_pages::{self, AccountRows},
    on_pool, on_writer,
};

/// The columns of a new `api_keys` row.
pub struct NewApiKeyRow<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub company_id: Option<&'a str>,
    pub name: &'a str,
    pub key_prefix: &'a str,
    pub key_hash: &'a str,
    pub scopes: &'a str,
    pub created_at: i64,
}

/// An unrevoked key with its account's name, as authentication needs it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ActiveKeyRow {
    pub id: String,
    pub account_id: String,
    pub account_name: String,
    pub company_id: Option<String>,
    pub name: String,
    pub key_prefix: String,
    pub scopes: String,
}

/// The columns of [`ActiveKeyRow`], for queries that join `api_keys k` and `accounts a`.
macro_rules! active_key_columns {
    () => {
        "k.id, k.account_id, a.name AS account_name, k.company_id, k.name, k.key_prefix, k.scopes"
    };
}
pub(crate) use active_key_columns;

pub async fn insert(db: &Db, key: &NewApiKeyRow<'_>) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO api_keys (id, account_id, company_id, name, key_prefix, key_hash, scopes, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(key.id)
    .bind(key.account_id)
    .bind(key.company_id)
    .bind(key.name)
    .bind(key.key_prefix)
    .bind(key.key_hash)
    .bind(key.scopes)
    .bind(key.created_at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Whether any key exists at all, revoked or not (bootstrap runs only on none).
pub async fn any_exists(db: &Db) -> StoreResult<bool> {
    let found = on_pool!(db, pool => sqlx::query("SELECT id FROM api_keys LIMIT 1")
        .fetch_optional(pool)
        .await
        .map(|row| row.is_some()))?;
    Ok(found)
}

pub async fn find_active_by_hash(db: &Db, key_hash: &str) -> StoreResult<Option<ActiveKeyRow>> {
    const SQL: &str = concat!(
        "SELECT ",
        active_key_columns!(),
        " FROM api_keys k JOIN accounts a ON a.id = k.account_id \
         WHERE k.key_hash = $1 AND k.revoked_at IS NULL"
    );
    let row = on_pool!(db, pool => sqlx::query_as::<_, ActiveKeyRow>(SQL)
        .bind(key_hash)
        .fetch_optional(pool)
        .await)?;
    Ok(row)
}

/// Marks the key revoked; false when it does not exist in that account or was revoked already.
pub async fn revoke(db: &Db, account_id: &str, key_id: &str, now: i64) -> StoreResult<bool> {
    let revoked = on_writer!(db, pool => sqlx::query(
        "UPDATE api_keys SET revoked_at = $3 WHERE id = $1 AND account_id = $2 AND revoked_at IS NULL",
    )
    .bind(key_id)
    .bind(account_id)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(revoked == 1)
}

/// An `api_keys` row as listed (never the hash).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ApiKeyRow {
    pub id: String,
    pub account_id: String,
    pub company_id: Option<String>,
    pub name: String,
    pub key_prefix: String,
    pub scopes: String,
    pub created_at: i64,
    pub revoked_at: Option<i64>,
}

pub async fn find(db: &Db, id: &str) -> StoreResult<Option<ApiKeyRow>> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, ApiKeyRow>(
        "SELECT id, account_id, company_id, name, key_prefix, scopes, created_at, revoked_at \
         FROM api_keys WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)?;
    Ok(row)
}

/// One page of an account's keys (or only those of `company_id`), newest first, and the total.
pub async fn list(
    db: &Db,
    account_id: &str,
    company_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<ApiKeyRow>, i64)> {
    const KEYS: AccountRows = AccountRows {
        table: "api_keys",
        columns: "id, account_id, company_id, name, key_prefix, scopes, created_at, revoked_at",
        company_column: "company_id",
    };
    account_pages::page(db, &KEYS, account_id, company_id, (limit, offset)).await
}

/// Unrevoked keys holding `admin`, across every account.
pub async fn count_active_admins(db: &Db) -> StoreResult<i64> {
    // Scopes are stored joined by commas: `admin` stands alone or at an edge.
    let (count,): (i64,) = on_pool!(db, pool => sqlx::query_as(
        "SELECT COUNT(*) FROM api_keys WHERE revoked_at IS NULL AND \
         (scopes = 'admin' OR scopes LIKE 'admin,%' OR scopes LIKE '%,admin' OR scopes LIKE '%,admin,%')",
    )
    .fetch_one(pool)
    .await)?;
    Ok(count)
}
