//! A signing secret shown once, with copy buttons.

use herald_model::WebhookWithSecret;
use leptos::{html, prelude::*};

/// Both forms of the secret, a "shown once" warning and "Done".
#[component]
pub fn SecretOnce(created: WebhookWithSecret, on_done: Callback<()>) -> impl IntoView {
    // The form that was focused is gone: keyboard users continue here.
    let panel = NodeRef::<html::Section>::new();
    Effect::new(move |_| {
        if let Some(panel) = panel.get() {
            let _ = panel.focus();
        }
    });
    view! {
        <section class="panel secret-once" aria-labelledby="secret-title" tabindex="-1" node_ref=panel>
            <h2 id="secret-title">"Signing secret"</h2>
            <p class="warning" role="alert">
                "This secret is shown once. Copy it now and store it with your receiver: \
                 Herald cannot show it again."
            </p>
            <SecretField
                id="standard-secret"
                label="Standard Webhooks secret (whsec_…)"
                value=created.standard_secret
            />
            <SecretField id="hex-secret" label="Hex secret" value=created.signing_secret />
            <button type="button" class="button" on:click=move |_| on_done.run(())>
                "Done"
            </button>
        </section>
    }
}

#[component]
pub fn SecretField(id: &'static str, label: &'static str, value: String) -> impl IntoView {
    let copied = RwSignal::new(false);
    let text = value.clone();
    view! {
        <label for=id>{label}</label>
        <div class="copy-row">
            <input id=id class="mono" type="text" readonly prop:value=value />
            <button
                type="button"
                class="button secondary"
                aria-label=format!("Copy {label}")
                on:click=move |_| {
                    copy_to_clipboard(&text);
                    copied.set(true);
                }
            >
                {move || if copied.get() { "Copied" } else { "Copy" }}
            </button>
        </div>
    }
}

/// Puts `text` on the clipboard (a no-op when rendering on the server).
pub fn copy_to_clipboard(text: &str) {
    #[cfg(feature = "hydrate")]
    if let Some(window) = web_sys::window() {
        // The promise settles on its own; a refusal leaves the field to copy by hand.
        let _ = window.navigator().clipboard().write_text(text);
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = text;
}
