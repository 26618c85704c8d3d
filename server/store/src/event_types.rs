//! The event-type catalog.

use super::{BeginWrite, Db, StoreResult, on_pool, on_writer};

/// An `event_types` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventTypeRow {
    pub id: i64,
    pub label: String,
    pub description: String,
    pub example_payload: Option<String>,
    pub retired_at: Option<i64>,
}

/// Every type, retired ones included, by id.
pub async fn list_all(db: &Db) -> StoreResult<Vec<EventTypeRow>> {
    let rows = on_pool!(db, pool => sqlx::query_as::<_, EventTypeRow>(
        "SELECT id, label, description, example_payload, retired_at FROM event_types ORDER BY id",
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows)
}

/// Adds a type under the next free id, in one transaction; returns the id.
pub async fn insert_next(
    db: &Db,
    label: &str,
    description: &str,
    example_payload: Option<&str>,
    now: i64,
) -> StoreResult<i64> {
    let id = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let (id,): (i64,) = sqlx::query_as("SELECT COALESCE(MAX(id), -1) + 1 FROM event_types")
            .fetch_one(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO event_types (id, label, description, example_payload, created_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(label)
        .bind(description)
        .bind(example_payload)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        tx.commit().await.map(|()| id)
    })?;
    Ok(id)
}

/// Retires a type; false when it does not exist or is retired already.
pub async fn retire(db: &Db, id: i64, now: i64) -> StoreResult<bool> {
    let retired = on_writer!(db, pool => sqlx::query(
        "UPDATE event_types SET retired_at = $2 WHERE id = $1 AND retired_at IS NULL",
    )
    .bind(id)
    .bind(now)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(retired == 1)
}
