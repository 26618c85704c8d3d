//! The customer portal's server functions, served under `/portal/fn/`. Each
//! takes the portal session's caller (never a console session or an API
//! key), which the service binds to the link's company and rights, and calls
//! the same service method as the console.

use super::ConsoleError;
use herald_model::{
    CompanyOut, ConsoleWebhook, DeliveryDetail, DeliveryOut, EventType, Page, PortalView,
    TestResult, WebhookIn, WebhookOut, WebhookPatch, WebhookWithSecret,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
#[cfg(feature = "ssr")]
use {super::ssr::portal_caller, herald_service::PortalAccess::*};

/// Who the session acts for, as the portal's header shows it.
#[server(prefix = "/portal/fn", endpoint = "view", input = Json)]
pub async fn portal_session_view() -> Result<PortalView, ConsoleError> {
    let (service, token) = super::ssr::portal_session()?;
    Ok(service.portal_view(&token).await?)
}

/// The event-type catalog, with descriptions and example payloads.
#[server(prefix = "/portal/fn", endpoint = "event_types", input = Json)]
pub async fn portal_event_types() -> Result<Vec<EventType>, ConsoleError> {
    let (service, _) = portal_caller(Read).await?;
    Ok(service.event_types().await?)
}

/// The link's company: the only one its webhooks may belong to.
#[server(prefix = "/portal/fn", endpoint = "companies", input = Json)]
pub async fn portal_companies() -> Result<Vec<CompanyOut>, ConsoleError> {
    let (service, caller) = portal_caller(Read).await?;
    Ok(vec![service.own_company(&caller).await?])
}

/// The company's webhooks (global and other companies' never).
#[server(prefix = "/portal/fn", endpoint = "webhooks", input = Json)]
pub async fn portal_list_webhooks() -> Result<Page<WebhookOut>, ConsoleError> {
    let (service, caller) = portal_caller(Read).await?;
    let page = service
        .list_webhooks(&caller, herald_service::ListQuery::largest_page())
        .await?;
    Ok(std::sync::Arc::unwrap_or_clone(page))
}

#[server(prefix = "/portal/fn", endpoint = "webhook", input = Json)]
pub async fn portal_get_webhook(id: String) -> Result<ConsoleWebhook, ConsoleError> {
    let (service, caller) = portal_caller(Read).await?;
    Ok(service.console_webhook(&caller, &id).await?)
}

#[server(prefix = "/portal/fn", endpoint = "create_webhook", input = Json)]
pub async fn portal_create_webhook(input: WebhookIn) -> Result<WebhookWithSecret, ConsoleError> {
    let (service, caller) = portal_caller(Write).await?;
    Ok(service.create_webhook(&caller, input).await?)
}

#[server(prefix = "/portal/fn", endpoint = "update_webhook", input = Json)]
pub async fn portal_update_webhook(
    id: String,
    patch: WebhookPatch,
) -> Result<WebhookOut, ConsoleError> {
    let (service, caller) = portal_caller(Write).await?;
    Ok(service.update_webhook(&caller, &id, patch).await?)
}

#[server(prefix = "/portal/fn", endpoint = "delete_webhook", input = Json)]
pub async fn portal_delete_webhook(id: String) -> Result<(), ConsoleError> {
    let (service, caller) = portal_caller(Write).await?;
    Ok(service.delete_webhook(&caller, &id).await?)
}

#[server(prefix = "/portal/fn", endpoint = "test_webhook", input = Json)]
pub async fn portal_test_webhook(id: String) -> Result<TestResult, ConsoleError> {
    let (service, caller) = portal_caller(Write).await?;
    Ok(service.test_webhook(&caller, &id).await?)
}

#[server(prefix = "/portal/fn", endpoint = "reset_circuit", input = Json)]
pub async fn portal_reset_circuit(id: String) -> Result<WebhookOut, ConsoleError> {
    let (service, caller) = portal_caller(Write).await?;
    Ok(service.reset_circuit(&caller, &id).await?)
}

#[server(prefix = "/portal/fn", endpoint = "rotate_secret", input = Json)]
pub async fn portal_rotate_secret(id: String) -> Result<WebhookWithSecret, ConsoleError> {
    let (service, caller) = portal_caller(Write).await?;
    Ok(service.rotate_secret(&caller, &id).await?)
}

#[server(prefix = "/portal/fn", endpoint = "deliveries", input = Json)]
pub async fn portal_list_deliveries(webhook_id: String) -> Result<Page<DeliveryOut>, ConsoleError> {
    let (service, caller) = portal_caller(Read).await?;
    let query = herald_service::DeliveryQuery::largest_page();
    Ok(service.list_deliveries(&caller, &webhook_id, query).await?)
}

#[server(prefix = "/portal/fn", endpoint = "delivery", input = Json)]
pub async fn portal_get_delivery(id: String) -> Result<DeliveryDetail, ConsoleError> {
    let (service, caller) = portal_caller(Read).await?;
    Ok(service.get_delivery(&caller, &id).await?)
}

#[server(prefix = "/portal/fn", endpoint = "retry_delivery", input = Json)]
pub async fn portal_retry_delivery(id: String) -> Result<DeliveryOut, ConsoleError> {
    let (service, caller) = portal_caller(Write).await?;
    Ok(service.retry_delivery(&caller, &id).await?)
}
