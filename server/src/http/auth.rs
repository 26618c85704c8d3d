//! `Authorization: Bearer <key>` → the calling [`Principal`].

use super::ApiError;
use crate::service::{Principal, Service};
use axum::{extract::FromRequestParts, http::request::Parts};

/// The authenticated caller of a REST request; 401 `UNAUTHORIZED` otherwise.
pub struct Caller(pub Principal);

impl FromRequestParts<Service> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, service: &Service) -> Result<Self, ApiError> {
        let key = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| {
                ApiError(app::model::AppError::unauthorized(
                    "Missing API key: send Authorization: Bearer sk_...",
                ))
            })?;
        Ok(Caller(service.authenticate(key.trim()).await?))
    }
}
