//! A claimed delivery's way out: it waits for its turn in its webhook's
//! lane, goes out unless the webhook changed meanwhile (in this process or
//! another: [`crate::confirm`]) or the process is stopping (then it is
//! given back, unsent), and is recorded. Its turn in
//! the webhook's concurrency limit ends when the answer is in, so the next
//! request need not wait for a commit; its place in the lane's window of
//! unrecorded attempts ends once the record is on disk. At any moment at
//! most [`crate::UNRECORDED_PER_WEBHOOK`] attempts per webhook are sent and not
//! yet on disk, so a crash repeats at most that many.

use super::{Engine, lanes::ClaimTicket, writer::Record};
use herald_store::{
    StoreError,
    claims::{ClaimedRow, Lease, Unsent},
    events::LocalClaimer,
};
use std::sync::{Arc, atomic::Ordering};
use tokio::sync::OwnedSemaphorePermit;

impl Engine {
    /// Starts the delivery of a row claimed for this process under `ticket`,
    /// on the engine's runtime (a publish commits on the writer's thread).
    pub(super) fn start_delivery(&self, row: ClaimedRow, ticket: ClaimTicket) {
        let engine = self.clone();
        let deliver = async move { engine.deliver(row, ticket).await };
        self.inner.tasks.spawn_on(deliver, &self.inner.runtime);
    }

    async fn deliver(self, row: ClaimedRow, ticket: ClaimTicket) {
        let (outcome, given_back) = match self.turn(&row, ticket).await {
            Some(turn) => {
                let observed = self.observe(&row).await;
                let unrecorded = turn.answered();
                let recorded = self.conclude(&row, &observed).await;
                drop(unrecorded);
                (recorded, false)
            }
            None => (self.give_back(&row).await, true),
        };
        if let Err(error) = outcome {
            tracing::error!(%error, delivery = %row.delivery_id, "an attempt could not be recorded");
        }
        // A lane at half its depth takes more; what was given back is
        // claimed again, as the webhook now is.
        if self.inner.lanes.release(&row.webhook_id) || given_back {
            self.wake();
        }
    }

    /// Waits for room in the webhook's window of unrecorded attempts, its
    /// concurrency limit and the process's; none when the delivery must not
    /// go out: its webhook changed since the claim (the last look comes
    /// after the permits, so no change slips in while it waits), or the
    /// process is stopping.
    async fn turn(&self, row: &ClaimedRow, ticket: ClaimTicket) -> Option<Turn> {
        let lane = self.inner.lanes.limits(&row.webhook_id, ticket)?;
        let process = Arc::clone(&self.inner.permits);
        let permits = async {
            let unrecorded = lane.unrecorded.acquire_owned().await.ok()?;
            let sending = lane.sending.acquire_owned().await.ok()?;
            let process = process.acquire_owned().await.ok()?;
            Some(Turn {
                unrecorded,
                sending: (sending, process),
            })
        };
        let permits = tokio::select! {
            biased;
            () = self.inner.stopping.cancelled() => None,
            permits = permits => permits,
        }?;
        let go = !self.inner.stopping.is_cancelled()
            && self.inner.lanes.is_current(&row.webhook_id, ticket)
            && lease_covers_attempt(row, self.inner.clock.now_ms())
            && self
                .inner
                .confirmations
                .still_as_claimed(&row.webhook_id, row.revision)
                .await;
        go.then_some(permits)
    }

    /// Puts a claimed delivery back in the queue as if never claimed.
    async fn give_back(&self, row: &ClaimedRow) -> Result<(), StoreError> {
        let unsent = Unsent {
            delivery_id: row.delivery_id.clone(),
            attempt_id: row.attempt_id.clone(),
            worker_id: self.inner.worker_id.clone(),
        };
        self.record(Record::Unsent(unsent)).await
    }
}

/// A delivery's places while it goes out.
struct Turn {
    /// In the webhook's window of unrecorded attempts: until the record.
    unrecorded: OwnedSemaphorePermit,
    /// In the webhook's concurrency limit and the process's: until the answer.
    sending: (OwnedSemaphorePermit, OwnedSemaphorePermit),
}

impl Turn {
    /// The answer is in: the next request may go; the place in the window
    /// is kept until the record.
    fn answered(self) -> OwnedSemaphorePermit {
        drop(self.sending);
        self.unrecorded
    }
}

/// Whether the lease lasts through a whole attempt started now. A delivery
/// that waited for its turn longer than its lease allowed (behind slower
/// webhooks, for the process's limit) could be taken over mid-attempt and
/// sent twice: it goes back instead.
fn lease_covers_attempt(row: &ClaimedRow, now: i64) -> bool {
    now + row.timeout_ms + LEASE_GUARD_MS <= row.locked_until
}

/// Room left in a lease after an attempt's timeout: its record's commit.
const LEASE_GUARD_MS: i64 = 5_000;

/// A publish hands this process's engine the deliveries it has room for.
impl LocalClaimer for Engine {
    type Ticket = ClaimTicket;

    fn lease(&self) -> Lease {
        super::lanes::LEASE
    }

    fn worker_id(&self) -> &str {
        &self.inner.worker_id
    }

    fn reserve(&self, webhook_id: &str, rate_limit: Option<i64>) -> Option<ClaimTicket> {
        if !self.inner.accepting.load(Ordering::Acquire) {
            return None;
        }
        self.inner.lanes.reserve(webhook_id, rate_limit)
    }

    fn unreserve(&self, webhook_id: &str) {
        self.inner.lanes.release(webhook_id);
    }
}
