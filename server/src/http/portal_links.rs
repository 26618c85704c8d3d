//! `/portal-links` (SPEC §8): extraction and mapping only.

use super::envelope::{Envelope, ErrorEnvelope, success};
use super::{ApiError, ApiJson, Caller, ListParams, path::PathId};
use axum::{Json, extract::State, http::StatusCode, response::IntoResponse};
use herald_model::{Page, PortalLinkCreated, PortalLinkIn, PortalLinkOut};
use herald_service::Service;

#[utoipa::path(post, path = "/portal-links", tag = "portal-links", request_body = PortalLinkIn, responses((status = 201, body = Envelope<PortalLinkCreated>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
/// A link that opens the customer portal for one company; its URL is shown this once.
pub async fn create(
    State(service): State<Service>,
    Caller(caller): Caller,
    ApiJson(input): ApiJson<PortalLinkIn>,
) -> Result<(StatusCode, Json<Envelope<PortalLinkCreated>>), ApiError> {
    let created = service.create_portal_link(&caller, input).await?;
    Ok((StatusCode::CREATED, success(created)))
}

#[utoipa::path(get, path = "/portal-links", tag = "portal-links", params(herald_service::ListQuery), responses((status = 200, body = Envelope<Page<PortalLinkOut>>), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
/// The links that have neither expired nor been revoked (no tokens).
pub async fn list(
    State(service): State<Service>,
    Caller(caller): Caller,
    ListParams(query): ListParams,
) -> Result<Json<Envelope<Page<PortalLinkOut>>>, ApiError> {
    Ok(success(service.list_portal_links(&caller, query).await?))
}

#[utoipa::path(delete, path = "/portal-links/{id}", tag = "portal-links", params(("id" = String, Path)), responses((status = 204, description = "Revoked: its sessions end at once"), (status = 400, body = ErrorEnvelope), (status = 401, body = ErrorEnvelope), (status = 403, body = ErrorEnvelope), (status = 404, body = ErrorEnvelope)))]
/// Revokes a link and ends the portal sessions opened from it.
pub async fn revoke(
    State(service): State<Service>,
    Caller(caller): Caller,
    PathId(id): PathId,
) -> Result<impl IntoResponse, ApiError> {
    service.revoke_portal_link(&caller, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}
