use leptos::prelude::*;
use leptos_meta::Title;

/// The webhooks list. Empty for now: webhooks arrive with the configuration API.
#[component]
pub fn WebhooksPage() -> impl IntoView {
    view! {
        <Title text="Webhooks" />
        <h1>"Webhooks"</h1>
        <section class="empty-state">
            <h2>"No webhooks yet"</h2>
            <p>
                "A webhook is a URL of yours that Herald calls, signed, whenever an event you \
                subscribe to happens, retrying until it is received."
            </p>
        </section>
    }
}
