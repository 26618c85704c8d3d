use crate::{
    api::SignIn,
    components::{keep_typed, posted_error},
    validate::ApiKeyInput,
};
use leptos::{ev::SubmitEvent, prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_navigate;

/// Sign in with an API key. A malformed key is refused in the browser by the
/// shared validation; a well-formed one goes to the server, the authority.
/// Before the WebAssembly has loaded (or without it) the form is a plain post
/// to the server function, which answers with a redirect: home when signed
/// in, back here with the error in the address when not.
#[component]
pub fn SignInPage() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let api_key = RwSignal::new(String::new());
    let error = RwSignal::new(posted_error(sign_in));
    let navigate = use_navigate();
    Effect::new(move |_| match sign_in.value().get() {
        Some(Ok(_)) => navigate("/console/webhooks", Default::default()),
        Some(Err(server_error)) => error.set(Some(server_error.0.message)),
        None => {}
    });

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        match ApiKeyInput::parse(&api_key.get_untracked()) {
            Ok(key) => {
                error.set(None);
                sign_in.dispatch(SignIn {
                    api_key: key.as_str().to_owned(),
                });
            }
            Err(invalid) => error.set(Some(invalid.message)),
        }
    };
    let pending = sign_in.pending();

    view! {
        <Title text="Sign in" />
        <main class="centered">
            <form class="card sign-in" method="post" action=SignIn::url() novalidate on:submit=on_submit>
                <h1>"Sign in to Herald"</h1>
                <p class="muted">"Use an API key of your account. It stays on this server."</p>
                <label for="api-key">"API key"</label>
                <input
                    use:keep_typed
                    id="api-key"
                    name="api_key"
                    type="password"
                    autocomplete="off"
                    spellcheck="false"
                    placeholder="sk_…"
                    aria-describedby="api-key-error"
                    aria-invalid=move || error.get().is_some().to_string()
                    prop:value=api_key
                    on:input=move |event| {
                        api_key.set(event_target_value(&event));
                        error.set(None);
                    }
                />
                <p id="api-key-error" class="field-error" role="alert">
                    {move || error.get()}
                </p>
                <button type="submit" class="button" disabled=move || pending.get()>
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
}
