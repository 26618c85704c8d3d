//! Where each webhook a process is about to send to is now: the last read
//! before a request leaves. Another process may have edited, rotated or
//! deleted the webhook, or opened its circuit, since the delivery was
//! claimed; a delivery goes out only if its webhook is still sendable and
//! at the revision it was claimed under.

use super::{Db, StoreResult, claims::SENDABLE_WEBHOOK, on_pool, push_list};
use sqlx::QueryBuilder;
use std::collections::HashMap;

/// The revision of each of `webhook_ids` that is sendable now (live,
/// active, circuit closed); the others are left out.
pub async fn sendable(db: &Db, webhook_ids: &[&str]) -> StoreResult<HashMap<String, i64>> {
    if webhook_ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(String, i64)> = on_pool!(db, pool => {
        let mut query = QueryBuilder::new("SELECT w.id, w.revision FROM webhooks w WHERE w.id IN (");
        push_list(&mut query, webhook_ids.iter().copied());
        query.push(format_args!(") AND {SENDABLE_WEBHOOK}"));
        query.build_query_as().fetch_all(pool).await
    })?;
    Ok(rows.into_iter().collect())
}
