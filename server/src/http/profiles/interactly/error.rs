//! FastAPI's error forms, which the Interactly API answers in: 422
//! `{"detail": [{loc, msg, type}]}` for bad input, `{"detail": message}`
//! for every other refusal.

use super::super::{super::envelope::error_headers, hide_access_denied};
use axum::{
    Json,
    http::StatusCode,
    response::{IntoResponse, Response},
};
use herald_model::{
    AppError, ErrorCode,
    profiles::{
        fastapi::{InteractlyIssue, InteractlyMessage, InteractlyValidationError},
        fields::{FieldIssue, LocPart},
    },
};
use herald_service::ServiceError;

const NOT_FOUND: &str = "Workflow webhook not found";

/// Every failure, in FastAPI's forms.
#[derive(Debug)]
pub enum InteractlyError {
    /// 422 `{"detail": [{loc, msg, type}]}`.
    Invalid(Vec<InteractlyIssue>),
    /// Any other refusal: its status and `{"detail": message}`.
    Refused(AppError),
}

pub(super) fn body_issues(issues: Vec<FieldIssue>) -> InteractlyError {
    let detail = issues
        .into_iter()
        .map(|issue| InteractlyIssue::of("body", issue))
        .collect();
    InteractlyError::Invalid(detail)
}

impl From<AppError> for InteractlyError {
    fn from(error: AppError) -> Self {
        let error = hide_access_denied(error, NOT_FOUND);
        if error.code != ErrorCode::ValidationError {
            return InteractlyError::Refused(error);
        }
        let mut loc = vec![LocPart::Field("body".to_owned())];
        match error.field.as_deref().map(interactly_field) {
            None | Some("body") => {}
            Some(field) => loc.push(LocPart::Field(field.to_owned())),
        }
        InteractlyError::Invalid(vec![InteractlyIssue {
            loc,
            msg: format!("Value error, {}", error.message),
            kind: "value_error".to_owned(),
        }])
    }
}

impl From<ServiceError> for InteractlyError {
    fn from(error: ServiceError) -> Self {
        AppError::from(error).into()
    }
}

/// The Interactly name of a main-API field the service refused.
fn interactly_field(field: &str) -> &str {
    match field {
        "events" => "actions",
        "timeoutMs" => "timeout_seconds",
        "maxRetries" => "max_retries",
        "retryBackoffSeconds" => "retry_backoff_seconds",
        "isActive" => "enabled",
        headers if headers.starts_with("headers") => "bearer_token",
        field => field,
    }
}

impl IntoResponse for InteractlyError {
    fn into_response(self) -> Response {
        match self {
            InteractlyError::Invalid(detail) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(InteractlyValidationError { detail }),
            )
                .into_response(),
            InteractlyError::Refused(error) => {
                let status = StatusCode::from_u16(error.code.http_status())
                    .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let headers = error_headers(&error);
                let detail = error.message;
                (status, headers, Json(InteractlyMessage { detail })).into_response()
            }
        }
    }
}

pub(super) async fn not_found() -> (StatusCode, Json<InteractlyMessage>) {
    let detail = "Not Found".to_owned();
    (StatusCode::NOT_FOUND, Json(InteractlyMessage { detail }))
}

pub(super) async fn method_not_allowed() -> (StatusCode, Json<InteractlyMessage>) {
    let detail = "Method Not Allowed".to_owned();
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(InteractlyMessage { detail }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_services_field_names_become_the_documents() {
        let error: InteractlyError = AppError::validation("timeoutMs", "too long").into();
        let InteractlyError::Invalid(detail) = error else {
            panic!("a validation error is a 422");
        };
        assert_eq!(
            detail[0].loc,
            [
                LocPart::Field("body".to_owned()),
                LocPart::Field("timeout_seconds".to_owned())
            ]
        );
        let denied = AppError::new(ErrorCode::ResourceAccessDenied, "no");
        let InteractlyError::Refused(error) = InteractlyError::from(denied) else {
            panic!("not a 422");
        };
        assert_eq!(error.code, ErrorCode::ResourceNotFound);
    }
}
