use super::{SignedInUser, ToastHost, provide_toasts, use_can};
use crate::{
    api::{SignOut, current_user, load},
    model::{ErrorCode, Scope},
};
use leptos::{either::EitherOf3, prelude::*};
use leptos_router::{
    components::{A, Outlet, Redirect},
    hooks::use_navigate,
};

/// The signed-in frame: navigation, the account, "Sign out", then the page.
#[component]
pub fn ConsoleLayout() -> impl IntoView {
    let user = load(|| (), |_| current_user());
    let signed_in = RwSignal::new(None);
    provide_context(SignedInUser(signed_in));
    let toasts = provide_toasts();
    let can_publish = use_can(Scope::WriteEvents);
    let can_manage = use_can(Scope::ManageAccount);
    let is_admin = use_can(Scope::Admin);
    let sign_out = ServerAction::<SignOut>::new();
    let navigate = use_navigate();
    Effect::new(move |_| {
        if let Some(Ok(())) = sign_out.value().get() {
            navigate("/console/sign-in", Default::default());
        }
    });
    let sign_out_error = move || {
        sign_out
            .value()
            .get()
            .and_then(Result::err)
            .map(|error| error.0.message)
    };

    view! {
        <header class="topbar">
            <A href="/console/webhooks" attr:class="brand">
                "Herald"
            </A>
            <nav class="nav" aria-label="Main">
                <A href="/console/dashboard">"Dashboard"</A>
                <A href="/console/webhooks">"Webhooks"</A>
                <Show when=move || can_publish.get()>
                    <A href="/console/events/new">"Send event"</A>
                </Show>
                <Show when=move || can_manage.get()>
                    <A href="/console/companies">"Companies"</A>
                    <A href="/console/api-keys">"API keys"</A>
                </Show>
                <Show when=move || is_admin.get()>
                    <A href="/console/accounts">"Accounts"</A>
                    <A href="/console/event-types">"Event types"</A>
                </Show>
            </nav>
            <div class="account">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(user) => EitherOf3::A(view! {
                                <span class="account-name" title=format!("Signed in with {}", user.key_prefix)>
                                    {user.account_name}
                                </span>
                            }),
                            Err(error) if error.code == ErrorCode::Unauthorized => {
                                EitherOf3::B(view! { <Redirect path="/console/sign-in" /> })
                            }
                            Err(error) => EitherOf3::C(view! {
                                <span class="account-name error" role="alert">{error.0.message}</span>
                            }),
                        }
                    })}
                </Suspense>
                <button
                    type="button"
                    class="button secondary"
                    disabled=move || sign_out.pending().get()
                    on:click=move |_| {
                        sign_out.dispatch(SignOut {});
                    }
                >
                    "Sign out"
                </button>
            </div>
        </header>
        <p class="banner error" role="alert" hidden=move || sign_out_error().is_none()>
            {sign_out_error}
        </p>
        <main class="page">
            // Pages render once the user is known, so they show only the
            // controls the key's scopes allow, on the server and in the browser alike.
            <Suspense fallback=|| view! { <p class="muted">"Loading…"</p> }>
                {move || Suspend::new(async move {
                    user.await.ok().map(|user| {
                        signed_in.set(Some(user));
                        view! { <Outlet /> }
                    })
                })}
            </Suspense>
        </main>
        <ToastHost toasts />
    }
}
