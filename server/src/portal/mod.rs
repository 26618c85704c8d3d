//! Hosts the customer portal (SPEC §8): a link opens a portal session, its
//! pages are rendered with the portal's own bundle and a policy that lets
//! the configured sites frame them (`HERALD_PORTAL_FRAME_ANCESTORS`), and a
//! visitor without a live session gets a page saying so, never a page of
//! webhooks. The portal's server functions check the session themselves
//! (the console's router serves them).

mod pages;

use crate::console::{
    ConsoleSite, NO_FRAMING, PORTAL, page_routes, provide_content_security_policy,
};
use app::{PortalApp, api::portal_token_from_headers, portal_shell};
use axum::{
    Router,
    extract::{Path, Request, State},
    http::{HeaderValue, header},
    middleware::{self, Next},
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use herald_service::Service;
use leptos::prelude::*;
use leptos_axum::generate_route_list;
use std::sync::Arc;
use tower_http::set_header::SetResponseHeaderLayer;

const HOME: &str = "/portal/webhooks";

#[derive(Clone)]
struct Portal {
    service: Service,
    frame_ancestors: Arc<str>,
    stylesheet: Arc<str>,
}

impl Portal {
    /// Whether other sites may frame the portal: its cookie must then be
    /// sent in a third party's frame.
    fn framed(&self) -> bool {
        &*self.frame_ancestors != NO_FRAMING
    }
}

/// `/portal/{token}` (open a link), the portal's pages and its theme.
pub fn router(service: Service, site: &ConsoleSite, frame_ancestors: &str) -> Router {
    let portal = Portal {
        service: service.clone(),
        frame_ancestors: frame_ancestors.into(),
        stylesheet: site.stylesheet().into(),
    };
    let context = {
        let portal = portal.clone();
        move || {
            provide_context(portal.service.clone());
            provide_content_security_policy(&portal.frame_ancestors);
        }
    };
    let (options, stylesheet) = (site.options_for(&PORTAL), site.stylesheet());
    let pages = page_routes(generate_route_list(PortalApp), context, move || {
        portal_shell(options.clone(), stylesheet.clone())
    })
    .route_layer(middleware::from_fn_with_state(portal.clone(), gate))
    .with_state(site.options.clone());
    Router::new()
        .route("/portal", get(|| async { Redirect::to(HOME) }))
        .route("/portal/theme.css", get(theme))
        .route("/portal/{token}", get(open))
        .with_state(portal)
        .merge(pages)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
}

/// Opens a session from a link and goes to the company's webhooks; an
/// unknown link is a 404 page, an expired or revoked one a 403 page.
async fn open(State(portal): State<Portal>, Path(token): Path<String>) -> Response {
    let opened = match portal.service.open_portal(&token).await {
        Ok(opened) => opened,
        Err(error) => return pages::refusal(&portal, &error.into()),
    };
    let secure = portal.service.secure_cookies();
    let cookie = app::api::portal_cookie(
        &opened.session_token,
        opened.lifetime_seconds,
        secure,
        portal.framed(),
    );
    let mut response = Redirect::to(HOME).into_response();
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response
}

/// A portal page only for a live portal session; else a 403 page.
async fn gate(State(portal): State<Portal>, request: Request, next: Next) -> Response {
    let secure = portal.service.secure_cookies();
    let Some(token) = portal_token_from_headers(request.headers(), secure) else {
        return pages::refusal(&portal, &pages::session_ended(None));
    };
    match portal.service.portal_view(&token).await {
        Ok(_) => next.run(request).await,
        Err(error) => pages::refusal(&portal, &pages::session_ended(Some(error.into()))),
    }
}

/// The account's accent colour over the console's stylesheet.
async fn theme(State(portal): State<Portal>, request: Request) -> Response {
    let secure = portal.service.secure_cookies();
    let color = match portal_token_from_headers(request.headers(), secure) {
        Some(token) => portal
            .service
            .portal_view(&token)
            .await
            .ok()
            .and_then(|view| view.accent_color),
        None => None,
    };
    pages::theme_css(color.as_deref())
}

/// A portal path that is no page: the portal's 404, which the sites
/// allowed to frame the portal may frame.
pub fn not_found(site: &ConsoleSite, frame_ancestors: &str) -> Response {
    pages::not_found(&site.stylesheet(), frame_ancestors)
}
