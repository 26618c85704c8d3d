//! The customer portal (SPEC §8): a company's own webhooks, opened from a
//! link. Its webhook, delivery and secret pages are the console's, shown on
//! the [`Portal`] surface; only the frame, the catalog and the signature
//! guide are its own. It hydrates from a bundle of its own, so the
//! console's bundle carries none of it.

mod catalog;
mod layout;
mod verify;

use crate::{
    api::Portal,
    components::provide_hydrated,
    pages::{
        DeliveryDetailPage, DeliveryDetailPageProps, NewWebhookPage, NewWebhookPageProps,
        WebhookDetailPage, WebhookDetailPageProps, WebhooksPage, WebhooksPageProps,
    },
};
use catalog::CatalogPage;
use layout::PortalLayout;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};
use verify::VerifyPage;

/// The portal: routes under `/portal`.
#[component]
pub fn PortalApp() -> impl IntoView {
    provide_meta_context();
    let hydrated = provide_hydrated();
    view! {
        <Title formatter=|page: String| format!("{page} · Webhooks") />
        <Router>
            <div class="app portal" data-hydrated=move || hydrated.get().to_string()>
                {move || (!hydrated.get()).then(|| view! { <p class="page-loading" role="status">"Loading…"</p> })}
                <Routes fallback=PortalNotFound>
                    <ParentRoute path=path!("/portal") view=PortalLayout>
                        <Route path=path!("/webhooks") view=|| WebhooksPage(WebhooksPageProps { surface: Portal }) />
                        <Route path=path!("/webhooks/new") view=|| NewWebhookPage(NewWebhookPageProps { surface: Portal }) />
                        <Route path=path!("/webhooks/:id") view=|| WebhookDetailPage(WebhookDetailPageProps { surface: Portal }) />
                        <Route path=path!("/deliveries/:id") view=|| DeliveryDetailPage(DeliveryDetailPageProps { surface: Portal }) />
                        <Route path=path!("/event-types") view=CatalogPage />
                        <Route path=path!("/verify") view=VerifyPage />
                    </ParentRoute>
                </Routes>
            </div>
        </Router>
    }
}

#[component]
fn PortalNotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main class="centered">
            <section class="card">
                <h1>"Page not found"</h1>
                <p>"There is no portal page at this address."</p>
                <a class="button" href="/portal/webhooks">"Go to your webhooks"</a>
            </section>
        </main>
    }
}
