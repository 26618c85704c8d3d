//! The REST API at the root (SPEC §3): routes, the error envelope, extractors.

mod envelope;
mod health;

pub use envelope::ApiError;

use crate::service::Service;
use axum::{Router, routing::get};

/// The REST routes. Webhooks, events and deliveries join here as they are built.
pub fn router(service: Service) -> Router {
    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .with_state(service)
}

/// The answer for a path that is neither an API route nor a console page.
pub async fn route_not_found(method: axum::http::Method, uri: axum::http::Uri) -> ApiError {
    ApiError(app::model::AppError::new(
        app::model::ErrorCode::ResourceNotFound,
        format!("No route for {method} {}", uri.path()),
    ))
}
