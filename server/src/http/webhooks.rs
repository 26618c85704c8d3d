//! `/webhooks` routes: extraction and mapping only; the service decides.

use super::{ApiError, ApiJson, Caller, ListParams, envelope::success};
use crate::service::Service;
use app::model::{WebhookIn, WebhookPatch};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde_json::Value;

type Answer = Result<Json<Value>, ApiError>;

pub async fn list(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Answer {
    Ok(success(service.list_webhooks(&caller, query).await?))
}

pub async fn get(
    State(service): State<Service>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Answer {
    Ok(success(service.get_webhook(&caller, &id).await?))
}

pub async fn create(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<WebhookIn>,
) -> Result<impl IntoResponse, ApiError> {
    let created = service.create_webhook(&caller, input).await?;
    Ok((StatusCode::CREATED, success(created)))
}

pub async fn update(
    State(service): State<Service>,
    Caller(caller): Caller,
    Path(id): Path<String>,
    ApiJson(patch): ApiJson<WebhookPatch>,
) -> Answer {
    Ok(success(service.update_webhook(&caller, &id, patch).await?))
}

pub async fn delete(
    State(service): State<Service>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    service.delete_webhook(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub async fn reset_circuit(
    State(service): State<Service>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Answer {
    Ok(success(service.reset_circuit(&caller, &id).await?))
}

pub async fn rotate_secret(
    State(service): State<Service>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Answer {
    Ok(success(service.rotate_secret(&caller, &id).await?))
}
