//! Group commit of finished attempts. Attempts end all the time, each with
//! a few small writes; recorded one transaction each, SQLite would fsync
//! once per attempt. The recorder takes whatever has finished meanwhile,
//! and the deliveries given back unsent, and writes them in one
//! transaction, so a busy worker pays one commit for a batch.

use super::{clock::Clock, group_commit::Batch, lanes::Lanes};
use herald_store::{
    Db, StoreError,
    claims::Unsent,
    finished_attempts::{self, FinishedAttempt},
};
use std::sync::Arc;

/// What to write.
pub(super) enum Record {
    Finished(Box<FinishedAttempt>),
    Unsent(Unsent),
}

/// Writes records; a webhook that a record makes unsendable has its lane
/// invalidated.
pub(super) struct Recorder {
    pub db: Db,
    pub lanes: Arc<Lanes>,
    pub clock: Clock,
}

impl Batch for Recorder {
    type Item = Record;
    /// The record itself when it could not be written, to try again.
    type Answer = Result<(), Record>;
    const MAX: usize = 512;

    async fn commit(&self, records: &[&Record]) -> Result<Vec<Result<(), Record>>, StoreError> {
        let mut finished = Vec::with_capacity(records.len());
        let mut unsent = Vec::new();
        for record in records {
            match record {
                Record::Finished(attempt) => finished.push(attempt.as_ref()),
                Record::Unsent(given_back) => unsent.push(given_back),
            }
        }
        let now = self.clock.now_ms();
        let stopped = finished_attempts::finish_many(&self.db, &finished, &unsent, now).await?;
        self.invalidate(&stopped);
        Ok(records.iter().map(|_| Ok(())).collect())
    }

    async fn commit_alone(&self, record: Record) -> Result<(), Record> {
        match self.write_one(&record).await {
            Ok(()) => Ok(()),
            Err(error) => {
                tracing::warn!(%error, "recording failed");
                Err(record)
            }
        }
    }
}

impl Recorder {
    /// Writes one record alone.
    pub(super) async fn write_one(&self, record: &Record) -> Result<(), StoreError> {
        let now = self.clock.now_ms();
        let stopped = match record {
            Record::Finished(attempt) => {
                finished_attempts::finish_many(&self.db, &[attempt.as_ref()], &[], now).await?
            }
            Record::Unsent(unsent) => {
                finished_attempts::finish_many(&self.db, &[], &[unsent], now).await?
            }
        };
        self.invalidate(&stopped);
        Ok(())
    }

    fn invalidate(&self, webhooks: &[String]) {
        for webhook_id in webhooks {
            self.lanes.invalidate(webhook_id);
        }
    }
}
