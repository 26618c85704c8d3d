//! Small status badges.

use herald_model::{DeliveryStatus, WebhookOut};
use leptos::prelude::*;

/// Active / Inactive, with the reason a webhook was switched off.
#[component]
pub fn ActiveBadge(webhook: WebhookOut) -> impl IntoView {
    if webhook.is_active {
        view! { <span class="badge success">"Active"</span> }.into_any()
    } else {
        let reason = webhook.disabled_reason.unwrap_or_default();
        view! { <span class="badge muted" title=reason>"Inactive"</span> }.into_any()
    }
}

/// A red badge while the circuit is open.
#[component]
pub fn CircuitBadge(webhook: WebhookOut) -> impl IntoView {
    webhook.circuit_opened_at.map(|since| {
        view! {
            <span class="badge danger" title=format!("Open since {since}")>
                "Circuit open"
            </span>
        }
    })
}

/// A delivery's state.
#[component]
pub fn DeliveryBadge(status: DeliveryStatus) -> impl IntoView {
    let tone = match status {
        DeliveryStatus::Succeeded => "success",
        DeliveryStatus::Failed => "danger",
        DeliveryStatus::Held => "warning",
        DeliveryStatus::Pending | DeliveryStatus::Delivering => "info",
        DeliveryStatus::Cancelled => "muted",
    };
    view! { <span class=format!("badge {tone}")>{status.as_str()}</span> }
}
