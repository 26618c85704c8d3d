//! The time Herald's rules read: the system clock, or in tests a clock they
//! move by hand (no sleeping to see a 24 h window end).

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

/// Unix milliseconds, from the system or from a hand-moved counter.
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that starts at the system time and moves only by [`Clock::advance`].
    pub fn manual() -> Self {
        Self(Some(Arc::new(AtomicI64::new(crate::store::now_ms()))))
    }

    /// Now, in Unix milliseconds.
    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            None => crate::store::now_ms(),
            Some(manual) => manual.load(Ordering::SeqCst),
        }
    }

    /// Moves a manual clock forward; the system clock ignores it.
    pub fn advance(&self, ms: i64) {
        if let Some(manual) = &self.0 {
            manual.fetch_add(ms, Ordering::SeqCst);
        }
    }
}
