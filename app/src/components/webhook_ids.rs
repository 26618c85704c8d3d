//! The ids a webhook is known by: its UUID (main API, Konpro profile) and
//! the 24-hex id of the Interactly profile.

use crate::api::interactly_id;
use leptos::prelude::*;

#[component]
pub fn WebhookIds(id: String) -> impl IntoView {
    let interactly = Resource::new(
        {
            let id = id.clone();
            move || id.clone()
        },
        interactly_id,
    );
    view! {
        <dl class="ids small">
            <dt>"Id"</dt>
            <dd><code class="mono">{id}</code></dd>
            <dt>"Interactly id"</dt>
            <dd>
                <Suspense fallback=|| "…">
                    {move || Suspend::new(async move {
                        interactly.await.ok().map(|hex| view! { <code class="mono" data-testid="interactly-id">{hex}</code> })
                    })}
                </Suspense>
            </dd>
        </dl>
    }
}
