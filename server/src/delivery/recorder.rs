//! Group commit of finished attempts. Attempts end all the time, each with
//! a few small writes; recorded one transaction each, SQLite would fsync
//! once per attempt. The recorder takes whatever has finished meanwhile,
//! and the deliveries given back unsent, and writes them in one
//! transaction, so a busy worker pays one commit for a batch.

use super::lanes::Lanes;
use crate::store::{
    Db, StoreError,
    claims::Unsent,
    records::{self, FinishedAttempt},
};
use std::sync::Arc;
use tokio::sync::{mpsc, oneshot};

/// The most attempts one commit records.
const MAX_BATCH: usize = 512;

/// What to write.
pub(super) enum Record {
    Finished(Box<FinishedAttempt>),
    Unsent(Unsent),
}

/// A record to write and who waits for it: answered with the record
/// itself when it could not be written, so that it can be tried again.
pub(super) struct RecordJob {
    pub record: Record,
    pub done: oneshot::Sender<Result<(), Record>>,
}

/// Starts the recorder over `db`; a webhook that a record makes unsendable
/// has its lane in `lanes` invalidated. It ends when every sender is gone.
pub(super) fn spawn(db: Db, lanes: Arc<Lanes>) -> mpsc::UnboundedSender<RecordJob> {
    let (sender, receiver) = mpsc::unbounded_channel();
    let recording = record_in_batches(db.clone(), lanes, receiver);
    crate::store::spawn_write_loop(&db, recording);
    sender
}

async fn record_in_batches(
    db: Db,
    lanes: Arc<Lanes>,
    mut jobs: mpsc::UnboundedReceiver<RecordJob>,
) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while jobs.recv_many(&mut batch, MAX_BATCH).await > 0 {
        let (finished, unsent) = split(&batch);
        match records::finish_many(&db, &finished, &unsent).await {
            Ok(stopped) => {
                invalidate(&lanes, &stopped);
                for job in batch.drain(..) {
                    let _ = job.done.send(Ok(()));
                }
            }
            // One bad record must not cost the others theirs: one by one.
            Err(error) => {
                tracing::warn!(%error, size = batch.len(), "recording a batch failed; one by one");
                for job in batch.drain(..) {
                    let answer = match write_one(&db, &job.record).await {
                        Ok(stopped) => {
                            invalidate(&lanes, &stopped);
                            Ok(())
                        }
                        Err(error) => {
                            tracing::warn!(%error, "recording failed");
                            Err(job.record)
                        }
                    };
                    let _ = job.done.send(answer);
                }
            }
        }
    }
}

fn split(batch: &[RecordJob]) -> (Vec<&FinishedAttempt>, Vec<&Unsent>) {
    let mut finished = Vec::with_capacity(batch.len());
    let mut unsent = Vec::new();
    for job in batch {
        match &job.record {
            Record::Finished(attempt) => finished.push(attempt.as_ref()),
            Record::Unsent(given_back) => unsent.push(given_back),
        }
    }
    (finished, unsent)
}

/// Writes one record alone; the webhooks it made unsendable.
pub(super) async fn write_one(db: &Db, record: &Record) -> Result<Vec<String>, StoreError> {
    match record {
        Record::Finished(attempt) => records::finish_many(db, &[attempt.as_ref()], &[]).await,
        Record::Unsent(unsent) => records::finish_many(db, &[], &[unsent]).await,
    }
}

pub(super) fn invalidate(lanes: &Lanes, webhooks: &[String]) {
    for webhook_id in webhooks {
        lanes.invalidate(webhook_id);
    }
}
