//! The customer portal (SPEC §8): a company's own webhooks, opened from a
//! link. Its webhook, delivery and secret pages are the console's, shown on
//! the [`Surface::Portal`]; only the frame, the catalog and the signature
//! guide are its own. It hydrates from a bundle of its own, so the
//! console's bundle carries none of it.

mod catalog;
mod layout;
mod verify;

use crate::{
    api::Surface,
    components::provide_hydrated,
    pages::{DeliveryDetailPage, NewWebhookPage, NotFoundPage, WebhookDetailPage, WebhooksPage},
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
                <Routes fallback=|| view! { <NotFoundPage surface=Surface::Portal /> }>
                    <ParentRoute path=path!("/portal") view=PortalLayout>
                        <Route path=path!("/webhooks") view=|| view! { <WebhooksPage surface=Surface::Portal /> } />
                        <Route path=path!("/webhooks/new") view=|| view! { <NewWebhookPage surface=Surface::Portal /> } />
                        <Route path=path!("/webhooks/:id") view=|| view! { <WebhookDetailPage surface=Surface::Portal /> } />
                        <Route path=path!("/deliveries/:id") view=|| view! { <DeliveryDetailPage surface=Surface::Portal /> } />
                        <Route path=path!("/event-types") view=CatalogPage />
                        <Route path=path!("/verify") view=VerifyPage />
                    </ParentRoute>
                </Routes>
            </div>
        </Router>
    }
}
