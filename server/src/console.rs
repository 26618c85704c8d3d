//! Hosts the Leptos console: server-side rendering, the server functions
//! (with the service as their backend), the static bundle, and the gate
//! that sends signed-out visitors to the sign-in page.

use crate::{
    config::{Config, EmbeddedFile, EmbeddedSite},
    service::Service,
};
use app::{
    App,
    api::session_token_from_headers,
    backend::{Backend as _, SharedBackend},
    model::AppError,
    shell,
};
use axum::{
    Router,
    body::Body,
    extract::{Request, State},
    http::{HeaderValue, StatusCode, header},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
};
use leptos::prelude::*;
use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::{path::PathBuf, sync::Arc};

const SIGN_IN: &str = "/console/sign-in";
const HOME: &str = "/console/webhooks";
const SERVER_FN_PREFIX: &str = "/console/fn/";
/// Server-function errors are a small JSON object; anything larger is not one of ours.
const MAX_ERROR_BODY: usize = 64 * 1024;

/// Leptos settings without cargo-leptos's variables: the bundle name is baked
/// in at build time and the site root is found from the configuration.
pub fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name(option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("herald"))
        .site_root(site_root(config).to_string_lossy().into_owned())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build()
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

/// The console pages and server functions.
pub fn router(service: Service, options: LeptosOptions) -> Router {
    let backend: SharedBackend = Arc::new(service.clone());
    let routes = generate_route_list(App);
    Router::new()
        .leptos_routes_with_context(
            &options,
            routes,
            move || {
                provide_context(backend.clone());
                provide_content_security_policy();
            },
            {
                let options = options.clone();
                move || shell(options.clone())
            },
        )
        .route_layer(middleware::from_fn_with_state(service, gate))
        .route_layer(middleware::from_fn(server_fn_error_status))
        .with_state(options)
}

/// A fresh nonce for this page's inline scripts (Leptos's hydration and
/// resource scripts carry it) and the policy that admits only those, the
/// bundle from this origin and its WebAssembly; no page may frame the console.
fn provide_content_security_policy() {
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
         base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    );
    if let Ok(value) = HeaderValue::from_str(&policy) {
        response.insert_header(header::CONTENT_SECURITY_POLICY, value);
    }
}

/// Where the console's assets come from: the binary's own copy when it
/// carries one, else the site directory.
#[derive(Clone)]
pub struct ConsoleSite {
    pub options: LeptosOptions,
    pub embedded: Option<EmbeddedSite>,
}

/// Serves the bundle (`/pkg/...`, favicon) and the console's 404 page.
pub async fn assets_and_not_found(site: ConsoleSite, request: Request) -> Response {
    let path = request.uri().path().trim_start_matches('/');
    if let Some(file) = site.embedded.and_then(|embedded| embedded(path)) {
        return embedded_response(file, request.headers());
    }
    // The 404 page runs scripts too: it gets its own nonce and policy.
    let handler = leptos_axum::file_and_error_handler_with_context::<LeptosOptions, _>(
        provide_content_security_policy,
        shell,
    );
    handler(request.uri().clone(), State(site.options), request).await
}

/// Whether `If-None-Match` names `etag` (in a list, weak or not) or is `*`.
fn browser_holds(request_headers: &axum::http::HeaderMap, etag: &str) -> bool {
    request_headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|list| list.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

/// The file with its type and ETag; 304 when the browser holds this version.
fn embedded_response(file: EmbeddedFile, request_headers: &axum::http::HeaderMap) -> Response {
    let (Ok(etag), Ok(content_type)) = (
        HeaderValue::from_str(&file.etag),
        HeaderValue::from_str(&file.content_type),
    ) else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    if browser_holds(request_headers, &file.etag) {
        return (StatusCode::NOT_MODIFIED, [(header::ETAG, etag)]).into_response();
    }
    let headers = [(header::CONTENT_TYPE, content_type), (header::ETAG, etag)];
    (headers, Body::from(file.bytes)).into_response()
}

/// Signed-out visitors of a console page go to sign-in; signed-in visitors of sign-in go home.
async fn gate(State(service): State<Service>, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    if path.starts_with(SERVER_FN_PREFIX) {
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

/// Server functions answer every error with 500; give each the status of its
/// code instead (400 for bad input, 401 when signed out...), in this one place.
async fn server_fn_error_status(request: Request, next: Next) -> Response {
    let response = next.run(request).await;
    if !response.headers().contains_key(SERVER_FN_ERROR_HEADER) {
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
