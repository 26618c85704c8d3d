use leptos::prelude::*;
use leptos_meta::Title;

/// Any console path that is not a page: a 404 with a way back.
#[component]
pub fn NotFoundPage() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Not found" />
        <main class="centered">
            <section class="card">
                <h1>"Page not found"</h1>
                <p>"There is no console page at this address."</p>
                <a class="button" href="/console/webhooks">
                    "Go to webhooks"
                </a>
            </section>
        </main>
    }
}
