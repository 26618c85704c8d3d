//! Live refresh: pages that show deliveries poll while they are open.

use leptos::prelude::*;
use std::time::Duration;

/// How often an open page asks for fresh numbers.
pub const REFRESH_EVERY: Duration = Duration::from_secs(3);

/// A counter that ticks every [`REFRESH_EVERY`] in the browser (never on
/// the server); resources keyed on it refetch without a reload.
pub fn refresh_ticks() -> RwSignal<u64> {
    let ticks = RwSignal::new(0_u64);
    Effect::new(move |_| {
        if let Ok(handle) =
            set_interval_with_handle(move || ticks.update(|tick| *tick += 1), REFRESH_EVERY)
        {
            on_cleanup(move || handle.clear());
        }
    });
    ticks
}
