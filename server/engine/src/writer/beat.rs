//! What one beat writes: the attempt records first (a 410 or an opened
//! circuit in them stops the webhook before the publishes of the same
//! transaction look for webhooks to deliver to), then the publishes, with
//! the deliveries this process has room for written claimed. Once the
//! transaction commits, the claimed deliveries go out and every write is
//! answered.

use super::Write;
use crate::{Engine, Inner, clock::Clock, lanes::Lanes};
use herald_store::{
    Db, StoreError, StoreResult, WriteTx,
    claims::Unsent,
    events::{self, LocalClaimer, PublishRequest, Published, PublishedBatch},
    finished_attempts::{self, FinishedAttempt},
};
use std::sync::{Arc, Weak};

/// An attempt record.
pub(crate) enum Record {
    Finished(Box<FinishedAttempt>),
    Unsent(Unsent),
}

/// Writes beats for one engine; a webhook that a record makes unsendable
/// has its lane invalidated.
pub(crate) struct Beat {
    /// The engine whose lanes a publish claims into (weak: the engine owns
    /// its writer).
    pub engine: Weak<Inner>,
    pub db: Db,
    pub lanes: Arc<Lanes>,
    pub clock: Clock,
}

/// What the beat's publishes and records wrote.
struct Committed {
    published: PublishedBatch<crate::lanes::ClaimTicket>,
    stopped: Vec<String>,
}

impl Beat {
    pub(super) fn db(&self) -> &Db {
        &self.db
    }

    /// Writes `writes` in one transaction and answers each; gives them back
    /// unanswered when it cannot commit.
    pub(super) async fn commit(&self, writes: Vec<Write>) -> Result<(), (StoreError, Vec<Write>)> {
        let Some(engine) = self.engine() else {
            return Err((super::gone(), writes));
        };
        let mut requests = Vec::new();
        let mut finished = Vec::new();
        let mut unsent = Vec::new();
        for write in &writes {
            match write {
                Write::Publish(request, _) => requests.push(request.as_ref()),
                Write::Record(Record::Finished(attempt), _) => finished.push(attempt.as_ref()),
                Write::Record(Record::Unsent(given_back), _) => unsent.push(given_back),
            }
        }
        let committed = self.write(&engine, &requests, &finished, &unsent).await;
        drop((requests, finished, unsent));
        let Committed { published, stopped } = match committed {
            Ok(committed) => committed,
            Err(error) => return Err((error, writes)),
        };
        self.invalidate(&stopped);
        for (row, ticket) in published.claimed {
            engine.start_delivery(row, ticket);
        }
        let mut answers = published.answers.into_iter();
        for write in writes {
            match write {
                Write::Publish(_, answer) => {
                    let _ = answer.send(answers.next().unwrap_or_else(|| Err(super::gone())));
                }
                Write::Record(_, answer) => {
                    let _ = answer.send(Ok(()));
                }
            }
        }
        Ok(())
    }

    async fn write(
        &self,
        engine: &Engine,
        requests: &[&PublishRequest],
        finished: &[&FinishedAttempt],
        unsent: &[&Unsent],
    ) -> StoreResult<Committed> {
        let now = self.clock.now_ms();
        let mut tx = WriteTx::begin(&self.db).await?;
        let stopped = if finished.is_empty() && unsent.is_empty() {
            Vec::new()
        } else {
            finished_attempts::finish_in(&mut tx, finished, unsent, now).await?
        };
        let claimer: &dyn LocalClaimer<Ticket = _> = engine;
        let published = events::publish_in(
            &mut tx,
            requests,
            Some(claimer),
            now,
            herald_store::new_row_id,
        )
        .await?;
        tx.commit().await?;
        Ok(Committed {
            published: published.committed(),
            stopped,
        })
    }

    /// Writes one item of a beat that could not commit, alone.
    pub(super) async fn commit_alone(&self, write: Write) {
        match write {
            Write::Publish(request, answer) => {
                let _ = answer.send(self.publish_alone(*request).await);
            }
            Write::Record(record, answer) => {
                let written = match self.record_alone(&record).await {
                    Ok(()) => Ok(()),
                    Err(error) => {
                        tracing::warn!(%error, "recording failed");
                        Err(record)
                    }
                };
                let _ = answer.send(written);
            }
        }
    }

    /// Publishes one request in a transaction of its own.
    pub(super) async fn publish_alone(&self, request: PublishRequest) -> StoreResult<Published> {
        let engine = self.engine().ok_or_else(super::gone)?;
        let claimer: &dyn LocalClaimer<Ticket = _> = &engine;
        let now = self.clock.now_ms();
        let published = events::publish_many(
            &self.db,
            &[&request],
            Some(claimer),
            now,
            herald_store::new_row_id,
        )
        .await?;
        for (row, ticket) in published.claimed {
            engine.start_delivery(row, ticket);
        }
        published
            .answers
            .into_iter()
            .next()
            .unwrap_or_else(|| Err(super::gone()))
    }

    /// Writes one record in a transaction of its own.
    pub(crate) async fn record_alone(&self, record: &Record) -> StoreResult<()> {
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

    fn engine(&self) -> Option<Engine> {
        self.engine.upgrade().map(|inner| Engine { inner })
    }

    fn invalidate(&self, webhooks: &[String]) {
        for webhook_id in webhooks {
            self.lanes.invalidate(webhook_id);
        }
    }
}
