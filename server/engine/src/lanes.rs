//! This process's lane per webhook: how many of its deliveries the process
//! holds (claimed, not yet recorded) and how many it sends at once.
//!
//! A lane holds up to [`LANE_ROUNDS`] rounds of the webhook's concurrency
//! limit, so a claim can take a large batch (one commit) while at most
//! [`PER_WEBHOOK_CONCURRENCY`] requests are out at once. The lease of a
//! claim covers every round ([`LEASE`]); a
//! delivery whose wait outlasted its lease anyway (behind other webhooks,
//! for the process's limit) goes back unsent instead of out.
//! A lane's generation changes when its webhook does (edited, deleted,
//! circuit opened): deliveries claimed before that are given back unsent.

use herald_store::claims::Lease;
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
};
use tokio::sync::Semaphore;

/// How many requests to one webhook this process has out at once.
pub const PER_WEBHOOK_CONCURRENCY: i64 = 8;
/// How many attempts to one webhook this process may have sent and not
/// yet recorded. A turn in the concurrency limit ends when the answer is
/// in; the record joins the writer's next beat, and this window, not a
/// wait for that commit, bounds what a crash can repeat.
pub const UNRECORDED_PER_WEBHOOK: i64 = 4 * PER_WEBHOOK_CONCURRENCY;
/// How many rounds of [`PER_WEBHOOK_CONCURRENCY`] one claim may hold per
/// webhook: each waits its turn in this process, so its lease must cover
/// every round before it.
pub const LANE_ROUNDS: i64 = 8;
/// The lease of every claim: long enough for every round of its lane. A
/// delivery that waited longer (behind other webhooks, for the process's
/// limit) is given back unsent rather than sent on a lease that could run
/// out mid-attempt.
pub const LEASE: Lease = Lease {
    margin_ms: 30_000,
    rounds: LANE_ROUNDS,
};

/// A place in this process's lane for a delivery, taken before claiming
/// it: which generation of its webhook it was claimed under.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClaimTicket {
    pub generation: u64,
}

/// Deliveries one lane holds at most.
const LANE_DEPTH: usize = PER_WEBHOOK_CONCURRENCY as usize * LANE_ROUNDS as usize;

struct Lane {
    held: usize,
    depth: usize,
    generation: u64,
    limits: LaneLimits,
}

/// A lane's two limits: requests out at once, and attempts sent and not
/// yet recorded.
#[derive(Clone)]
pub(super) struct LaneLimits {
    pub sending: Arc<Semaphore>,
    pub unrecorded: Arc<Semaphore>,
}

/// Every lane of this process, and the total it may hold.
pub(super) struct Lanes {
    held: Mutex<Held>,
    max_held: usize,
}

/// The lanes and what they hold in all (kept, not summed: a publish
/// reserves once per delivery).
#[derive(Default)]
struct Held {
    lanes: HashMap<String, Lane>,
    total: usize,
}

impl Lanes {
    /// Lanes holding at most `max_held` deliveries in all.
    pub fn new(max_held: usize) -> Self {
        Self {
            held: Mutex::new(Held::default()),
            max_held,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Held> {
        self.held.lock().expect("the lanes are never poisoned")
    }

    /// How many more deliveries this process may hold in all.
    pub fn free(&self) -> usize {
        self.max_held.saturating_sub(self.lock().total)
    }

    /// A place in `webhook_id`'s lane, when it has one. A rate limit makes
    /// the lane shorter, so that its last delivery waits no longer than
    /// [`LANE_ROUNDS`] seconds for its turn.
    pub fn reserve(&self, webhook_id: &str, rate_limit: Option<i64>) -> Option<ClaimTicket> {
        let depth = lane_depth(rate_limit);
        let mut held = self.lock();
        if held.total >= self.max_held {
            return None;
        }
        let lane = held
            .lanes
            .entry(webhook_id.to_owned())
            .or_insert_with(|| Lane {
                held: 0,
                depth,
                generation: 0,
                limits: LaneLimits {
                    sending: Arc::new(Semaphore::new(PER_WEBHOOK_CONCURRENCY as usize)),
                    unrecorded: Arc::new(Semaphore::new(UNRECORDED_PER_WEBHOOK as usize)),
                },
            });
        lane.depth = depth;
        if lane.held >= lane.depth {
            return None;
        }
        lane.held += 1;
        let generation = lane.generation;
        held.total += 1;
        Some(ClaimTicket { generation })
    }

    /// Gives a place back: its delivery was recorded, given back, or never
    /// claimed. True when the lane just fell to half its depth, or the
    /// process's total to half its limit: the moments to claim more (a
    /// publish that found the total full left its deliveries in the queue,
    /// and their lanes may never have been half full).
    pub fn release(&self, webhook_id: &str) -> bool {
        let mut held = self.lock();
        let Some(lane) = held.lanes.get_mut(webhook_id) else {
            return false;
        };
        lane.held -= 1;
        let refill = lane.held == lane.depth / 2;
        if lane.held == 0 {
            held.lanes.remove(webhook_id);
        }
        held.total -= 1;
        refill || held.total == self.max_held / 2
    }

    /// The webhooks whose lane is full: a claim need not look at them.
    pub fn full(&self) -> Vec<String> {
        self.lock()
            .lanes
            .iter()
            .filter(|(_, lane)| lane.held >= lane.depth)
            .map(|(webhook_id, _)| webhook_id.clone())
            .collect()
    }

    /// The limits of `webhook_id`'s lane; `None` when the lane changed
    /// since `ticket` was taken (its delivery must not go out).
    pub fn limits(&self, webhook_id: &str, ticket: ClaimTicket) -> Option<LaneLimits> {
        let held = self.lock();
        let lane = held.lanes.get(webhook_id)?;
        (lane.generation == ticket.generation).then(|| lane.limits.clone())
    }

    /// Whether `ticket` is still of `webhook_id`'s current generation.
    pub fn is_current(&self, webhook_id: &str, ticket: ClaimTicket) -> bool {
        self.lock()
            .lanes
            .get(webhook_id)
            .is_some_and(|lane| lane.generation == ticket.generation)
    }

    /// The webhook changed: what its lane holds and has not sent yet goes
    /// back to the queue instead of out.
    pub fn invalidate(&self, webhook_id: &str) {
        if let Some(lane) = self.lock().lanes.get_mut(webhook_id) {
            lane.generation += 1;
        }
    }
}

fn lane_depth(rate_limit: Option<i64>) -> usize {
    match rate_limit.filter(|rate| *rate > 0) {
        Some(rate) => usize::try_from(rate.saturating_mul(LANE_ROUNDS))
            .unwrap_or(LANE_DEPTH)
            .clamp(1, LANE_DEPTH),
        None => LANE_DEPTH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lane_holds_its_depth_and_refills_at_half() {
        let lanes = Lanes::new(1000);
        let tickets: Vec<_> = (0..LANE_DEPTH)
            .map(|_| lanes.reserve("w", None).expect("room"))
            .collect();
        assert_eq!(lanes.reserve("w", None), None);
        assert_eq!(lanes.full(), vec!["w".to_owned()]);
        let refills = (0..tickets.len()).filter(|_| lanes.release("w")).count();
        assert_eq!(refills, 1);
        assert_eq!(lanes.free(), 1000);
    }

    #[test]
    fn a_full_process_asks_for_more_at_half_its_limit() {
        let lanes = Lanes::new(4);
        for webhook_id in ["a", "b", "c", "d"] {
            lanes.reserve(webhook_id, None).expect("room");
        }
        assert_eq!(lanes.reserve("e", None), None);
        assert!(!lanes.release("a"), "3 of 4 held: not yet");
        assert!(lanes.release("b"), "2 of 4 held: claim more");
    }

    #[test]
    fn a_rate_limit_shortens_the_lane() {
        let lanes = Lanes::new(1000);
        let taken = (0..100).filter_map(|_| lanes.reserve("w", Some(1))).count();
        assert_eq!(taken, LANE_ROUNDS as usize);
    }

    #[test]
    fn the_process_total_is_a_limit_too() {
        let lanes = Lanes::new(3);
        assert!(lanes.reserve("a", None).is_some());
        assert!(lanes.reserve("b", None).is_some());
        assert!(lanes.reserve("c", None).is_some());
        assert_eq!(lanes.reserve("d", None), None);
        assert_eq!(lanes.free(), 0);
    }

    #[test]
    fn a_changed_webhook_invalidates_the_tickets_taken_before() {
        let lanes = Lanes::new(10);
        let before = lanes.reserve("w", None).expect("room");
        lanes.invalidate("w");
        let after = lanes.reserve("w", None).expect("room");
        assert!(lanes.limits("w", before).is_none());
        assert!(lanes.limits("w", after).is_some());
        assert!(!lanes.is_current("w", before));
    }
}
