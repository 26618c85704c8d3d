//! The compatibility profiles (SPEC §7): the Interactly and Konpro webhook
//! APIs as thin adapters over the same service as the main API. Each reads
//! its own wire form, maps fields, calls the service and answers in its own
//! error form; no rule lives here.

pub mod interactly;
pub mod konpro;

use super::MAX_BODY_BYTES;
use crate::service::{Principal, Service};
use app::model::{AppError, ErrorCode};
use axum::{Router, body::Bytes, extract::Request, http::request::Parts};

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

/// The caller of the key in `header`, after `scheme` (e.g. `Bearer`, any
/// case) when there is one.
async fn authenticate(
    parts: &Parts,
    service: &Service,
    header: &str,
    scheme: Option<&str>,
) -> Result<Principal, AppError> {
    let form = match scheme {
        Some(scheme) => format!("{header}: {scheme} sk_..."),
        None => format!("{header}: sk_..."),
    };
    let missing = || AppError::unauthorized(format!("Missing API key: send {form}"));
    let value = parts
        .headers
        .get(header)
        .and_then(|value| value.to_str().ok())
        .ok_or_else(missing)?;
    let key = match scheme {
        Some(scheme) => match value.trim().split_once(' ') {
            Some((given, key)) if given.eq_ignore_ascii_case(scheme) => key,
            _ => return Err(missing()),
        },
        None => value,
    };
    Ok(service.authenticate(key.trim()).await?)
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
