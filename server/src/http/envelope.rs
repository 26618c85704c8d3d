//! The two JSON envelopes every REST answer uses. The same types render the
//! answers and describe them in `/openapi.json`, so the document cannot drift.

use axum::{
    Json,
    http::{HeaderMap, HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use herald_model::{AppError, ErrorCode};
use herald_service::RETRY_AFTER_DETAIL;
use serde::Serialize;
use serde_json::{Map, Value};
use utoipa::ToSchema;

/// `{"success": true, "data": ...}`.
#[derive(Serialize, ToSchema)]
pub struct Envelope<T> {
    pub success: bool,
    pub data: T,
}

/// `{"success": false, "error": {"code", "message", "details"?}}`.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub success: bool,
    pub error: ErrorBody,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub code: ErrorCode,
    pub message: String,
    /// `field` names the offending input; `provided` and `allowed` for event types.
    #[serde(skip_serializing_if = "Map::is_empty")]
    #[schema(value_type = Option<Object>)]
    pub details: Map<String, Value>,
}

/// Every REST failure, rendered as an [`ErrorEnvelope`] with the code's status.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let headers = error_headers(&self.0);
        let AppError {
            code,
            message,
            field,
            details,
        } = self.0;
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut details = details.unwrap_or_default();
        if let Some(field) = field {
            details.insert("field".to_owned(), field.into());
        }
        let body = ErrorEnvelope {
            success: false,
            error: ErrorBody {
                code,
                message,
                details,
            },
        };
        (status, headers, Json(body)).into_response()
    }
}

/// The headers an error answer carries in any of the API's forms:
/// `Retry-After` for `RATE_LIMITED`, from the seconds its details name.
pub(super) fn error_headers(error: &AppError) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let seconds = (error.code == ErrorCode::RateLimited)
        .then(|| error.details.as_ref()?.get(RETRY_AFTER_DETAIL)?.as_u64())
        .flatten();
    if let Some(seconds) = seconds {
        headers.insert(header::RETRY_AFTER, HeaderValue::from(seconds));
    }
    headers
}

/// Wraps `data` in the success envelope.
pub fn success<T: Serialize>(data: T) -> Json<Envelope<T>> {
    Json(Envelope {
        success: true,
        data,
    })
}

pub fn service_unavailable(message: &str) -> ApiError {
    ApiError(AppError::new(ErrorCode::ServiceUnavailable, message))
}
