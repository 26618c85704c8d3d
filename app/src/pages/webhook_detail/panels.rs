//! The webhook page's read-only panels: a test ping's result, the
//! settings, and the live delivery log.

use crate::{
    api::{RetryDelivery, Surface, list_deliveries, load},
    components::{DeliveryTable, refresh_ticks, retry_delivery_action, short_time, use_can},
    model::{Scope, TestResult, WebhookOut},
};
use leptos::prelude::*;

#[component]
pub(super) fn TestResultPanel(result: TestResult) -> impl IntoView {
    let tone = if result.success {
        "panel result success"
    } else {
        "panel result error"
    };
    view! {
        <section class=tone aria-label="Test result">
            <strong>{if result.success { "Success" } else { "Failed" }}</strong>
            {result.http_status.map(|status| view! { <span>" · HTTP " {status}</span> })}
            {result.duration_ms.map(|ms| view! { <span>" · " {ms} " ms"</span> })}
            <p>{result.message}</p>
        </section>
    }
}

#[component]
pub(super) fn Settings(
    webhook: WebhookOut,
    /// The console shows the company; the portal is one company's.
    show_company: bool,
) -> impl IntoView {
    let headers = if webhook.headers.is_empty() {
        "None".to_owned()
    } else {
        webhook
            .headers
            .iter()
            .map(|h| format!("{}: {}", h.name, h.value.as_deref().unwrap_or("***")))
            .collect::<Vec<_>>()
            .join(" · ")
    };
    view! {
        <section class="panel">
            <h2>"Settings"</h2>
            <dl class="settings">
                <dt>"Events"</dt><dd class="mono">{webhook.events.join(", ")}</dd>
                <dt hidden=!show_company>"Company"</dt>
                <dd hidden=!show_company class="mono">{webhook.company_id.unwrap_or_else(|| "Global".to_owned())}</dd>
                <dt>"Description"</dt><dd>{webhook.description.unwrap_or_else(|| "—".to_owned())}</dd>
                <dt>"Headers"</dt><dd class="mono break">{headers}</dd>
                <dt>"Timeout"</dt><dd>{webhook.timeout_ms} " ms"</dd>
                <dt>"Retries"</dt><dd>{webhook.max_retries} " (back-off " {webhook.retry_backoff_seconds} " s, doubling)"</dd>
                <dt>"Rate limit"</dt><dd>{webhook.rate_limit_per_second.map_or_else(|| "None".to_owned(), |r| format!("{r} per second"))}</dd>
                <dt>"Consecutive failures"</dt><dd>{webhook.consecutive_failures}</dd>
                {webhook.disabled_reason.map(|reason| view! { <dt>"Disabled because"</dt><dd>{reason}</dd> })}
                <dt>"Created"</dt><dd>{short_time(&webhook.created_at)}</dd>
                <dt>"Updated"</dt><dd>{short_time(&webhook.updated_at)}</dd>
            </dl>
        </section>
    }
}

/// The delivery log, refreshed every few seconds without a reload.
#[component]
pub(super) fn DeliveryLog(surface: Surface, webhook_id: Memo<String>) -> impl IntoView {
    let ticks = refresh_ticks();
    let deliveries = load(
        move || (webhook_id.get(), ticks.get()),
        move |(id, _)| list_deliveries(surface, id),
    );
    let can_retry = use_can(Scope::WriteWebhooks);
    let retry = retry_delivery_action(ticks);
    let retrying = Signal::derive(move || {
        retry
            .pending()
            .get()
            .then(|| retry.input().get().map(|input| input.id))
            .flatten()
    });
    let on_retry = Callback::new(move |id: String| {
        retry.dispatch(RetryDelivery { surface, id });
    });
    view! {
        <section class="panel" aria-labelledby="log-title">
            <h2 id="log-title">"Delivery log"</h2>
            <Transition fallback=|| view! { <p class="muted">"Loading deliveries…"</p> }>
                {move || Suspend::new(async move {
                    match deliveries.await {
                        Ok(page) => view! {
                            <DeliveryTable deliveries=page.data can_retry retrying on_retry base=surface.base() />
                        }
                        .into_any(),
                        Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
