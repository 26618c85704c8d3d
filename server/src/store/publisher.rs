//! The group-commit queue in front of [`publish_many`]: publishes that
//! arrive while a commit is under way wait together for the next one, so
//! `synchronous=FULL` (a 202 means on disk) costs one fsync per batch, not
//! per event.

use super::{
    Db, StoreError, StoreResult,
    events::{LocalClaimer, PublishRequest, Published, publish_many},
};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// The most publishes one commit takes.
const MAX_PUBLISH_BATCH: usize = 64;

struct QueuedPublish {
    request: PublishRequest,
    answer: oneshot::Sender<StoreResult<Published>>,
}

/// Publishes in batches, one transaction each, and hands the deliveries it
/// claimed to this process's engine once committed. Clones share the queue.
#[derive(Clone)]
pub struct Publisher {
    committer: Arc<Committer>,
    /// Started on first use, inside the runtime.
    queue: Arc<OnceLock<mpsc::UnboundedSender<QueuedPublish>>>,
}

/// What commits a batch; the queue's task holds it (not the queue, so the
/// task ends when the last publisher is gone).
struct Committer {
    db: Db,
    claimer: Option<Arc<dyn LocalClaimer>>,
}

impl Publisher {
    /// A publisher over `db`; `claimer`, when given, takes the deliveries
    /// it has room for at once.
    pub fn new(db: Db, claimer: Option<Arc<dyn LocalClaimer>>) -> Self {
        Self {
            committer: Arc::new(Committer { db, claimer }),
            queue: Arc::new(OnceLock::new()),
        }
    }

    /// Publishes `request` with whatever else is waiting; answers once its
    /// transaction has committed.
    pub async fn publish(&self, request: PublishRequest) -> StoreResult<Published> {
        let queue = self.queue.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            super::spawn_write_loop(
                &self.committer.db,
                commit_in_batches(Arc::clone(&self.committer), receiver),
            );
            sender
        });
        let (answer, answered) = oneshot::channel();
        let queued = QueuedPublish { request, answer };
        if let Err(mpsc::error::SendError(queued)) = queue.send(queued) {
            return self.committer.alone(&queued.request).await;
        }
        match answered.await {
            Ok(answer) => answer,
            Err(_) => Err(StoreError::Database(sqlx::Error::PoolClosed)),
        }
    }
}

impl Committer {
    /// One transaction for `requests`; the claimed deliveries go out.
    async fn commit(
        &self,
        requests: &[&PublishRequest],
    ) -> StoreResult<Vec<StoreResult<Published>>> {
        let batch = publish_many(
            &self.db,
            requests,
            self.claimer.as_deref(),
            super::new_row_id,
        )
        .await?;
        if let Some(claimer) = &self.claimer {
            for (row, ticket) in batch.claimed {
                claimer.dispatch(row, ticket);
            }
        }
        Ok(batch.answers)
    }

    async fn alone(&self, request: &PublishRequest) -> StoreResult<Published> {
        let mut answers = self.commit(&[request]).await?;
        answers
            .pop()
            .unwrap_or(Err(StoreError::Database(sqlx::Error::RowNotFound)))
    }
}

async fn commit_in_batches(
    publisher: Arc<Committer>,
    mut queue: mpsc::UnboundedReceiver<QueuedPublish>,
) {
    let mut batch = Vec::with_capacity(MAX_PUBLISH_BATCH);
    while queue.recv_many(&mut batch, MAX_PUBLISH_BATCH).await > 0 {
        let requests: Vec<&PublishRequest> = batch.iter().map(|queued| &queued.request).collect();
        match publisher.commit(&requests).await {
            Ok(answers) => {
                for (queued, answer) in batch.drain(..).zip(answers) {
                    let _ = queued.answer.send(answer);
                }
            }
            // The batch could not commit: each alone, so each gets its own answer.
            Err(error) => {
                tracing::warn!(%error, size = batch.len(), "a publish batch failed; one by one");
                for queued in batch.drain(..) {
                    let answer = publisher.alone(&queued.request).await;
                    let _ = queued.answer.send(answer);
                }
            }
        }
    }
}
