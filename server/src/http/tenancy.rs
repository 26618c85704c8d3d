//! `/accounts`, `/companies`, `/api-keys` and `/event-types`: extraction and mapping only.

use super::envelope::{Envelope, ErrorEnvelope, success};
use super::{ApiError, ApiJson, Caller, ListParams, path::PathId};
use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use herald_model::{
    AccountIn, AccountOut, AccountPatch, ApiKeyCreated, ApiKeyIn, ApiKeyOut, CompanyIn, CompanyOut,
    EventType, EventTypeIn, Page,
};
use herald_service::Service;
type Answer<T> = Result<Json<Envelope<T>>, ApiError>;
type Created<T> = Result<(StatusCode, Json<Envelope<T>>), ApiError>;

#[utoipa::path(get, path = "/accounts", tag = "accounts", params(herald_service::ListQuery), responses((status = 200, body = Envelope<Page<AccountOut>>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_accounts(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Answer<Page<AccountOut>> {
    Ok(success(service.list_accounts(&caller, query).await?))
}

#[utoipa::path(post, path = "/accounts", tag = "accounts", request_body = AccountIn, responses((status = 201, body = Envelope<AccountOut>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_account(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<AccountIn>,
) -> Created<AccountOut> {
    Ok((
        StatusCode::CREATED,
        success(service.add_account(&caller, input).await?),
    ))
}

#[utoipa::path(patch, path = "/accounts/{id}", tag = "accounts", params(("id" = String, Path)), request_body = AccountPatch, responses((status = 200, body = Envelope<AccountOut>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
/// How the customer portal shows the account: its display name and accent colour.
pub async fn update_account(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
    ApiJson(patch): ApiJson<AccountPatch>,
) -> Answer<AccountOut> {
    Ok(success(service.update_account(&caller, &id, patch).await?))
}

#[utoipa::path(get, path = "/companies", tag = "companies", params(herald_service::ListQuery), responses((status = 200, body = Envelope<Page<CompanyOut>>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_companies(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Answer<Page<CompanyOut>> {
    Ok(success(service.list_companies(&caller, query).await?))
}

#[utoipa::path(post, path = "/companies", tag = "companies", request_body = CompanyIn, responses((status = 201, body = Envelope<CompanyOut>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn create_company(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<CompanyIn>,
) -> Created<CompanyOut> {
    Ok((
        StatusCode::CREATED,
        success(service.add_company(&caller, input).await?),
    ))
}

#[utoipa::path(get, path = "/api-keys", tag = "api-keys", params(herald_service::ListQuery), responses((status = 200, body = Envelope<Page<ApiKeyOut>>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn list_api_keys(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Answer<Page<ApiKeyOut>> {
    Ok(success(service.list_api_keys(&caller, query).await?))
}

#[utoipa::path(post, path = "/api-keys", tag = "api-keys", request_body = ApiKeyIn, responses((status = 201, body = Envelope<ApiKeyCreated>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn create_api_key(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ApiKeyIn>,
) -> Created<ApiKeyCreated> {
    Ok((
        StatusCode::CREATED,
        success(service.issue_api_key(&caller, input).await?),
    ))
}

#[utoipa::path(delete, path = "/api-keys/{id}", tag = "api-keys", params(("id" = String, Path)), responses((status = 204, description = "Revoked"), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn revoke_api_key(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Result<impl IntoResponse, ApiError> {
    service.revoke_api_key_for(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/event-types", tag = "event-types", responses((status = 200, body = Envelope<Page<EventType>>), (status = 401, body = ErrorEnvelope)))]
/// The catalog is readable by any valid key: clients need it to subscribe.
pub async fn list_event_types(
    State(service): State<Service>,
    Caller(_caller): Caller,
) -> Answer<Page<EventType>> {
    let data = service.event_types().await?;
    let total = data.len() as u64;
    Ok(success(Page { data, total }))
}

#[utoipa::path(post, path = "/event-types", tag = "event-types", request_body = EventTypeIn, responses((status = 201, body = Envelope<EventType>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope), (status = 409, body = ErrorEnvelope)))]
pub async fn create_event_type(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<EventTypeIn>,
) -> Created<EventType> {
    Ok((
        StatusCode::CREATED,
        success(service.add_event_type(&caller, input).await?),
    ))
}

#[utoipa::path(delete, path = "/event-types/{id}", tag = "event-types", params(("id" = String, Path)), responses((status = 204, description = "Retired"), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
pub async fn retire_event_type(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Result<impl IntoResponse, ApiError> {
    service.retire_event_type(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
