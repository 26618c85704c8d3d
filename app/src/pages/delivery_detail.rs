use crate::{
    api::{RetryDelivery, Surface, get_delivery, load},
    components::{DeliveryBadge, refresh_ticks, retry_delivery_action, short_time, use_can},
    model::{AttemptOut, DeliveryDetail, DeliveryStatus, HeaderPair, Scope},
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::A, hooks::use_params_map};

/// One delivery: its payload and every attempt, request and response.
#[component]
pub fn DeliveryDetailPage(surface: Surface) -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    let ticks = refresh_ticks();
    let delivery = load(
        move || (id.get(), ticks.get()),
        move |(id, _)| get_delivery(surface, id),
    );
    let can_retry = use_can(Scope::WriteWebhooks);
    let retry = retry_delivery_action(ticks);

    view! {
        <Title text="Delivery" />
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match delivery.await {
                    Ok(detail) => {
                        let finished = matches!(detail.delivery.status, DeliveryStatus::Failed | DeliveryStatus::Succeeded);
                        let delivery_id = detail.delivery.id.clone();
                        view! {
                            <p class="crumbs">
                                <A href=surface.path(&format!("/webhooks/{}", detail.delivery.webhook_id))>"← Webhook"</A>
                            </p>
                            <div class="page-head">
                                <h1>"Delivery " <span class="mono">{detail.delivery.event_type.clone()}</span></h1>
                                <Show when=move || can_retry.get() && finished>
                                    {
                                        let delivery_id = delivery_id.clone();
                                        view! {
                                            <button
                                                type="button"
                                                class="button"
                                                disabled=move || retry.pending().get()
                                                on:click=move |_| { retry.dispatch(RetryDelivery { surface, id: delivery_id.clone() }); }
                                            >
                                                {move || if retry.pending().get() { "Retrying…" } else { "Retry" }}
                                            </button>
                                        }
                                    }
                                </Show>
                            </div>
                            <DeliveryView detail />
                        }
                        .into_any()
                    }
                    Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeliveryView(detail: DeliveryDetail) -> impl IntoView {
    let delivery = detail.delivery;
    let payload = serde_json::to_string_pretty(&detail.payload).unwrap_or_default();
    view! {
        <section class="panel">
            <dl class="settings">
                <dt>"Status"</dt><dd><DeliveryBadge status=delivery.status /></dd>
                <dt>"Event id"</dt><dd class="mono break">{delivery.event_id}</dd>
                <dt>"Attempts"</dt><dd>{delivery.attempt_count}</dd>
                {delivery.next_attempt_at.map(|at| view! { <dt>"Next attempt"</dt><dd>{short_time(&at)}</dd> })}
                <dt>"Created"</dt><dd>{short_time(&delivery.created_at)}</dd>
            </dl>
            <details>
                <summary>"Payload"</summary>
                <pre class="code">{payload}</pre>
            </details>
        </section>
        <h2>"Attempts"</h2>
        {if detail.attempts.is_empty() {
            view! { <p class="empty-note">"No attempt yet."</p> }.into_any()
        } else {
            detail.attempts.into_iter().map(|attempt| view! { <AttemptView attempt /> }).collect_view().into_any()
        }}
    }
}

#[component]
fn AttemptView(attempt: AttemptOut) -> impl IntoView {
    let result = match (attempt.http_status, &attempt.error_message) {
        (Some(status), _) => format!("HTTP {status}"),
        (None, Some(message)) => message.clone(),
        (None, None) => attempt.outcome.clone(),
    };
    let tone = match attempt.outcome.as_str() {
        "succeeded" => "badge success",
        "failed" => "badge danger",
        _ => "badge info",
    };
    view! {
        <article class="panel attempt" aria-label=format!("Attempt {}", attempt.number)>
            <header class="attempt-head">
                <strong>"Attempt " {attempt.number}</strong>
                <span class=tone>{attempt.outcome.clone()}</span>
                <span>{result}</span>
                {attempt.duration_ms.map(|ms| view! { <span class="muted">{ms} " ms"</span> })}
                <span class="muted">{short_time(&attempt.started_at)}</span>
            </header>
            {attempt.url.map(|url| view! { <p class="mono small break">"POST " {url}</p> })}
            {attempt.error_kind.map(|kind| view! { <p class="small">"Error kind: " <span class="mono">{kind}</span></p> })}
            <div class="grid-2">
                <div>
                    <h3>"Request headers"</h3>
                    <HeaderList headers=attempt.request_headers />
                </div>
                <div>
                    <h3>"Response headers"</h3>
                    <HeaderList headers=attempt.response_headers />
                </div>
            </div>
            <h3>"Response body (first 4 KiB)"</h3>
            <pre class="code">{attempt.response_body.unwrap_or_else(|| "(empty)".to_owned())}</pre>
        </article>
    }
}

#[component]
fn HeaderList(headers: Vec<HeaderPair>) -> impl IntoView {
    if headers.is_empty() {
        return view! { <p class="muted small">"None"</p> }.into_any();
    }
    view! {
        <dl class="headers mono small">
            {headers
                .into_iter()
                .map(|h| view! { <dt>{h.name}</dt><dd class="break">{h.value}</dd> })
                .collect_view()}
        </dl>
    }
    .into_any()
}
