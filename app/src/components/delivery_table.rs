//! A webhook's delivery log as a table.

use super::DeliveryBadge;
use herald_model::{DeliveryOut, DeliveryStatus};
use leptos::prelude::*;
use leptos_router::components::A;

/// `2026-11-22T23:12:42.123Z` as `2026-11-22 23:12:42` (UTC).
pub fn short_time(iso: &str) -> String {
    let trimmed = iso.trim_end_matches('Z');
    let whole = trimmed.split('.').next().unwrap_or(trimmed);
    format!("{} UTC", whole.replace('T', " "))
}

/// The deliveries, newest first, each with a link to its attempts and,
/// for a finished one, "Retry".
#[component]
pub fn DeliveryTable(
    deliveries: Vec<DeliveryOut>,
    #[prop(into)] can_retry: Signal<bool>,
    #[prop(into)] retrying: Signal<Option<String>>,
    on_retry: Callback<String>,
    /// Where the surface's pages live (`/console`): the details link goes there.
    base: &'static str,
) -> impl IntoView {
    if deliveries.is_empty() {
        return view! {
            <p class="empty-note">
                "No deliveries yet. Publish an event this webhook subscribes to, or send a test."
            </p>
        }
        .into_any();
    }
    let rows = deliveries
        .into_iter()
        .map(|delivery| {
            let id = delivery.id.clone();
            let retry_id = delivery.id.clone();
            let finished = matches!(
                delivery.status,
                DeliveryStatus::Failed | DeliveryStatus::Succeeded
            );
            let outcome = delivery
                .last_http_status
                .map(|status| format!("HTTP {status}"))
                .or(delivery.last_error.clone())
                .unwrap_or_else(|| "—".to_owned());
            let this_retrying = {
                let id = id.clone();
                Signal::derive(move || retrying.get().as_deref() == Some(id.as_str()))
            };
            view! {
                <tr>
                    <td data-label="Status"><DeliveryBadge status=delivery.status /></td>
                    <td data-label="Event" class="mono">
                        {delivery.event_type}
                        {delivery.is_test.then(|| view! { " " <span class="badge muted">"test"</span> })}
                    </td>
                    <td data-label="Attempts">{delivery.attempt_count}</td>
                    <td data-label="Last result">{outcome}</td>
                    <td data-label="Created">{short_time(&delivery.created_at)}</td>
                    <td class="row-actions">
                        <A href=format!("{base}/deliveries/{id}")>"Details"</A>
                        <Show when=move || can_retry.get() && finished>
                            {
                                let retry_id = retry_id.clone();
                                view! {
                                    <button
                                        type="button"
                                        class="button secondary small"
                                        disabled=this_retrying
                                        on:click=move |_| on_retry.run(retry_id.clone())
                                    >
                                        {move || if this_retrying.get() { "Retrying…" } else { "Retry" }}
                                    </button>
                                }
                            }
                        </Show>
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="table deliveries">
            <thead>
                <tr>
                    <th scope="col">"Status"</th>
                    <th scope="col">"Event"</th>
                    <th scope="col">"Attempts"</th>
                    <th scope="col">"Last result"</th>
                    <th scope="col">"Created"</th>
                    <th scope="col"><span class="visually-hidden">"Actions"</span></th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
    .into_any()
}
