//! `HERALD_API_RATE_LIMIT`: requests per second per API key, counted after
//! the key is known (so unknown keys cannot fill the table).

use super::{Principal, Service, ServiceError, ServiceResult};
use governor::{
    DefaultKeyedRateLimiter, Quota, RateLimiter,
    clock::{Clock as _, DefaultClock},
};
use std::{num::NonZeroU32, sync::Arc, time::Duration};

/// One token bucket per key: `rate` requests a second, bursts of `rate`.
#[derive(Clone)]
pub struct ApiRateLimit(Arc<DefaultKeyedRateLimiter<String>>);

impl ApiRateLimit {
    /// `rate` requests per second per key.
    pub fn per_second(rate: NonZeroU32) -> Self {
        Self(Arc::new(RateLimiter::keyed(Quota::per_second(rate))))
    }
}

impl Service {
    /// Lets `caller`'s request through, or refuses it with how long to
    /// wait when its key has used up this second's requests.
    pub fn admit(&self, caller: &Principal) -> ServiceResult<()> {
        let Some(limit) = &self.api_rate_limit else {
            return Ok(());
        };
        limit.0.check_key(&caller.key_id).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ServiceError::RateLimited {
                retry_after: retry_after_seconds(wait),
            }
        })
    }
}

/// Whole seconds, rounded up and at least one: what `Retry-After` carries.
fn retry_after_seconds(wait: Duration) -> u64 {
    (wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1)
}

#[cfg(test)]
mod tests {
    use super::retry_after_seconds;
    use std::time::Duration;

    #[test]
    fn retry_after_rounds_up_to_whole_seconds_and_is_never_zero() {
        assert_eq!(retry_after_seconds(Duration::ZERO), 1);
        assert_eq!(retry_after_seconds(Duration::from_millis(1)), 1);
        assert_eq!(retry_after_seconds(Duration::from_millis(1000)), 1);
        assert_eq!(retry_after_seconds(Duration::from_millis(1001)), 2);
    }
}
