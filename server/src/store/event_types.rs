//! The event-type catalog.

use super::{Db, StoreResult, on_pool};

/// An `event_types` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventTypeRow {
    pub id: i64,
    pub label: String,
    pub description: String,
    pub retired_at: Option<i64>,
}

/// Every type, retired ones included, by id.
pub async fn list_all(db: &Db) -> StoreResult<Vec<EventTypeRow>> {
    let rows = on_pool!(db, pool => sqlx::query_as::<_, EventTypeRow>(
        "SELECT id, label, description, retired_at FROM event_types ORDER BY id",
    )
    .fetch_all(pool)
    .await)?;
    Ok(rows)
}
