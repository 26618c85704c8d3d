//! The event types a webhook may subscribe to, each with what it means and
//! an example of its payload.

use crate::api::{Surface, event_types, load};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn CatalogPage() -> impl IntoView {
    let catalog = load(|| (), |_| event_types(Surface::Portal));
    view! {
        <Title text="Event types" />
        <h1>"Event types"</h1>
        <p class="muted">"Subscribe a webhook to the types below, or to every type."</p>
        <Transition fallback=|| view! { <p class="muted">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match catalog.await {
                    Ok(types) => types
                        .into_iter()
                        .filter(|event_type| !event_type.retired)
                        .map(|event_type| {
                            let example = event_type
                                .example_payload
                                .as_ref()
                                .and_then(|payload| serde_json::to_string_pretty(payload).ok());
                            view! {
                                <section class="panel event-type" aria-label=event_type.label.clone()>
                                    <h2 class="mono">{event_type.label.clone()}</h2>
                                    <p>{event_type.description.clone()}</p>
                                    {example.map(|example| view! {
                                        <details>
                                            <summary>"Example payload"</summary>
                                            <pre class="code">{example}</pre>
                                        </details>
                                    })}
                                </section>
                            }
                        })
                        .collect_view()
                        .into_any(),
                    Err(error) => view! { <p class="banner error" role="alert">{error.0.message}</p> }.into_any(),
                }
            })}
        </Transition>
    }
}
