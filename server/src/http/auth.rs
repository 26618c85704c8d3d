//! `Authorization: Bearer <key>` → the calling [`Principal`].

use super::ApiError;
use axum::{extract::FromRequestParts, http::request::Parts};
use herald_model::AppError;
use herald_service::{Principal, Service};

/// The authenticated caller of a REST request; 401 `UNAUTHORIZED` otherwise.
pub struct Caller(pub Principal);

impl FromRequestParts<Service> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, service: &Service) -> Result<Self, ApiError> {
        let caller = authenticate(parts, service, "Authorization", Some("Bearer")).await?;
        Ok(Caller(caller))
    }
}

/// The caller of the key in `header`, after `scheme` (e.g. `Bearer`, any
/// case) when there is one.
pub(super) async fn authenticate(
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
    let caller = service.authenticate(key.trim()).await?;
    service.admit(&caller)?;
    Ok(caller)
}
