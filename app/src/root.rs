use crate::{
    admin::ConsoleFallback,
    api::Surface,
    components::{AppFrame, ConsoleLayout},
    pages::{
        DashboardPage, DeliveryDetailPage, NewWebhookPage, SendEventPage, SignInPage,
        WebhookDetailPage, WebhooksPage,
    },
};
use leptos::prelude::*;
use leptos_meta::MetaTags;
use leptos_router::{
    components::{ParentRoute, Route, Routes},
    path,
};

/// The HTML document the server renders around the console.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    document(options, stylesheet, None, App)
}

/// The document around an administration page: its own bundle
/// (`options` name it) and the console's stylesheet.
#[cfg(feature = "ssr")]
pub fn admin_shell(options: LeptosOptions, stylesheet: String) -> impl IntoView {
    document(options, stylesheet, None, crate::AdminApp)
}

/// The document around the portal: its own bundle (`options` name it),
/// the console's stylesheet, and the account's colours over it.
#[cfg(feature = "ssr")]
pub fn portal_shell(options: LeptosOptions, stylesheet: String) -> impl IntoView {
    document(
        options,
        stylesheet,
        Some("/portal/theme.css"),
        crate::PortalApp,
    )
}

fn document<V: IntoView + 'static>(
    options: LeptosOptions,
    stylesheet: String,
    theme: Option<&'static str>,
    body: fn() -> V,
) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="stylesheet" href=stylesheet />
                {theme.map(|theme| view! { <link rel="stylesheet" href=theme /> })}
                <link rel="icon" type="image/svg+xml" href="/favicon.svg" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>{body()}</body>
        </html>
    }
}

/// The console: routes under `/console`, but for the administration pages
/// (`AdminApp`).
#[component]
pub fn App() -> impl IntoView {
    view! {
        <AppFrame title_suffix="Herald" class="app">
            <Routes fallback=ConsoleFallback>
                <Route path=path!("/console/sign-in") view=SignInPage />
                <ParentRoute path=path!("/console") view=ConsoleLayout>
                    <Route path=path!("/dashboard") view=DashboardPage />
                    <Route path=path!("/webhooks") view=|| view! { <WebhooksPage surface=Surface::Console /> } />
                    <Route path=path!("/webhooks/new") view=|| view! { <NewWebhookPage surface=Surface::Console /> } />
                    <Route path=path!("/webhooks/:id") view=|| view! { <WebhookDetailPage surface=Surface::Console /> } />
                    <Route path=path!("/deliveries/:id") view=|| view! { <DeliveryDetailPage surface=Surface::Console /> } />
                    <Route path=path!("/events/new") view=SendEventPage />
                </ParentRoute>
            </Routes>
        </AppFrame>
    }
}
