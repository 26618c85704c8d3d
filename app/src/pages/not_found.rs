use crate::api::Surface;
use leptos::prelude::*;
use leptos_meta::Title;

/// Any path of the surface that is not a page: a 404 with a way back.
#[component]
pub fn NotFoundPage(surface: Surface) -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    let place = &surface.base()[1..];
    view! {
        <Title text="Not found" />
        <main class="centered">
            <section class="card">
                <h1>"Page not found"</h1>
                <p>"There is no " {place} " page at this address."</p>
                <a class="button" href=surface.path("/webhooks")>
                    "Go to webhooks"
                </a>
            </section>
        </main>
    }
}
