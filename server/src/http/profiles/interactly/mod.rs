//! The Interactly workflow-webhook API (SPEC §7.1): extraction, field
//! mapping and FastAPI's error forms; the service decides.

mod error;
mod mapping;

pub use error::InteractlyError;

use super::{authenticate, body_bytes};
use axum::{
    Json, Router,
    extract::{FromRequestParts, Path, Request, State},
    http::{StatusCode, request::Parts},
    routing::{any, get},
};
use error::{body_issues, method_not_allowed, not_found};
use herald_model::{
    Scope,
    profiles::{
        fastapi::{InteractlyIssue, InteractlyMessage, InteractlyValidationError},
        interactly::{
            InteractlyWebhook, InteractlyWebhookCreate, InteractlyWebhookUpdate, parse_webhook_id,
        },
    },
};
use herald_service::{Principal, Service};
use mapping::{interactly_webhook, webhook_in, webhook_patch};

/// The routes under `/workflows/v1`; any other path there is a 404 in FastAPI's form.
pub fn router() -> Router<Service> {
    let routes = Router::new()
        .route(
            "/workflow-webhooks",
            get(list).post(create).fallback(method_not_allowed),
        )
        .route(
            "/workflow-webhooks/{webhook_id}",
            get(read)
                .patch(update)
                .delete(remove)
                .fallback(method_not_allowed),
        )
        .fallback(not_found);
    // The nest's fallback takes `/workflows/v1/x`, not the bare `/workflows/v1/`.
    Router::new()
        .nest("/workflows/v1", routes)
        .route("/workflows/v1/", any(not_found))
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

/// A new workflow webhook; `name`, `url` and `actions` are required.
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
        .webhook_id_for_interactly_id(&caller, &webhook_id, Scope::ReadWebhooks)
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
        .webhook_id_for_interactly_id(&caller, &webhook_id, Scope::WriteWebhooks)
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
        .webhook_id_for_interactly_id(&caller, &webhook_id, Scope::WriteWebhooks)
        .await?;
    service.delete_webhook(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The authenticated caller: `Authorization: Bearer <key>`.
pub struct Caller(Principal);

impl FromRequestParts<Service> for Caller {
    type Rejection = InteractlyError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Service,
    ) -> Result<Self, Self::Rejection> {
        let caller = authenticate(parts, service, "Authorization", Some("Bearer")).await?;
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
