//! When a failed delivery is tried again (SPEC §4).

use std::time::{Duration, SystemTime};

/// No wait between attempts is longer than this.
pub const MAX_WAIT: Duration = Duration::from_secs(3600);

/// The wait before retry number `retry` (1 for the first retry):
/// `backoff_seconds * 2^(retry-1)` scaled by `jitter` (±20 %: 0.8 to 1.2),
/// or the receiver's `Retry-After` when that is longer; never over an hour.
pub fn retry_delay(
    backoff_seconds: u32,
    retry: u32,
    jitter: f64,
    retry_after: Option<Duration>,
) -> Duration {
    let doublings = retry.saturating_sub(1).min(20);
    let base = f64::from(backoff_seconds) * f64::from(1_u32 << doublings);
    let backoff =
        Duration::from_secs_f64((base * jitter.clamp(0.8, 1.2)).min(MAX_WAIT.as_secs_f64()));
    retry_after
        .map_or(backoff, |asked| asked.max(backoff))
        .min(MAX_WAIT)
}

/// A jitter factor drawn uniformly from 0.8 to 1.2.
pub fn random_jitter() -> f64 {
    rand::random_range(0.8..=1.2)
}

/// A `Retry-After` value: delay seconds or an HTTP date (a past date is no wait).
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_the_configured_base() {
        let secs = |retry| retry_delay(30, retry, 1.0, None).as_secs();
        assert_eq!([secs(1), secs(2), secs(3), secs(4)], [30, 60, 120, 240]);
    }

    #[test]
    fn jitter_stays_within_twenty_percent() {
        assert_eq!(retry_delay(10, 1, 0.8, None), Duration::from_secs(8));
        assert_eq!(retry_delay(10, 1, 1.2, None), Duration::from_secs(12));
        assert_eq!(retry_delay(10, 1, 3.0, None), Duration::from_secs(12));
        for _ in 0..1000 {
            let jitter = random_jitter();
            assert!((0.8..=1.2).contains(&jitter));
        }
    }

    #[test]
    fn retry_after_wins_only_when_longer_and_everything_is_capped_at_an_hour() {
        assert_eq!(
            retry_delay(10, 1, 1.0, Some(Duration::from_secs(2))),
            Duration::from_secs(10)
        );
        assert_eq!(
            retry_delay(10, 1, 1.0, Some(Duration::from_secs(90))),
            Duration::from_secs(90)
        );
        assert_eq!(
            retry_delay(10, 1, 1.0, Some(Duration::from_secs(99_999))),
            MAX_WAIT
        );
        assert_eq!(retry_delay(300, 10, 1.2, None), MAX_WAIT);
        assert_eq!(retry_delay(300, u32::MAX, 1.2, None), MAX_WAIT);
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = httpdate::parse_http_date("Sun, 22 Nov 2026 10:00:00 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 10:05:00 GMT", now),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            parse_retry_after("Sun, 22 Nov 2026 09:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }
}
