//! The Interactly workflow-webhook API (SPEC §7.1): extraction, field
//! mapping and FastAPI's error forms; the service decides.

use super::{authenticate, body_bytes, hide_access_denied};
use crate::service::{Principal, ProfileWebhook, Service, ServiceError};
use app::model::{
    AppError, ErrorCode, EventRef, HeaderIn, HeaderOut, WebhookIn, WebhookOut, WebhookPatch,
    profiles::{
        fields::{FieldIssue, LocPart},
        interactly::{
            InteractlyIssue, InteractlyMessage, InteractlyValidationError, InteractlyWebhook,
            InteractlyWebhookCreate, InteractlyWebhookUpdate, parse_webhook_id,
        },
    },
};
use axum::{
    Json, Router,
    extract::{FromRequestParts, Path, Request, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
    routing::get,
};

const NOT_FOUND: &str = "Workflow webhook not found";
const AUTHORIZATION: &str = "Authorization";

pub fn router() -> Router<Service> {
    Router::new()
        .route(
            "/workflows/v1/workflow-webhooks",
            get(list).post(create).fallback(method_not_allowed),
        )
        .route(
            "/workflows/v1/workflow-webhooks/{webhook_id}",
            get(read)
                .patch(update)
                .delete(remove)
                .fallback(method_not_allowed),
        )
}

#[utoipa::path(get, path = "/workflows/v1/workflow-webhooks", operation_id = "interactly_list_workflow_webhooks", tag = "interactly", security(("bearer" = [])), responses((status = 200, body = Vec<InteractlyWebhook>), (status = 401, body = InteractlyMessage), (status = 403, body = InteractlyMessage)))]
/// Every workflow webhook of the key's account, newest first.
pub async fn list(
    State(service): State<Service>,
    Caller(caller): Caller,
) -> Result<Json<Vec<InteractlyWebhook>>, InteractlyError> {
    let webhooks = service.all_profile_webhooks(&caller).await?;
    Ok(Json(webhooks.into_iter().map(interactly_webhook).collect()))
}

#[utoipa::path(post, path = "/workflows/v1/workflow-webhooks", operation_id = "interactly_create_workflow_webhook", tag = "interactly", security(("bearer" = [])), request_body = InteractlyWebhookCreate, responses((status = 201, body = InteractlyWebhook), (status = 401, body = InteractlyMessage), (status = 403, body = InteractlyMessage), (status = 404, body = InteractlyMessage), (status = 413, body = InteractlyMessage), (status = 422, body = InteractlyValidationError)))]
pub async fn create(
    State(service): State<Service>,
    Caller(caller): Caller,
    request: Request,
) -> Result<(StatusCode, Json<InteractlyWebhook>), InteractlyError> {
    let bytes = body_bytes(request).await?;
    let input = InteractlyWebhookCreate::from_json(&bytes).map_err(body_issues)?;
    let created = service
        .create_profile_webhook(&caller, webhook_in(input))
        .await?;
    Ok((StatusCode::CREATED, Json(interactly_webhook(created))))
}

#[utoipa::path(get, path = "/workflows/v1/workflow-webhooks/{webhook_id}", operation_id = "interactly_get_workflow_webhook", tag = "interactly", security(("bearer" = [])), params(("webhook_id" = String, Path, pattern = "^[0-9a-f]{24}$")), responses((status = 200, body = InteractlyWebhook), (status = 401, body = InteractlyMessage), (status = 403, body = InteractlyMessage), (status = 404, body = InteractlyMessage), (status = 422, body = InteractlyValidationError)))]
pub async fn read(
    State(service): State<Service>,
    Caller(caller): Caller,
    WebhookId(webhook_id): WebhookId,
) -> Result<Json<InteractlyWebhook>, InteractlyError> {
    let id = service
        .webhook_id_for_interactly_id(&caller, &webhook_id)
        .await?;
    let webhook = service.profile_webhook(&caller, &id).await?;
    Ok(Json(interactly_webhook(webhook)))
}

#[utoipa::path(patch, path = "/workflows/v1/workflow-webhooks/{webhook_id}", operation_id = "interactly_update_workflow_webhook", tag = "interactly", security(("bearer" = [])), params(("webhook_id" = String, Path, pattern = "^[0-9a-f]{24}$")), request_body = InteractlyWebhookUpdate, responses((status = 200, body = InteractlyWebhook), (status = 401, body = InteractlyMessage), (status = 403, body = InteractlyMessage), (status = 404, body = InteractlyMessage), (status = 413, body = InteractlyMessage), (status = 422, body = InteractlyValidationError)))]
/// Changes the fields given; an absent or `null` field stays as it is.
pub async fn update(
    State(service): State<Service>,
    Caller(caller): Caller,
    WebhookId(webhook_id): WebhookId,
    request: Request,
) -> Result<Json<InteractlyWebhook>, InteractlyError> {
    let bytes = body_bytes(request).await?;
    let input = InteractlyWebhookUpdate::from_json(&bytes).map_err(body_issues)?;
    let id = service
        .webhook_id_for_interactly_id(&caller, &webhook_id)
        .await?;
    let updated = service
        .update_profile_webhook(&caller, &id, |current| webhook_patch(input, current))
        .await?;
    Ok(Json(interactly_webhook(updated)))
}

#[utoipa::path(delete, path = "/workflows/v1/workflow-webhooks/{webhook_id}", operation_id = "interactly_delete_workflow_webhook", tag = "interactly", security(("bearer" = [])), params(("webhook_id" = String, Path, pattern = "^[0-9a-f]{24}$")), responses((status = 204, description = "Deleted"), (status = 401, body = InteractlyMessage), (status = 403, body = InteractlyMessage), (status = 404, body = InteractlyMessage), (status = 422, body = InteractlyValidationError)))]
pub async fn remove(
    State(service): State<Service>,
    Caller(caller): Caller,
    WebhookId(webhook_id): WebhookId,
) -> Result<StatusCode, InteractlyError> {
    let id = service
        .webhook_id_for_interactly_id(&caller, &webhook_id)
        .await?;
    service.delete_webhook(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn webhook_in(input: InteractlyWebhookCreate) -> WebhookIn {
    WebhookIn {
        url: input.url,
        events: labels(input.actions),
        name: Some(input.name),
        description: None,
        company_id: None,
        headers: bearer_headers(&[], input.bearer_token.as_deref()),
        is_active: input.enabled,
        max_retries: input.max_retries,
        timeout_ms: input.timeout_seconds.map(|seconds| seconds * 1000),
        retry_backoff_seconds: input.retry_backoff_seconds,
        rate_limit_per_second: None,
        account_id: None,
    }
}

fn webhook_patch(input: InteractlyWebhookUpdate, current: &WebhookOut) -> WebhookPatch {
    let headers = (input.bearer_token.is_some() || input.clear_bearer_token)
        .then(|| bearer_headers(&current.headers, input.bearer_token.as_deref()));
    WebhookPatch {
        url: input.url,
        events: input.actions.map(labels),
        name: input.name.map(Some),
        headers,
        is_active: input.enabled,
        max_retries: input.max_retries,
        timeout_ms: input.timeout_seconds.map(|seconds| seconds * 1000),
        retry_backoff_seconds: input.retry_backoff_seconds,
        ..WebhookPatch::default()
    }
}

/// The header list with `Authorization: Bearer <token>` in place of any
/// `Authorization` (none without a token). Masked headers are named
/// without a value, so they keep the values stored.
fn bearer_headers(current: &[HeaderOut], token: Option<&str>) -> Vec<HeaderIn> {
    let others = current
        .iter()
        .filter(|header| !header.name.eq_ignore_ascii_case(AUTHORIZATION))
        .map(|header| HeaderIn {
            name: header.name.clone(),
            value: header.value.clone(),
            secret: Some(header.is_masked),
        });
    let bearer = token.map(|token| HeaderIn {
        name: AUTHORIZATION.to_owned(),
        value: Some(format!("Bearer {token}")),
        secret: Some(true),
    });
    others.chain(bearer).collect()
}

fn labels(actions: Vec<String>) -> Vec<EventRef> {
    actions.into_iter().map(EventRef::Label).collect()
}

fn interactly_webhook(view: ProfileWebhook) -> InteractlyWebhook {
    let webhook = view.webhook;
    InteractlyWebhook {
        id: view.interactly_id,
        name: webhook.name.unwrap_or_default(),
        url: webhook.url,
        actions: webhook.events,
        enabled: webhook.is_active,
        has_bearer_token: view.has_bearer_token,
        timeout_seconds: webhook.timeout_ms / 1000,
        max_retries: webhook.max_retries,
        retry_backoff_seconds: webhook.retry_backoff_seconds,
    }
}

/// The authenticated caller: `Authorization: Bearer <key>`.
pub struct Caller(Principal);

impl FromRequestParts<Service> for Caller {
    type Rejection = InteractlyError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Service,
    ) -> Result<Self, Self::Rejection> {
        let caller = authenticate(parts, service, "authorization", Some("Bearer ")).await?;
        Ok(Self(caller))
    }
}

/// The path's `webhook_id`, checked against the document's pattern.
pub struct WebhookId(String);

impl FromRequestParts<Service> for WebhookId {
    type Rejection = InteractlyError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Service,
    ) -> Result<Self, Self::Rejection> {
        let raw = Path::<String>::from_request_parts(parts, service)
            .await
            .map(|Path(raw)| raw)
            .unwrap_or_default();
        let id = parse_webhook_id(&raw)
            .map_err(|issue| InteractlyError::Invalid(vec![InteractlyIssue::of("path", issue)]))?;
        Ok(Self(id.to_owned()))
    }
}

/// Every failure, in FastAPI's forms.
#[derive(Debug)]
pub enum InteractlyError {
    /// 422 `{"detail": [{loc, msg, type}]}`.
    Invalid(Vec<InteractlyIssue>),
    /// Any other refusal: its status and `{"detail": message}`.
    Refused(AppError),
}

fn body_issues(issues: Vec<FieldIssue>) -> InteractlyError {
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
                let detail = error.message;
                (status, Json(InteractlyMessage { detail })).into_response()
            }
        }
    }
}

async fn method_not_allowed() -> (StatusCode, Json<InteractlyMessage>) {
    let detail = "Method Not Allowed".to_owned();
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(InteractlyMessage { detail }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header(name: &str, masked: bool) -> HeaderOut {
        HeaderOut {
            name: name.to_owned(),
            is_masked: masked,
            value: (!masked).then(|| "v".to_owned()),
        }
    }

    #[test]
    fn a_bearer_token_replaces_only_the_authorization_header() {
        let current = [
            header("X-Env", false),
            header("authorization", true),
            header("X-Secret", true),
        ];
        let headers = bearer_headers(&current, Some("t0k"));
        let names: Vec<_> = headers.iter().map(|h| h.name.as_str()).collect();
        assert_eq!(names, ["X-Env", "X-Secret", "Authorization"]);
        assert_eq!(headers[0].value.as_deref(), Some("v"));
        assert_eq!(
            headers[1].value, None,
            "a masked header keeps its stored value"
        );
        assert_eq!(headers[2].value.as_deref(), Some("Bearer t0k"));
        let cleared = bearer_headers(&current, None);
        assert!(cleared.iter().all(|h| h.name != "authorization"));
    }

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
