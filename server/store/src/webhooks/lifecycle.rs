//! What happens to a webhook after it is made: a secret rotated, the
//! circuit reset, the webhook deleted (its waiting deliveries cancelled).

use crate::{BeginWrite, Db, StoreResult, on_writer};

/// A rotation: the new sealed secret, and the old one with its expiry.
pub struct Rotation<'a> {
    pub id: &'a str,
    /// The sealed secret the rotation was computed from.
    pub replaced: &'a [u8],
    pub signing_secret: &'a [u8],
    pub previous_signing_secret: &'a [u8],
    pub previous_secret_expires_at: i64,
    pub now: i64,
}

/// Stores a rotation if the current secret is still `replaced`; false when
/// another rotation got there first (or the webhook is gone).
pub async fn rotate_secret(db: &Db, rotation: &Rotation<'_>) -> StoreResult<bool> {
    let done = on_writer!(db, pool => sqlx::query(
        "UPDATE webhooks SET signing_secret = $3, previous_signing_secret = $4, \
         previous_secret_expires_at = $5, updated_at = $6, revision = revision + 1 \
         WHERE id = $1 AND signing_secret = $2 AND deleted_at IS NULL",
    )
    .bind(rotation.id)
    .bind(rotation.replaced)
    .bind(rotation.signing_secret)
    .bind(rotation.previous_signing_secret)
    .bind(rotation.previous_secret_expires_at)
    .bind(rotation.now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(done == 1)
}

/// Marks the webhook deleted; false when there was none.
pub async fn soft_delete(db: &Db, id: &str, now: i64) -> StoreResult<bool> {
    let deleted = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let deleted = sqlx::query(
            "UPDATE webhooks SET deleted_at = $2, is_active = FALSE, updated_at = $2, revision = revision + 1 WHERE id = $1 AND deleted_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        sqlx::query(
            "UPDATE deliveries SET status = 'cancelled', updated_at = $2 \
             WHERE webhook_id = $1 AND status IN ('pending', 'held')",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(deleted)
    })?;
    Ok(deleted == 1)
}

/// Closes the circuit, zeroes the failure count and makes every held
/// delivery due now (keeping its attempt count), in one transaction.
pub async fn reset_circuit(db: &Db, id: &str, now: i64) -> StoreResult<()> {
    on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        sqlx::query(
            "UPDATE webhooks SET consecutive_failures = 0, circuit_opened_at = NULL, updated_at = $2 WHERE id = $1",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE deliveries SET status = 'pending', next_attempt_at = $2, updated_at = $2 \
             WHERE webhook_id = $1 AND status = 'held'",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await
    })?;
    Ok(())
}
