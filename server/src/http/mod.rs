//! The REST API at the root (SPEC §3): routes, the error envelope, extractors.

mod auth;
mod deliveries;
mod envelope;
mod health;
mod json;
mod openapi;
mod path;
mod portal_links;
mod profiles;
mod query;
mod requests;
mod tenancy;
mod webhooks;

pub use auth::Caller;
pub use envelope::ApiError;
pub use json::{ApiJson, MAX_BODY_BYTES};
pub use query::ListParams;
pub use requests::with_request_layers;

use axum::{
    Router,
    http::{Method, Uri},
    routing::{delete, get, patch, post},
};
use herald_model::{AppError, ErrorCode};
use herald_service::Service;

/// What `herald worker` answers on its address: liveness, readiness and
/// its own metrics; the envelope's 404 for anything else.
pub fn operations_router(service: Service) -> Router {
    operations_routes()
        .fallback(route_not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(service)
}

fn operations_routes() -> Router<Service> {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/metrics", get(health::metrics))
}

/// The REST routes.
pub fn router(service: Service) -> Router {
    operations_routes()
        .route("/openapi.json", get(openapi::document))
        .route("/webhooks", get(webhooks::list).post(webhooks::create))
        .route(
            "/webhooks/{id}",
            get(webhooks::get)
                .patch(webhooks::update)
                .delete(webhooks::delete),
        )
        .route("/webhooks/{id}/test", post(deliveries::test))
        .route("/webhooks/{id}/deliveries", get(deliveries::list))
        .route("/deliveries/{id}", get(deliveries::get))
        .route("/deliveries/{id}/retry", post(deliveries::retry))
        .route("/events", post(deliveries::publish))
        .route(
            "/webhooks/{id}/reset-circuit",
            post(webhooks::reset_circuit),
        )
        .route(
            "/webhooks/{id}/rotate-secret",
            post(webhooks::rotate_secret),
        )
        .route(
            "/accounts",
            get(tenancy::list_accounts).post(tenancy::create_account),
        )
        .route("/accounts/{id}", patch(tenancy::update_account))
        .route(
            "/portal-links",
            get(portal_links::list).post(portal_links::create),
        )
        .route("/portal-links/{id}", delete(portal_links::revoke))
        .route(
            "/companies",
            get(tenancy::list_companies).post(tenancy::create_company),
        )
        .route(
            "/api-keys",
            get(tenancy::list_api_keys).post(tenancy::create_api_key),
        )
        .route("/api-keys/{id}", delete(tenancy::revoke_api_key))
        .route(
            "/event-types",
            get(tenancy::list_event_types).post(tenancy::create_event_type),
        )
        .route("/event-types/{id}", delete(tenancy::retire_event_type))
        .merge(profiles::router())
        .method_not_allowed_fallback(method_not_allowed)
        .with_state(service)
}

/// The answer for a path that is neither an API route nor a console page.
pub async fn route_not_found(method: Method, uri: Uri) -> ApiError {
    ApiError(AppError::new(
        ErrorCode::ResourceNotFound,
        format!("No route for {method} {}", uri.path()),
    ))
}

async fn method_not_allowed(method: Method, uri: Uri) -> (axum::http::StatusCode, ApiError) {
    let error = AppError::new(
        ErrorCode::ValidationError,
        format!("{method} is not allowed on {}", uri.path()),
    );
    (axum::http::StatusCode::METHOD_NOT_ALLOWED, ApiError(error))
}
