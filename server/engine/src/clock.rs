//! The time Herald's rules read: the system clock, or in tests a clock they
//! move by hand (no sleeping to see a 24 h window end).

use std::sync::{
    Arc,
    atomic::{AtomicI64, Ordering},
};

/// Unix milliseconds: the system's, or the system's plus however far a
/// test has moved it ahead (it keeps running, so retries and leases still
/// come due while a test waits).
#[derive(Clone, Debug, Default)]
pub struct Clock(Option<Arc<AtomicI64>>);

impl Clock {
    /// The system clock.
    pub fn system() -> Self {
        Self(None)
    }

    /// A clock that runs with the system's and jumps ahead by [`Clock::advance`].
    pub fn manual() -> Self {
        Self(Some(Arc::new(AtomicI64::new(0))))
    }

    /// Now, in Unix milliseconds (as every time is stored).
    pub fn now_ms(&self) -> i64 {
        match &self.0 {
            None => system_now_ms(),
            Some(ahead) => system_now_ms().saturating_add(ahead.load(Ordering::SeqCst)),
        }
    }

    /// Moves a manual clock forward; the system clock ignores it. Leases,
    /// heartbeats and retries move with it: a test moves it while nothing
    /// is in flight, or a delivery in flight counts as abandoned.
    pub fn advance(&self, ms: i64) {
        if let Some(ahead) = &self.0 {
            ahead.fetch_add(ms, Ordering::SeqCst);
        }
    }
}

fn system_now_ms() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}

/// A stored time (Unix milliseconds) as the API shows it: ISO 8601 in UTC.
pub fn iso8601(unix_ms: i64) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(unix_ms) * 1_000_000)
        .ok()
        .and_then(|moment| moment.format(FORMAT).ok())
        .unwrap_or_default()
}
