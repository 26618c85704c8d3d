//! Live refresh: pages that show deliveries poll while they are open.

use crate::api::RetryDelivery;
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

/// The action that sends a delivery again: its outcome is toasted, and once
/// it is queued what `ticks` drives loads again.
pub fn retry_delivery_action(ticks: RwSignal<u64>) -> ServerAction<RetryDelivery> {
    let toasts = super::use_toasts();
    let retry = ServerAction::<RetryDelivery>::new();
    Effect::new(move |_| match retry.value().get() {
        Some(Ok(_)) => {
            toasts.success("Delivery queued again");
            ticks.update(|t| *t += 1);
        }
        Some(Err(error)) => toasts.error(error.0.message),
        None => {}
    });
    retry
}
