//! The compatibility profiles (SPEC §7): the Interactly and Konpro webhook
//! APIs as thin adapters over the same service as the main API. Each reads
//! its own wire form, maps fields, calls the service and answers in its own
//! error form; no rule lives here.

pub mod interactly;
pub mod konpro;

use super::{MAX_BODY_BYTES, auth::authenticate};
use axum::{Router, body::Bytes, extract::Request};
use herald_model::{AppError, ErrorCode};
use herald_service::Service;

/// Both profiles' routes.
pub fn router() -> Router<Service> {
    Router::new()
        .merge(interactly::router())
        .merge(konpro::router())
}

/// The request body, at most 1 MiB.
async fn body_bytes(request: Request) -> Result<Bytes, AppError> {
    axum::body::to_bytes(request.into_body(), MAX_BODY_BYTES)
        .await
        .map_err(|_| AppError::new(ErrorCode::PayloadTooLarge, "Request body exceeds 1 MiB"))
}

/// A webhook of another account or company is, to these profiles'
/// clients, one that does not exist (SPEC §7: 404), worded the same.
fn hide_access_denied(error: AppError, not_found: &str) -> AppError {
    match error.code {
        ErrorCode::ResourceAccessDenied | ErrorCode::ResourceNotFound => {
            AppError::new(ErrorCode::ResourceNotFound, not_found)
        }
        _ => error,
    }
}
