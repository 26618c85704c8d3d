//! A delivery's last look at its webhook, once its turn has come and just
//! before its request leaves. The lanes of this process hear of its own
//! changes at once, but not of another process's (a second `herald worker`,
//! a process that only serves), nor of an edit that committed between a
//! publish reading the webhook and claiming for it: every send waits for a
//! read of its webhook begun after it asked, and goes back unsent when the
//! webhook is no longer sendable at the revision it was claimed under.
//!
//! Asks are gathered: one read answers every ask that arrived while the
//! previous read ran, so the cost is one indexed query per round, not per
//! request.

use herald_store::{Db, revisions};
use tokio::sync::{mpsc, oneshot};

/// Webhooks one read looks at, at most.
const ASKS_PER_READ: usize = 512;

/// Where sends ask; the reading task ends when this is dropped.
pub(crate) struct Confirmations {
    asks: mpsc::UnboundedSender<Ask>,
}

struct Ask {
    webhook_id: String,
    revision: i64,
    answer: oneshot::Sender<bool>,
}

impl Confirmations {
    /// Reads from `db` on a task of the current runtime.
    pub fn start(db: Db) -> Self {
        let (asks, waiting) = mpsc::unbounded_channel();
        tokio::spawn(read_rounds(db, waiting));
        Self { asks }
    }

    /// Whether `webhook_id` is sendable now and still at `revision`. False
    /// when it cannot be read: a delivery given back is only delayed.
    pub async fn still_as_claimed(&self, webhook_id: &str, revision: i64) -> bool {
        let (answer, answered) = oneshot::channel();
        let ask = Ask {
            webhook_id: webhook_id.to_owned(),
            revision,
            answer,
        };
        self.asks.send(ask).is_ok() && answered.await.unwrap_or(false)
    }
}

async fn read_rounds(db: Db, mut waiting: mpsc::UnboundedReceiver<Ask>) {
    let mut asks = Vec::with_capacity(ASKS_PER_READ);
    while waiting.recv_many(&mut asks, ASKS_PER_READ).await > 0 {
        let mut ids: Vec<&str> = asks.iter().map(|ask| ask.webhook_id.as_str()).collect();
        ids.sort_unstable();
        ids.dedup();
        let current = match revisions::sendable(&db, &ids).await {
            Ok(current) => current,
            Err(error) => {
                tracing::warn!(%error, "could not read the webhooks of deliveries about to go out");
                Default::default()
            }
        };
        for ask in asks.drain(..) {
            let same = current.get(&ask.webhook_id) == Some(&ask.revision);
            let _ = ask.answer.send(same);
        }
    }
}
