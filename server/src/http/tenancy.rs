//! `/accounts`, `/companies`, `/api-keys` and `/event-types`: extraction and mapping only.

use super::{ApiError, ApiJson, Caller, ListParams, envelope::success};
use crate::service::Service;
use app::model::{AccountIn, ApiKeyIn, CompanyIn, EventTypeIn};
use axum::{
    Json,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
};
use serde_json::Value;

type Answer = Result<Json<Value>, ApiError>;
type Created = Result<(StatusCode, Json<Value>), ApiError>;

pub async fn list_accounts(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Answer {
    Ok(success(service.list_accounts(&caller, query).await?))
}

pub async fn create_account(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<AccountIn>,
) -> Created {
    Ok((
        StatusCode::CREATED,
        success(service.add_account(&caller, input).await?),
    ))
}

pub async fn list_companies(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Answer {
    Ok(success(service.list_companies(&caller, query).await?))
}

pub async fn create_company(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<CompanyIn>,
) -> Created {
    Ok((
        StatusCode::CREATED,
        success(service.add_company(&caller, input).await?),
    ))
}

pub async fn list_api_keys(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Answer {
    Ok(success(service.list_api_keys(&caller, query).await?))
}

pub async fn create_api_key(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<ApiKeyIn>,
) -> Created {
    Ok((
        StatusCode::CREATED,
        success(service.issue_api_key(&caller, input).await?),
    ))
}

pub async fn revoke_api_key(
    State(service): State<Service>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    service.revoke_api_key_for(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The catalog is readable by any valid key: clients need it to subscribe.
pub async fn list_event_types(State(service): State<Service>, Caller(_caller): Caller) -> Answer {
    let types = service.event_types().await?;
    let total = types.len();
    Ok(success(
        serde_json::json!({ "data": types, "total": total }),
    ))
}

pub async fn create_event_type(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<EventTypeIn>,
) -> Created {
    Ok((
        StatusCode::CREATED,
        success(service.add_event_type(&caller, input).await?),
    ))
}

pub async fn retire_event_type(
    State(service): State<Service>,
    Caller(caller): Caller,
    Path(id): Path<String>,
) -> Result<impl IntoResponse, ApiError> {
    service.retire_event_type(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
