//! Hosts the Leptos console: server-side rendering, the server functions
//! (the service in their context), the static bundles, and the gate
//! that sends signed-out visitors to the sign-in page.

mod assets;

use crate::config::Config;
use app::{AdminApp, App, admin_shell, api::session_token_from_headers, shell};
pub use assets::{ADMIN, Bundle, CONSOLE, PORTAL};
use assets::{SiteFiles, Versions};
use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use herald_model::{AppError, ErrorCode};
use herald_service::Service;
use leptos::prelude::*;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use std::path::PathBuf;
use tower_http::set_header::SetResponseHeaderLayer;

const SIGN_IN: &str = "/console/sign-in";
const HOME: &str = "/console/webhooks";
/// Server functions answer for themselves (the portal's check its session).
const SERVER_FN_PREFIXES: [&str; 2] = ["/console/fn/", "/portal/fn/"];
/// Where a browser says a request comes from.
const SEC_FETCH_SITE: &str = "sec-fetch-site";
/// Server-function errors are a small JSON object; anything larger is not one of ours.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Where the console's assets come from, and the Leptos settings that name them.
#[derive(Clone)]
pub struct ConsoleSite {
    /// The settings of a page the console's main bundle hydrates.
    pub options: LeptosOptions,
    files: SiteFiles,
    versions: Versions,
}

impl ConsoleSite {
    /// The binary's own copy when it carries one (an explicit `--site-root`
    /// wins), else the site directory. Pages name the bundle by its version.
    pub fn open(config: &Config) -> Self {
        let root = site_root(config);
        let files = match config.embedded_site.filter(|_| config.site_root.is_none()) {
            Some(embedded) => SiteFiles::Embedded(embedded),
            None => SiteFiles::Directory(root.clone()),
        };
        let versions = files.versions();
        // Without cargo-leptos's variables: the site is found from the configuration.
        let options = LeptosOptions::builder()
            .output_name(assets::bundle_name(&CONSOLE, &versions))
            .site_root(root.to_string_lossy().into_owned())
            .site_pkg_dir("pkg")
            .site_addr(config.addr)
            .build();
        Self {
            options,
            files,
            versions,
        }
    }

    /// The settings of a page `bundle` hydrates (they name its files).
    pub fn options_for(&self, bundle: &Bundle) -> LeptosOptions {
        let mut options = self.options.clone();
        options.output_name = assets::bundle_name(bundle, &self.versions).into();
        options
    }

    /// The stylesheet every part's pages link: the console's.
    pub fn stylesheet(&self) -> String {
        let options = &self.options;
        format!("/{}/{}.css", options.site_pkg_dir, options.output_name)
    }
}

/// `--site-root`, else `site/` next to the executable (where the build puts
/// it), else `target/site` under the working directory.
fn site_root(config: &Config) -> PathBuf {
    if let Some(root) = &config.site_root {
        return root.clone();
    }
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.join("site")))
        .filter(|dir| dir.is_dir())
        .unwrap_or_else(|| PathBuf::from("target/site"))
}

/// The console pages and every server function (the portal's too). Pages
/// and answers are never used from a cache unchecked: they name the
/// bundles' current versions.
pub fn router(service: Service, site: &ConsoleSite) -> Router {
    let options = site.options.clone();
    let context = {
        let service = service.clone();
        move || {
            provide_context(service.clone());
            provide_content_security_policy(NO_FRAMING);
        }
    };
    let admin_pages = {
        let (options, stylesheet) = (site.options_for(&ADMIN), site.stylesheet());
        page_routes(generate_route_list(AdminApp), context.clone(), move || {
            admin_shell(options.clone(), stylesheet.clone())
        })
    };
    Router::new()
        .leptos_routes_with_context(&options, generate_route_list(App), context, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .merge(admin_pages.with_state(options.clone()))
        .route_layer(middleware::from_fn_with_state(service, gate))
        .route_layer(middleware::from_fn(server_fn_error_status))
        .route_layer(middleware::from_fn(refuse_cross_site_calls))
        .route_layer(revalidate_always())
        .with_state(options)
}

/// Each of `routes` (an app's pages, other than the console's main ones,
/// whose routes Leptos registers with the server functions) rendered by
/// `shell`, with `context` provided.
pub fn page_routes<IV: IntoView + 'static>(
    routes: Vec<AxumRouteListing>,
    context: impl Fn() + Clone + Send + Sync + 'static,
    shell: impl Fn() -> IV + Clone + Send + Sync + 'static,
) -> Router<LeptosOptions> {
    let render = leptos_axum::render_app_to_stream_with_context(context, shell);
    routes.iter().fold(Router::new(), |router, listing| {
        let render = render.clone();
        router.route(listing.path(), get(move |request: Request| render(request)))
    })
}

/// `frame-ancestors` of a page no other site may frame.
pub const NO_FRAMING: &str = "'none'";

/// A fresh nonce for this page's inline scripts (Leptos's hydration and
/// resource scripts carry it) and the policy that admits only those, the
/// bundle from this origin and its WebAssembly; only `frame_ancestors` may
/// frame the page (the console's: none).
pub fn provide_content_security_policy(frame_ancestors: &str) {
    leptos::nonce::provide_nonce();
    let (Some(nonce), Some(response)) = (
        leptos::nonce::use_nonce(),
        use_context::<leptos_axum::ResponseOptions>(),
    ) else {
        return;
    };
    let policy = format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'self'; frame-ancestors {frame_ancestors}"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

fn revalidate_always() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        header::CACHE_CONTROL,
        HeaderValue::from_static("no-cache"),
    )
}

/// Serves the bundle (`/pkg/...`, favicon) and the console's 404 page.
pub async fn assets_and_not_found(site: ConsoleSite, request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/');
    if let Some(file) = assets::respond(&site.files, &site.versions, path, request.headers()) {
        return file;
    }
    // The app's 404 page, without Leptos's file handler: that one would serve
    // any file of a site directory, the copies `respond` refuses included.
    // The page runs scripts too: it gets its own nonce and policy.
    let options = site.options;
    let context = options.clone();
    let handler = leptos_axum::render_app_to_stream_with_context(
        move || {
            provide_context(context.clone());
            provide_content_security_policy(NO_FRAMING);
        },
        move || shell(options.clone()),
    );
    let mut page = handler(request).await;
    page.headers_mut()
        .entry(header::CACHE_CONTROL)
        .or_insert(HeaderValue::from_static("no-cache"));
    page
}

/// Signed-out visitors of a console page go to sign-in; signed-in visitors of sign-in go home.
async fn gate(State(service): State<Service>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if SERVER_FN_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix))
    {
        return next.run(request).await;
    }
    let signed_in = match session_token_from_headers(request.headers(), service.secure_cookies()) {
        Some(token) => service.session_principal(&token).await.is_ok(),
        None => false,
    };
    match (path == SIGN_IN, signed_in) {
        (true, true) => Redirect::to(HOME).into_response(),
        (false, false) => Redirect::to(SIGN_IN).into_response(),
        _ => next.run(request).await,
    }
}

/// A server function answers its own pages only. A page of another site
/// could make the browser call one with its cookies (a forged form, or a
/// `fetch` of plain text, which needs no permission); the portal's cookie
/// goes with such calls when the portal may be framed. Browsers say where
/// a call comes from (`Sec-Fetch-Site`, else `Origin`); a call that names
/// no origin is no browser's cross-site one.
async fn refuse_cross_site_calls(request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_call = SERVER_FN_PREFIXES
        .iter()
        .any(|prefix| path.starts_with(prefix));
    if is_call && !from_this_origin(request.headers()) {
        let error = AppError::new(
            ErrorCode::ResourceAccessDenied,
            "Calls from another site's page are refused.",
        );
        return (StatusCode::FORBIDDEN, axum::Json(error)).into_response();
    }
    next.run(request).await
}

fn from_this_origin(headers: &HeaderMap) -> bool {
    let text = |name| {
        headers
            .get(name)
            .and_then(|value: &HeaderValue| value.to_str().ok())
    };
    if let Some(site) = text(SEC_FETCH_SITE) {
        return site == "same-origin";
    }
    let Some(origin) = text(header::ORIGIN.as_str()) else {
        return true;
    };
    let host = origin
        .strip_prefix("https://")
        .or_else(|| origin.strip_prefix("http://"));
    host.is_some() && host == text(header::HOST.as_str())
}

/// Server functions answer every error with 500; give each the status of its
/// code instead (400 for bad input, 401 when signed out...), in this one place.
/// A plain form post is answered with a redirect, the error in its address:
/// that stays a redirect.
async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER)
        || response.status().is_redirection()
    {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ERROR_BODY).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(error.code.http_status()).unwrap_or(parts.status);
    }
    Response::from_parts(parts, Body::from(bytes))
}
