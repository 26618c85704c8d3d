//! What each app (the console's main pages, its administration pages, the
//! portal) puts around its routes.

use super::provide_hydrated;
use leptos::prelude::*;
use leptos_meta::{Title, provide_meta_context};
use leptos_router::components::Router;

/// Page titles as `{page} · {title_suffix}`, the router, and a notice that
/// the page is still loading until the WebAssembly has taken it over (the
/// `data-hydrated` flag says when).
#[component]
pub fn AppFrame(
    title_suffix: &'static str,
    /// `app`, and the app's own class.
    class: &'static str,
    children: Children,
) -> impl IntoView {
    provide_meta_context();
    let hydrated = provide_hydrated();
    view! {
        <Title formatter=move |page: String| format!("{page} · {title_suffix}") />
        <Router>
            <div class=class data-hydrated=move || hydrated.get().to_string()>
                {move || (!hydrated.get()).then(|| view! { <p class="page-loading" role="status">"Loading…"</p> })}
                {children()}
            </div>
        </Router>
    }
}
