//! `/webhooks` routes: extraction and mapping only; the service decides.

use super::envelope::{Envelope, ErrorEnvelope, success};
use super::{ApiError, ApiJson, Caller, ListParams, path::PathId};
use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use herald_model::{Page, WebhookIn, WebhookOut, WebhookPatch, WebhookWithSecret};
use herald_service::Service;
type Answer<T> = Result<Json<Envelope<T>>, ApiError>;

#[utoipa::path(get, path = "/webhooks", operation_id = "list_webhooks", tag = "webhooks", params(herald_service::ListQuery), responses((status = 200, body = Envelope<Page<WebhookOut>>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Answer<std::sync::Arc<Page<WebhookOut>>> {
    Ok(success(service.list_webhooks(&caller, query).await?))
}

#[utoipa::path(get, path = "/webhooks/{id}", operation_id = "get_webhook", tag = "webhooks", params(("id" = String, Path, description = "The webhook id (UUID v4)")), responses((status = 200, body = Envelope<WebhookOut>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Answer<WebhookOut> {
    Ok(success(service.get_webhook(&caller, &id).await?))
}

#[utoipa::path(post, path = "/webhooks", operation_id = "create_webhook", tag = "webhooks", request_body = WebhookIn, responses((status = 201, body = Envelope<WebhookWithSecret>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope)))]
pub async fn create(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<WebhookIn>,
) -> Result<impl IntoResponse, ApiError> {
    let created = service.create_webhook(&caller, input).await?;
    Ok((StatusCode::CREATED, success(created)))
}

#[utoipa::path(patch, path = "/webhooks/{id}", operation_id = "update_webhook", tag = "webhooks", params(("id" = String, Path, description = "The webhook id (UUID v4)")), request_body = WebhookPatch, responses((status = 200, body = Envelope<WebhookOut>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn update(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
    ApiJson(patch): ApiJson<WebhookPatch>,
) -> Answer<WebhookOut> {
    Ok(success(service.update_webhook(&caller, &id, patch).await?))
}

#[utoipa::path(delete, path = "/webhooks/{id}", operation_id = "delete_webhook", tag = "webhooks", params(("id" = String, Path, description = "The webhook id (UUID v4)")), responses((status = 204, description = "Deleted"), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn delete(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Result<StatusCode, ApiError> {
    service.delete_webhook(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(post, path = "/webhooks/{id}/reset-circuit", tag = "webhooks", params(("id" = String, Path, description = "The webhook id (UUID v4)")), responses((status = 200, body = Envelope<WebhookOut>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn reset_circuit(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Answer<WebhookOut> {
    Ok(success(service.reset_circuit(&caller, &id).await?))
}

#[utoipa::path(post, path = "/webhooks/{id}/rotate-secret", tag = "webhooks", params(("id" = String, Path, description = "The webhook id (UUID v4)")), responses((status = 200, body = Envelope<WebhookWithSecret>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn rotate_secret(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Answer<WebhookWithSecret> {
    Ok(success(service.rotate_secret(&caller, &id).await?))
}
