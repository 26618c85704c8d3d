//! A modal confirmation for destructive actions.

use leptos::{html, prelude::*};

/// Asks before doing something that cannot be undone. Escape or "Cancel"
/// closes it; "Cancel" has the focus first, so Enter never destroys by accident.
#[component]
pub fn ConfirmDialog(
    title: String,
    message: String,
    confirm_label: &'static str,
    on_confirm: Callback<()>,
    on_cancel: Callback<()>,
    #[prop(into)] pending: Signal<bool>,
) -> impl IntoView {
    let cancel_button = NodeRef::<html::Button>::new();
    Effect::new(move |_| {
        if let Some(button) = cancel_button.get() {
            let _ = button.focus();
        }
    });
    view! {
        <div class="dialog-backdrop">
            <div
                class="dialog"
                role="alertdialog"
                aria-modal="true"
                aria-labelledby="dialog-title"
                aria-describedby="dialog-message"
                on:keydown=move |event| {
                    if event.key() == "Escape" {
                        on_cancel.run(());
                    }
                }
            >
                <h2 id="dialog-title">{title}</h2>
                <p id="dialog-message">{message}</p>
                <div class="actions">
                    <button
                        type="button"
                        class="button secondary"
                        node_ref=cancel_button
                        on:click=move |_| on_cancel.run(())
                    >
                        "Cancel"
                    </button>
                    <button
                        type="button"
                        class="button danger"
                        disabled=move || pending.get()
                        on:click=move |_| on_confirm.run(())
                    >
                        {move || if pending.get() { "Working…" } else { confirm_label }}
                    </button>
                </div>
            </div>
        </div>
    }
}
