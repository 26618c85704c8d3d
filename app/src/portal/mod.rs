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
    components::AppFrame,
    pages::{DeliveryDetailPage, NewWebhookPage, NotFoundPage, WebhookDetailPage, WebhooksPage},
};
use catalog::CatalogPage;
use layout::PortalLayout;
use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Routes},
    path,
};
use verify::VerifyPage;

/// The portal: routes under `/portal`.
#[component]
pub fn PortalApp() -> impl IntoView {
    view! {
        <AppFrame title_suffix="Webhooks" class="app portal">
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
        </AppFrame>
    }
}
