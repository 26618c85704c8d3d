//! The group-commit queue in front of [`publish_many`]: publishes that
//! arrive while a commit is under way wait together for the next one, so
//! `synchronous=FULL` (a 202 means on disk) costs one fsync per batch, not
//! per event. The deliveries a batch claimed for this process go out once
//! it has committed.

use super::{
    Engine,
    group_commit::{Batch, Queue},
};
use herald_store::{
    StoreError, StoreResult,
    events::{PublishRequest, Published, publish_many},
};
use std::sync::Arc;

/// Publishes in batches, one transaction each. Clones share the queue.
#[derive(Clone)]
pub struct Publisher {
    queue: Arc<Queue<Committer>>,
}

/// What commits a batch.
struct Committer {
    engine: Engine,
}

impl Publisher {
    /// A publisher whose batches `engine` takes the deliveries of that it
    /// has room for at once.
    pub fn new(engine: Engine) -> Self {
        let db = engine.inner.db.clone();
        Self {
            queue: Arc::new(Queue::new(db, Committer { engine })),
        }
    }

    /// Publishes `request` with whatever else is waiting; answers once its
    /// transaction has committed.
    pub async fn publish(&self, request: PublishRequest) -> StoreResult<Published> {
        match self.queue.write(request).await {
            Ok(answer) => answer,
            Err(Some(request)) => self.queue.batch().commit_alone(request).await,
            Err(None) => Err(StoreError::Database(sqlx::Error::PoolClosed)),
        }
    }
}

impl Batch for Committer {
    type Item = PublishRequest;
    type Answer = StoreResult<Published>;
    const MAX: usize = 64;

    /// One transaction for `requests`; the claimed deliveries go out.
    async fn commit(
        &self,
        requests: &[&PublishRequest],
    ) -> StoreResult<Vec<StoreResult<Published>>> {
        let engine = &self.engine;
        let now = engine.inner.clock.now_ms();
        let claimer: &dyn herald_store::events::LocalClaimer<Ticket = _> = engine;
        let batch = publish_many(
            &engine.inner.db,
            requests,
            Some(claimer),
            now,
            herald_store::new_row_id,
        )
        .await?;
        for (row, ticket) in batch.claimed {
            engine.start_delivery(row, ticket);
        }
        Ok(batch.answers)
    }

    async fn commit_alone(&self, request: PublishRequest) -> StoreResult<Published> {
        let mut answers = self.commit(&[&request]).await?;
        answers
            .pop()
            .unwrap_or(Err(StoreError::Database(sqlx::Error::RowNotFound)))
    }
}
