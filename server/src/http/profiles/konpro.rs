//! The Konpro webhook-endpoint API (SPEC §7.2): extraction, field mapping
//! and its `{"error": {code, message}}` form; the service decides.

use super::{super::envelope::error_headers, authenticate, body_bytes, hide_access_denied};
use axum::{
    Json, Router,
    extract::{FromRequestParts, Query, Request, State},
    http::{StatusCode, request::Parts},
    response::{IntoResponse, Response},
    routing::{any, delete, get, patch, post},
};
use herald_model::{
    ALL_EVENTS, AppError, ErrorCode, EventRef, WebhookIn, WebhookPatch,
    profiles::{
        fields::FieldIssue,
        konpro::{
            KonproEndpoint, KonproEndpointAdd, KonproEndpointUpdate, KonproError, KonproErrorBody,
            KonproStatus,
        },
    },
};
use herald_service::{Principal, ProfileWebhook, Service, ServiceError};

const NOT_FOUND: &str = "Webhook endpoint not found";

/// The routes under `/v1/webhook`; any other path there is a 404 in Konpro's form.
pub fn router() -> Router<Service> {
    let routes = Router::new()
        .route("/endpoint.add", post(add).fallback(method_not_allowed))
        .route("/endpoint.list", get(list).fallback(method_not_allowed))
        .route(
            "/endpoint.update",
            patch(update).fallback(method_not_allowed),
        )
        .route(
            "/endpoint.delete",
            delete(remove).fallback(method_not_allowed),
        )
        .route(
            "/webhook.list",
            get(event_types).fallback(method_not_allowed),
        )
        .fallback(not_found);
    // The nest's fallback takes `/v1/webhook/x`, not the bare `/v1/webhook/`.
    Router::new()
        .nest("/v1/webhook", routes)
        .route("/v1/webhook/", any(not_found))
}

#[utoipa::path(post, path = "/v1/webhook/endpoint.add", operation_id = "konpro_add_endpoint", tag = "konpro", security(("konpro_key" = [])), request_body = KonproEndpointAdd, responses((status = 200, body = KonproEndpoint), (status = 400, body = KonproError), (status = 401, body = KonproError), (status = 403, body = KonproError), (status = 404, body = KonproError), (status = 413, body = KonproError)))]
/// A new endpoint; no `events` (or `[]`) subscribes to every type.
pub async fn add(
    State(service): State<Service>,
    Caller(caller): Caller,
    request: Request,
) -> Result<Json<KonproEndpoint>, KonproApiError> {
    let bytes = body_bytes(request).await?;
    let input = KonproEndpointAdd::from_json(&bytes).map_err(invalid)?;
    let input = WebhookIn::new(input.url, subscription(input.events.unwrap_or_default()));
    let created = service.create_profile_webhook(&caller, input).await?;
    Ok(Json(endpoint(created, &caller)))
}

#[utoipa::path(get, path = "/v1/webhook/endpoint.list", operation_id = "konpro_list_endpoints", tag = "konpro", security(("konpro_key" = [])), responses((status = 200, body = Vec<KonproEndpoint>), (status = 401, body = KonproError), (status = 403, body = KonproError)))]
/// Every endpoint of the key's account, newest first.
pub async fn list(
    State(service): State<Service>,
    Caller(caller): Caller,
) -> Result<Json<Vec<KonproEndpoint>>, KonproApiError> {
    let webhooks = service.all_profile_webhooks(&caller).await?;
    let endpoints = webhooks
        .into_iter()
        .map(|webhook| endpoint(webhook, &caller))
        .collect();
    Ok(Json(endpoints))
}

#[utoipa::path(patch, path = "/v1/webhook/endpoint.update", operation_id = "konpro_update_endpoint", tag = "konpro", security(("konpro_key" = [])), request_body = KonproEndpointUpdate, responses((status = 200, body = KonproEndpoint), (status = 400, body = KonproError), (status = 401, body = KonproError), (status = 403, body = KonproError), (status = 404, body = KonproError), (status = 413, body = KonproError)))]
/// Changes the URL and/or the events given; the secret stays.
pub async fn update(
    State(service): State<Service>,
    Caller(caller): Caller,
    request: Request,
) -> Result<Json<KonproEndpoint>, KonproApiError> {
    let bytes = body_bytes(request).await?;
    let input = KonproEndpointUpdate::from_json(&bytes).map_err(invalid)?;
    let patch = WebhookPatch {
        url: input.url,
        events: input.events.map(subscription),
        ..WebhookPatch::default()
    };
    let updated = service
        .update_profile_webhook(&caller, &input.endpoint_id, |_| patch)
        .await?;
    Ok(Json(endpoint(updated, &caller)))
}

#[derive(serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EndpointIdQuery {
    /// The endpoint to delete.
    #[param(min_length = 1)]
    endpoint_id: String,
}

#[utoipa::path(delete, path = "/v1/webhook/endpoint.delete", operation_id = "konpro_delete_endpoint", tag = "konpro", security(("konpro_key" = [])), params(EndpointIdQuery), responses((status = 200, body = KonproEndpoint, description = "The endpoint as it was"), (status = 400, body = KonproError), (status = 401, body = KonproError), (status = 403, body = KonproError), (status = 404, body = KonproError)))]
/// Deletes the endpoint (its pending deliveries are cancelled) and answers with it as it was.
pub async fn remove(
    State(service): State<Service>,
    Caller(caller): Caller,
    query: Result<Query<EndpointIdQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Json<KonproEndpoint>, KonproApiError> {
    let endpoint_id = query
        .ok()
        .map(|Query(query)| query.endpoint_id)
        .filter(|id| !id.is_empty())
        .ok_or_else(|| {
            AppError::validation("endpoint_id", "endpoint_id is required in the query")
        })?;
    let deleted = service
        .delete_profile_webhook(&caller, &endpoint_id)
        .await?;
    Ok(Json(endpoint(deleted, &caller)))
}

/// The labels of the event types one may subscribe to.
#[utoipa::path(get, path = "/v1/webhook/webhook.list", operation_id = "konpro_list_event_types", tag = "konpro", security(("konpro_key" = [])), responses((status = 200, body = Vec<String>, description = "The event types one may subscribe to"), (status = 401, body = KonproError)))]
pub async fn event_types(
    State(service): State<Service>,
    Caller(_caller): Caller,
) -> Result<Json<Vec<String>>, KonproApiError> {
    let catalog = service.event_types().await?;
    let labels = catalog
        .into_iter()
        .filter(|event_type| !event_type.retired)
        .map(|event_type| event_type.label)
        .collect();
    Ok(Json(labels))
}

/// Konpro's "empty means all" is the main API's `*`.
fn subscription(events: Vec<String>) -> Vec<EventRef> {
    if events.is_empty() {
        return vec![EventRef::Label(ALL_EVENTS.to_owned())];
    }
    events.into_iter().map(EventRef::Label).collect()
}

fn endpoint(view: ProfileWebhook, caller: &Principal) -> KonproEndpoint {
    let webhook = view.webhook;
    let events = if webhook.events.iter().any(|label| label == ALL_EVENTS) {
        Vec::new()
    } else {
        webhook.events
    };
    KonproEndpoint {
        endpoint_id: webhook.id,
        url: webhook.url,
        secret: view.standard_secret,
        status: if webhook.is_active {
            KonproStatus::Enabled
        } else {
            KonproStatus::Disabled
        },
        events,
        username: caller.account_name.clone(),
        created_at: webhook.created_at,
    }
}

/// The authenticated caller: `x-api-key: <key>`.
pub struct Caller(Principal);

impl FromRequestParts<Service> for Caller {
    type Rejection = KonproApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        service: &Service,
    ) -> Result<Self, Self::Rejection> {
        Ok(Self(authenticate(parts, service, "x-api-key", None).await?))
    }
}

/// Every failure: `{"error": {code, message}}` with the code's status.
#[derive(Debug)]
pub struct KonproApiError(AppError);

fn invalid(issue: FieldIssue) -> KonproApiError {
    let path = issue.path();
    let field = if path.is_empty() { "body" } else { &path };
    KonproApiError(AppError::validation(
        field,
        format!("{field}: {}", issue.message),
    ))
}

impl From<AppError> for KonproApiError {
    fn from(error: AppError) -> Self {
        Self(hide_access_denied(error, NOT_FOUND))
    }
}

impl From<ServiceError> for KonproApiError {
    fn from(error: ServiceError) -> Self {
        AppError::from(error).into()
    }
}

impl IntoResponse for KonproApiError {
    fn into_response(self) -> Response {
        let headers = error_headers(&self.0);
        let AppError { code, message, .. } = self.0;
        let status =
            StatusCode::from_u16(code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let body = KonproError {
            error: KonproErrorBody { code, message },
        };
        (status, headers, Json(body)).into_response()
    }
}

async fn not_found() -> KonproApiError {
    KonproApiError(AppError::new(ErrorCode::ResourceNotFound, "No such route"))
}

async fn method_not_allowed() -> (StatusCode, KonproApiError) {
    let error = AppError::new(
        ErrorCode::ValidationError,
        "Method not allowed on this path",
    );
    (StatusCode::METHOD_NOT_ALLOWED, KonproApiError(error))
}
