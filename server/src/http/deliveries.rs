//! `/events`, `/webhooks/{id}/test` and the delivery log: extraction and
//! mapping only; the service decides.

use super::envelope::{Envelope, ErrorEnvelope, success};
use super::{ApiError, ApiJson, Caller, path::PathId};
use axum::{
    Json,
    extract::{FromRequestParts, Query, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
};
use herald_model::{
    AppError, DeliveryDetail, DeliveryOut, EventAccepted, EventIn, Page, TestResult,
};
use herald_service::{DeliveryQuery, NOT_SUBSCRIBED_TO_PING, Service, ServiceError};
use serde_json::json;

type Answer<T> = Result<Json<Envelope<T>>, ApiError>;

#[utoipa::path(post, path = "/events", operation_id = "publish_event", tag = "events", request_body = EventIn, responses((status = 202, body = Envelope<EventAccepted>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope), (status = 413, body = ErrorEnvelope)))]
/// Answered only once the event and its deliveries are committed.
pub async fn publish(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<EventIn>,
) -> Result<(StatusCode, Json<Envelope<EventAccepted>>), ApiError> {
    let accepted = service.publish_event(&caller, input).await?;
    Ok((StatusCode::ACCEPTED, success(accepted)))
}

#[utoipa::path(post, path = "/webhooks/{id}/test", operation_id = "test_webhook", tag = "webhooks", params(("id" = String, Path, description = "The webhook id (UUID v4)")), responses((status = 200, body = Envelope<TestResult>), (status = 400, description = "Not subscribed to ping"), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
/// A signed ping now; 200 with `success: false` inside when the receiver failed.
pub async fn test(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Response {
    match service.test_webhook(&caller, &id).await {
        Ok(result) => success(result).into_response(),
        Err(ServiceError::NotSubscribedToPing) => not_subscribed_to_ping(),
        Err(error) => ApiError::from(error).into_response(),
    }
}

/// One body that reads right both as the seed's `{success, message}` and as
/// the error envelope.
fn not_subscribed_to_ping() -> Response {
    let message = NOT_SUBSCRIBED_TO_PING;
    let body = json!({
        "success": false,
        "message": message,
        "data": {"success": false, "message": message},
        "error": {"code": "VALIDATION_ERROR", "message": message},
    });
    (StatusCode::BAD_REQUEST, Json(body)).into_response()
}

#[utoipa::path(get, path = "/webhooks/{id}/deliveries", operation_id = "list_deliveries", tag = "deliveries", params(("id" = String, Path, description = "The webhook id (UUID v4)"), DeliveryQuery), responses((status = 200, body = Envelope<Page<DeliveryOut>>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
    DeliveryParams(query): DeliveryParams,
) -> Answer<Page<DeliveryOut>> {
    Ok(success(service.list_deliveries(&caller, &id, query).await?))
}

#[utoipa::path(get, path = "/deliveries/{id}", operation_id = "get_delivery", tag = "deliveries", params(("id" = String, Path, description = "The delivery id (a UUID)")), responses((status = 200, body = Envelope<DeliveryDetail>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn get(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Answer<DeliveryDetail> {
    Ok(success(service.get_delivery(&caller, &id).await?))
}

#[utoipa::path(post, path = "/deliveries/{id}/retry", operation_id = "retry_delivery", tag = "deliveries", params(("id" = String, Path, description = "The delivery id (a UUID)")), responses((status = 200, body = Envelope<DeliveryOut>), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn retry(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Answer<DeliveryOut> {
    Ok(success(service.retry_delivery(&caller, &id).await?))
}

/// `?status=&limit=&offset=`; a malformed query string gets a 400 envelope.
pub struct DeliveryParams(pub DeliveryQuery);

impl<S: Send + Sync> FromRequestParts<S> for DeliveryParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(query) = Query::<DeliveryQuery>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| AppError::validation("query", rejection.body_text()))?;
        Ok(DeliveryParams(query))
    }
}
