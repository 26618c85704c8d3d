//! Group commit of finished attempts. Attempts end all the time, each with
//! a few small writes; recorded one transaction each, SQLite would fsync
//! once per attempt. The recorder takes whatever has finished meanwhile
//! and writes it in one transaction, so a busy worker pays one commit for
//! a batch.

use crate::store::{
    Db, StoreError,
    deliveries::{self, FinishedAttempt},
};
use tokio::sync::{mpsc, oneshot};

/// The most attempts one commit records.
const MAX_BATCH: usize = 256;

/// An attempt to record and who waits for it.
pub(super) struct RecordJob {
    pub attempt: FinishedAttempt,
    pub recorded: oneshot::Sender<Result<(), StoreError>>,
}

/// Starts the recorder over `db`; it ends when every sender is gone.
pub(super) fn spawn(db: Db) -> mpsc::UnboundedSender<RecordJob> {
    let (sender, receiver) = mpsc::unbounded_channel();
    tokio::spawn(record_in_batches(db, receiver));
    sender
}

async fn record_in_batches(db: Db, mut jobs: mpsc::UnboundedReceiver<RecordJob>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let attempts: Vec<&FinishedAttempt> = batch.iter().map(|job| &job.attempt).collect();
        match deliveries::finish_many(&db, &attempts).await {
            Ok(()) => {
                for job in batch.drain(..) {
                    let _ = job.recorded.send(Ok(()));
                }
            }
            // One bad record must not cost the others theirs: one by one.
            Err(error) => {
                tracing::warn!(%error, size = batch.len(), "recording a batch failed; one by one");
                for job in batch.drain(..) {
                    let result = deliveries::finish(&db, &job.attempt).await;
                    let _ = job.recorded.send(result);
                }
            }
        }
    }
}
