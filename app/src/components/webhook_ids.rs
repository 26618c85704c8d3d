//! The ids a webhook is known by: its UUID (main API, Konpro profile) and
//! the 24-hex id of the Interactly profile.

use leptos::prelude::*;

#[component]
pub fn WebhookIds(
    id: String,
    interactly_id: String,
    /// The other systems' ids are the account's business, not its customers'.
    #[prop(optional)]
    only_own: bool,
) -> impl IntoView {
    view! {
        <dl class="ids small">
            <dt>"Id"</dt>
            <dd><code class="mono">{id}</code></dd>
            <dt hidden=only_own>"Interactly id"</dt>
            <dd hidden=only_own><code class="mono" data-testid="interactly-id">{interactly_id}</code></dd>
        </dl>
    }
}
