//! The one sealed value that tells whether the master key is the right one.

use super::{Db, StoreResult, on_pool, on_writer};

/// The sealed check value, when a start has stored one.
pub async fn find(db: &Db) -> StoreResult<Option<Vec<u8>>> {
    let row: Option<(Vec<u8>,)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT sealed FROM master_key_check WHERE id = 1",
    )
    .fetch_optional(pool)
    .await)?;
    Ok(row.map(|(sealed,)| sealed))
}

/// Stores `sealed` unless another process stored its own first.
pub async fn insert_if_absent(db: &Db, sealed: &[u8]) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO master_key_check (id, sealed) VALUES (1, $1) ON CONFLICT (id) DO NOTHING",
    )
    .bind(sealed)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// One stored webhook's id and sealed signing secret, to try a key on a
/// database that holds secrets from before the check value existed.
pub async fn any_sealed_secret(db: &Db) -> StoreResult<Option<(String, Vec<u8>)>> {
    let row = on_pool!(db, pool => sqlx::query_as(
        "SELECT id, signing_secret FROM webhooks ORDER BY id LIMIT 1",
    )
    .fetch_optional(pool)
    .await)?;
    Ok(row)
}
