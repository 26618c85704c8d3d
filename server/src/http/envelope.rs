use app::model::{AppError, ErrorCode};
use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use serde_json::json;

/// Every REST failure: `{"success": false, "error": {"code", "message", "details"?}}`.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl<E: Into<AppError>> From<E> for ApiError {
    fn from(error: E) -> Self {
        ApiError(error.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let AppError {
            code,
            message,
            field,
            details,
        } = self.0;
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut error = json!({ "code": code, "message": message });
        let mut all_details = details.unwrap_or_default();
        if let Some(field) = field {
            all_details.insert("field".to_owned(), field.into());
        }
        if !all_details.is_empty() {
            error["details"] = all_details.into();
        }
        (status, Json(json!({ "success": false, "error": error }))).into_response()
    }
}

/// `{"success": true, "data": ...}`.
pub fn success<T: serde::Serialize>(data: T) -> Json<serde_json::Value> {
    Json(json!({ "success": true, "data": data }))
}

pub fn service_unavailable(message: &str) -> ApiError {
    ApiError(AppError::new(ErrorCode::ServiceUnavailable, message))
}
