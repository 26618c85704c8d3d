//! The console's administration pages: companies (with the customer
//! portal's links), API keys, accounts and the event-type catalog. They
//! hydrate from a bundle of their own, so the pages people open most (the
//! webhooks, the delivery log) load without them; a link between the two
//! parts is a page load (see [`ConsoleFallback`]).

use crate::{
    api::Surface,
    components::{AppFrame, ConsoleLayout, use_hydrated},
    pages::{AccountsPage, ApiKeysPage, CompaniesPage, EventTypesPage, NotFoundPage},
};
use leptos::prelude::*;
use leptos_router::{
    components::{ParentRoute, Route, Routes},
    path,
};

/// The administration pages, under `/console` as the others.
#[component]
pub fn AdminApp() -> impl IntoView {
    view! {
        <AppFrame title_suffix="Herald" class="app">
            <Routes fallback=ConsoleFallback>
                <ParentRoute path=path!("/console") view=ConsoleLayout>
                    <Route path=path!("/companies") view=CompaniesPage />
                    <Route path=path!("/api-keys") view=ApiKeysPage />
                    <Route path=path!("/accounts") view=AccountsPage />
                    <Route path=path!("/event-types") view=EventTypesPage />
                </ParentRoute>
            </Routes>
        </AppFrame>
    }
}

/// A path this part of the console has no page for. Rendered by the
/// server, it is not a page at all (404); reached by a link in the browser,
/// it may be the other part's: the browser loads it from the server, which
/// sends it with its own bundle (an unknown path comes back as the 404).
#[component]
pub fn ConsoleFallback() -> impl IntoView {
    if use_hydrated().get_untracked() {
        // After a link, the router shows this before it puts the address in
        // the history: the browser goes to the address the router was given.
        #[cfg(feature = "hydrate")]
        if let Some(window) = web_sys::window() {
            let location = leptos_router::hooks::use_location();
            let (search, hash) = (
                location.search.get_untracked(),
                location.hash.get_untracked(),
            );
            let target = format!(
                "{}{}{search}{}{}",
                location.pathname.get_untracked(),
                if search.is_empty() { "" } else { "?" },
                if hash.is_empty() || hash.starts_with('#') {
                    ""
                } else {
                    "#"
                },
                hash
            );
            // Back and forward have put the address in the history already:
            // it is replaced, not added again. Nothing to do if it fails.
            let here = window.location();
            let current = format!(
                "{}{}{}",
                here.pathname().unwrap_or_default(),
                here.search().unwrap_or_default(),
                here.hash().unwrap_or_default()
            );
            let _ = if current == target {
                here.replace(&target)
            } else {
                here.assign(&target)
            };
        }
        return view! { <p class="muted" role="status">"Loading…"</p> }.into_any();
    }
    view! { <NotFoundPage surface=Surface::Console /> }.into_any()
}
