use crate::{
    api::{PublishEvent, Surface, companies, event_types, load},
    components::{keep_typed, use_hydrated, use_toasts},
    model::{CompanyOut, EventIn, EventRef, EventType},
};
use leptos::{ev::SubmitEvent, prelude::*};
use leptos_meta::Title;

/// Publish a test event to every matching webhook, as `POST /events` does.
#[component]
pub fn SendEventPage() -> impl IntoView {
    let catalog = load(|| (), |_| event_types(Surface::Console));
    let companies = load(|| (), |_| companies(Surface::Console));
    view! {
        <Title text="Send event" />
        <h1>"Send a test event"</h1>
        <p class="muted">
            "The event goes to every active webhook subscribed to its type: global ones, and the company's."
        </p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                let companies = companies.await.unwrap_or_default();
                match catalog.await {
                    Ok(catalog) => view! { <EventForm catalog companies /> }.into_any(),
                    Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}

fn example_for(catalog: &[EventType], id: i64) -> String {
    catalog
        .iter()
        .find(|t| t.id == id)
        .and_then(|t| t.example_payload.as_ref())
        .and_then(|payload| serde_json::to_string_pretty(payload).ok())
        .unwrap_or_else(|| "{}".to_owned())
}

#[component]
fn EventForm(catalog: Vec<EventType>, companies: Vec<CompanyOut>) -> impl IntoView {
    let open: Vec<EventType> = catalog.into_iter().filter(|t| !t.retired).collect();
    let first = open.first().map_or(0, |t| t.id);
    let event_type = RwSignal::new(first);
    let payload = RwSignal::new(example_for(&open, first));
    let company = RwSignal::new(String::new());
    let payload_error = RwSignal::new(None::<String>);
    let publish = ServerAction::<PublishEvent>::new();
    let toasts = use_toasts();
    Effect::new(move |_| match publish.value().get() {
        Some(Ok(accepted)) => toasts.success(format!(
            "Event {} accepted: {} deliver{}",
            accepted.id,
            accepted.deliveries,
            if accepted.deliveries == 1 { "y" } else { "ies" }
        )),
        Some(Err(error)) => toasts.error(error.0.message),
        None => {}
    });
    let parse_payload =
        move || match serde_json::from_str::<serde_json::Value>(&payload.get_untracked()) {
            Ok(value) => {
                payload_error.set(None);
                Some(value)
            }
            Err(error) => {
                payload_error.set(Some(format!("The payload is not valid JSON: {error}")));
                None
            }
        };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        let Some(data) = parse_payload() else {
            return;
        };
        let company_id = company.get_untracked();
        publish.dispatch(PublishEvent {
            input: EventIn {
                event_type: EventRef::Id(event_type.get_untracked()),
                company_id: (!company_id.is_empty()).then_some(company_id),
                data,
                idempotency_key: None,
                account_id: None,
            },
        });
    };
    let examples = open.clone();
    let hydrated = use_hydrated();
    view! {
        <form class="panel" novalidate on:submit=on_submit>
            <div class="grid-2 spaced">
                <div class="field">
                    <label for="event-type">"Event type"</label>
                    <select
                        use:keep_typed
                        id="event-type"
                        on:change=move |event| {
                            let id = event_target_value(&event).parse().unwrap_or(first);
                            event_type.set(id);
                            payload.set(example_for(&examples, id));
                        }
                    >
                        {open
                            .into_iter()
                            .map(|t| view! { <option value=t.id.to_string()>{format!("{} ({})", t.label, t.id)}</option> })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="event-company">"Company"</label>
                    <select use:keep_typed id="event-company" on:change=move |event| company.set(event_target_value(&event))>
                        <option value="">"None (global webhooks only)"</option>
                        {companies
                            .into_iter()
                            .map(|c| view! { <option value=c.id>{c.name}</option> })
                            .collect_view()}
                    </select>
                </div>
            </div>
            <div class="field">
                <label for="payload">"Payload (JSON, sent as data)"</label>
                <textarea
                    use:keep_typed
                    id="payload"
                    class="mono"
                    rows="10"
                    spellcheck="false"
                    aria-describedby="payload-error"
                    aria-invalid=move || payload_error.get().is_some().to_string()
                    prop:value=payload
                    on:input=move |event| payload.set(event_target_value(&event))
                    on:blur=move |_| { parse_payload(); }
                ></textarea>
                <p id="payload-error" class="field-error">{move || payload_error.get()}</p>
            </div>
            <button type="submit" class="button" disabled=move || publish.pending().get() || !hydrated.get()>
                {move || if publish.pending().get() { "Sending…" } else { "Send event" }}
            </button>
        </form>
    }
}
