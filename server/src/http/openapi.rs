//! `GET /openapi.json`: the OpenAPI 3.1 document, generated from the wire
//! types and the handlers' `#[utoipa::path]` attributes.

use super::{
    deliveries,
    envelope::ErrorEnvelope,
    health, portal_links,
    profiles::{interactly, konpro},
    tenancy, webhooks,
};
use axum::Json;
use herald_model::{
    AccountIn, AccountOut, AccountPatch, ApiKeyCreated, ApiKeyIn, ApiKeyOut, AttemptOut, CompanyIn,
    CompanyOut, DeliveryDetail, DeliveryOut, DeliveryStatus, ErrorCode, EventAccepted, EventIn,
    EventRef, EventType, EventTypeIn, HeaderIn, HeaderOut, HeaderPair, Page, PortalLinkCreated,
    PortalLinkIn, PortalLinkOut, Scope, TestResult, WebhookIn, WebhookOut, WebhookPatch,
    WebhookWithSecret,
    profiles::{
        fastapi::{InteractlyIssue, InteractlyMessage, InteractlyValidationError},
        fields::LocPart,
        interactly::{InteractlyWebhook, InteractlyWebhookCreate, InteractlyWebhookUpdate},
        konpro::{
            KonproEndpoint, KonproEndpointAdd, KonproEndpointUpdate, KonproError, KonproErrorBody,
            KonproStatus,
        },
    },
};
use utoipa::{
    Modify, OpenApi,
    openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme},
};

#[derive(OpenApi)]
#[openapi(
    info(title = "Herald", description = "Self-hosted webhook delivery: the REST API."),
    modifiers(&BearerAuth),
    security(("bearer" = [])),
    paths(
        health::healthz,
        health::readyz,
        webhooks::list,
        webhooks::get,
        webhooks::create,
        webhooks::update,
        webhooks::delete,
        webhooks::reset_circuit,
        webhooks::rotate_secret,
        deliveries::test,
        deliveries::list,
        deliveries::get,
        deliveries::retry,
        deliveries::publish,
        tenancy::list_accounts,
        tenancy::create_account,
        tenancy::update_account,
        tenancy::list_companies,
        tenancy::create_company,
        tenancy::list_api_keys,
        tenancy::create_api_key,
        tenancy::revoke_api_key,
        tenancy::list_event_types,
        tenancy::create_event_type,
        tenancy::retire_event_type,
        portal_links::create,
        portal_links::list,
        portal_links::revoke,
        interactly::list,
        interactly::create,
        interactly::read,
        interactly::update,
        interactly::remove,
        konpro::add,
        konpro::list,
        konpro::update,
        konpro::remove,
        konpro::event_types,
    ),
    components(schemas(
        AccountIn, AccountOut, AccountPatch, PortalLinkIn, PortalLinkCreated, PortalLinkOut, Page<PortalLinkOut>, ApiKeyCreated, ApiKeyIn, ApiKeyOut, CompanyIn, CompanyOut, ErrorCode,
        ErrorEnvelope, EventRef, EventType, EventTypeIn, HeaderIn, HeaderOut, Page<WebhookOut>, Scope,
        WebhookIn, WebhookOut, WebhookPatch, WebhookWithSecret, EventIn, EventAccepted, DeliveryOut,
        DeliveryDetail, AttemptOut, DeliveryStatus, HeaderPair, TestResult,
        InteractlyWebhook, InteractlyWebhookCreate, InteractlyWebhookUpdate, InteractlyIssue,
        InteractlyMessage, InteractlyValidationError, LocPart, KonproEndpoint, KonproEndpointAdd,
        KonproEndpointUpdate, KonproError, KonproErrorBody, KonproStatus,
    )),
    tags(
        (name = "interactly", description = "The Interactly workflow-webhook API (compatibility profile)"),
        (name = "konpro", description = "The Konpro webhook-endpoint API (compatibility profile)"),
    )
)]
pub struct ApiDoc;

struct BearerAuth;

impl Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .bearer_format("sk_...")
            .build();
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(scheme));
        let konpro = ApiKey::Header(ApiKeyValue::new("x-api-key"));
        components.add_security_scheme("konpro_key", SecurityScheme::ApiKey(konpro));
    }
}

/// The document itself (public, like the health checks).
pub async fn document() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
