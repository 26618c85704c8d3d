//! Accounts: the tenants.

use super::{Db, StoreResult, on_pool};

/// An `accounts` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
}

/// Inserts the account unless one with this name exists; returns the stored one.
pub async fn insert_if_absent(db: &Db, id: &str, name: &str, now: i64) -> StoreResult<AccountRow> {
    on_pool!(db, pool => sqlx::query(
        "INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(id)
    .bind(name)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    let row = on_pool!(db, pool => sqlx::query_as::<_, AccountRow>(
        "SELECT id, name, created_at FROM accounts WHERE name = $1",
    )
    .bind(name)
    .fetch_one(pool)
    .await)?;
    Ok(row)
}

pub async fn find(db: &Db, id: &str) -> StoreResult<Option<AccountRow>> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, AccountRow>(
        "SELECT id, name, created_at FROM accounts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)?;
    Ok(row)
}
