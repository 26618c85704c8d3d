//! The event-type catalog.

use super::{Service, ServiceResult};
use crate::store::event_types;
use app::model::EventType;

impl Service {
    /// Every event type, retired ones included (they still label old subscriptions).
    pub async fn event_types(&self) -> ServiceResult<Vec<EventType>> {
        let rows = event_types::list_all(&self.db).await?;
        Ok(rows
            .into_iter()
            .map(|row| EventType {
                id: row.id,
                label: row.label,
                description: row.description,
                retired: row.retired_at.is_some(),
            })
            .collect())
    }
}
