//! Console sessions, stored by the SHA-256 of their token.

use super::{
    Db, StoreResult,
    api_keys::{ActiveKeyRow, active_key_columns},
    on_pool, on_writer,
};

/// A live session and the key it belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SessionRow {
    pub expires_at: i64,
    #[sqlx(flatten)]
    pub key: ActiveKeyRow,
}

pub async fn insert(
    db: &Db,
    token_hash: &str,
    api_key_id: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO console_sessions (token_hash, api_key_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(api_key_id)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The session if it has not expired and its key is not revoked.
pub async fn find_live(db: &Db, token_hash: &str, now: i64) -> StoreResult<Option<SessionRow>> {
    const SQL: &str = concat!(
        "SELECT s.expires_at, ",
        active_key_columns!(),
        " FROM console_sessions s \
         JOIN api_keys k ON k.id = s.api_key_id JOIN accounts a ON a.id = k.account_id \
         WHERE s.token_hash = $1 AND s.expires_at > $2 AND k.revoked_at IS NULL"
    );
    let row = on_pool!(db, pool => sqlx::query_as::<_, SessionRow>(SQL)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)?;
    Ok(row)
}

pub async fn set_expiry(db: &Db, token_hash: &str, expires_at: i64) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query("UPDATE console_sessions SET expires_at = $2 WHERE token_hash = $1")
        .bind(token_hash)
        .bind(expires_at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn delete(db: &Db, token_hash: &str) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query("DELETE FROM console_sessions WHERE token_hash = $1")
        .bind(token_hash)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

/// Removes every session of a key (its revocation ends them).
pub async fn delete_for_key(db: &Db, api_key_id: &str) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query("DELETE FROM console_sessions WHERE api_key_id = $1")
        .bind(api_key_id)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn delete_expired(db: &Db, now: i64) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query("DELETE FROM console_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}
