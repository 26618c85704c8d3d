//! Path parameters read into our envelope: axum's own rejection is plain
//! text, and a value that cannot be read names no resource of ours.

use super::ApiError;
use axum::{
    extract::{FromRequestParts, Path},
    http::request::Parts,
};
use herald_model::{AppError, ErrorCode};

/// The `{id}` of a REST path; 404 `RESOURCE_NOT_FOUND` when it cannot be
/// read (bad percent-encoding, not UTF-8). The service decides whether a
/// readable id names anything.
pub struct PathId(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        match Path::<String>::from_request_parts(parts, state).await {
            Ok(Path(id)) => Ok(Self(id)),
            Err(rejection) => {
                tracing::debug!(%rejection, "unreadable path parameter");
                Err(ApiError(AppError::new(
                    ErrorCode::ResourceNotFound,
                    format!("No resource at {}: its id cannot be read", parts.uri.path()),
                )))
            }
        }
    }
}
