//! Accounts: the tenants.

use super::{Db, StoreResult, on_pool, on_writer};

/// An `accounts` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AccountRow {
    pub id: String,
    pub name: String,
    pub created_at: i64,
    /// What the customer portal calls the account (its name when unset).
    pub display_name: Option<String>,
    /// The portal's accent colour, `#rrggbb`.
    pub accent_color: Option<String>,
}

/// Inserts the account unless one with this name exists; returns the stored one.
pub async fn insert_if_absent(db: &Db, id: &str, name: &str, now: i64) -> StoreResult<AccountRow> {
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3) ON CONFLICT (name) DO NOTHING",
    )
    .bind(id)
    .bind(name)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    let row = on_pool!(db, pool => sqlx::query_as::<_, AccountRow>(
        "SELECT id, name, created_at, display_name, accent_color FROM accounts WHERE name = $1",
    )
    .bind(name)
    .fetch_one(pool)
    .await)?;
    Ok(row)
}

pub async fn find(db: &Db, id: &str) -> StoreResult<Option<AccountRow>> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, AccountRow>(
        "SELECT id, name, created_at, display_name, accent_color FROM accounts WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)?;
    Ok(row)
}

/// Inserts a new account; a taken name is a [`super::StoreError::UniqueViolation`].
pub async fn insert(db: &Db, row: &AccountRow) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query("INSERT INTO accounts (id, name, created_at) VALUES ($1, $2, $3)")
        .bind(&row.id)
        .bind(&row.name)
        .bind(row.created_at)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}

/// One page of accounts, newest first, and the total.
pub async fn list(db: &Db, limit: i64, offset: i64) -> StoreResult<(Vec<AccountRow>, i64)> {
    let (rows, (total,)) = on_pool!(db, pool => {
        let rows = sqlx::query_as::<_, AccountRow>(
            "SELECT id, name, created_at, display_name, accent_color FROM accounts ORDER BY created_at DESC, id DESC LIMIT $1 OFFSET $2",
        )
        .bind(limit)
        .bind(offset)
        .fetch_all(pool)
        .await?;
        let total: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM accounts").fetch_one(pool).await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok((rows, total))
}

/// Sets how the customer portal shows the account; false when it does not exist.
pub async fn set_branding(
    db: &Db,
    id: &str,
    display_name: Option<&str>,
    accent_color: Option<&str>,
) -> StoreResult<bool> {
    let changed = on_writer!(db, pool => sqlx::query(
        "UPDATE accounts SET display_name = $2, accent_color = $3 WHERE id = $1",
    )
    .bind(id)
    .bind(display_name)
    .bind(accent_color)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(changed > 0)
}
