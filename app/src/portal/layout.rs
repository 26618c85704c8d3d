//! The portal's frame: the account's name in its colour, the company, the
//! navigation, then the page. The rights of the link decide which controls
//! the shared pages show (the server checks them again on every call).

use crate::{
    api::{load, portal_session_view},
    components::{SignedInUser, ToastHost, provide_toasts},
    model::{ConsoleUser, PortalView},
};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

#[component]
pub fn PortalLayout() -> impl IntoView {
    let session = load(|| (), |_| portal_session_view());
    let signed_in = RwSignal::new(None);
    provide_context(SignedInUser(signed_in));
    let toasts = provide_toasts();
    view! {
        <header class="topbar">
            <Suspense fallback=|| view! { <span class="brand">"Webhooks"</span> }>
                {move || Suspend::new(async move {
                    let name = session.await.map(|view| view.account_name).unwrap_or_default();
                    view! { <A href="/portal/webhooks" attr:class="brand">{name} " webhooks"</A> }
                })}
            </Suspense>
            <nav class="nav" aria-label="Portal">
                <A href="/portal/webhooks">"Webhooks"</A>
                <A href="/portal/event-types">"Event types"</A>
                <A href="/portal/verify">"Verify signatures"</A>
            </nav>
            <div class="account">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        session.await.ok().map(|view| view! {
                            <span class="account-name">{view.company_name}</span>
                            {view.read_only.then(|| view! { <span class="badge info">"Read-only"</span> })}
                        })
                    })}
                </Suspense>
            </div>
        </header>
        <main class="page">
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    match session.await {
                        Ok(view) => {
                            signed_in.set(Some(user_of(view)));
                            view! { <Outlet /> }.into_any()
                        }
                        Err(error) => view! {
                            <section class="card">
                                <h1>"Session ended"</h1>
                                <p role="alert">{error.0.message}</p>
                            </section>
                        }
                        .into_any(),
                    }
                })}
            </Suspense>
        </main>
        <ToastHost toasts />
    }
}

/// The session as the shared pages read their user: what the link grants.
fn user_of(view: PortalView) -> ConsoleUser {
    ConsoleUser {
        account_id: String::new(),
        account_name: view.account_name,
        key_name: format!("portal link for {}", view.company_name),
        key_prefix: String::new(),
        scopes: view.scopes,
    }
}
