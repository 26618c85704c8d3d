use crate::{
    components::{ConsoleLayout, provide_hydrated},
    pages::{
        AccountsPage, ApiKeysPage, CompaniesPage, DashboardPage, DeliveryDetailPage,
        EventTypesPage, NewWebhookPage, NotFoundPage, SendEventPage, SignInPage, WebhookDetailPage,
        WebhooksPage,
    },
};
use leptos::prelude::*;
use leptos_meta::{MetaTags, Title, provide_meta_context};
use leptos_router::{
    components::{ParentRoute, Route, Router, Routes},
    path,
};

/// The HTML document the server renders around the app.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=stylesheet />
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The console: routes under `/console`.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    let hydrated = provide_hydrated();

    view! {
        <Title formatter=|page: String| format!("{page} · Herald") />
        <Router>
            <div class="app" data-hydrated=move || hydrated.get().to_string()>
                {move || (!hydrated.get()).then(|| view! { <p class="page-loading" role="status">"Loading…"</p> })}
                <Routes fallback=NotFoundPage>
                    <Route path=path!("/console/sign-in") view=SignInPage />
                    <ParentRoute path=path!("/console") view=ConsoleLayout>
                        <Route path=path!("/dashboard") view=DashboardPage />
                        <Route path=path!("/webhooks") view=WebhooksPage />
                        <Route path=path!("/webhooks/new") view=NewWebhookPage />
                        <Route path=path!("/webhooks/:id") view=WebhookDetailPage />
                        <Route path=path!("/deliveries/:id") view=DeliveryDetailPage />
                        <Route path=path!("/events/new") view=SendEventPage />
                        <Route path=path!("/companies") view=CompaniesPage />
                        <Route path=path!("/api-keys") view=ApiKeysPage />
                        <Route path=path!("/accounts") view=AccountsPage />
                        <Route path=path!("/event-types") view=EventTypesPage />
                    </ParentRoute>
                </Routes>
            </div>
        </Router>
    }
}
