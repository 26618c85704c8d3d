//! Webhook operations for the pages the console and the portal share. Each
//! takes the caller from the `surface`'s own session (see `Surface`).

use super::{ConsoleError, Surface};
use herald_model::{
    CompanyOut, ConsoleWebhook, EventType, Page, TestResult, WebhookIn, WebhookOut, WebhookPatch,
    WebhookWithSecret,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
#[cfg(feature = "ssr")]
use {super::ssr::caller_on, herald_service::PortalAccess::*};

/// The event-type catalog.
#[server(prefix = "/console/fn", endpoint = "event_types", input = Json)]
pub async fn event_types(
    #[server(default)] surface: Surface,
) -> Result<Vec<EventType>, ConsoleError> {
    let (service, _) = caller_on(surface, Read).await?;
    Ok(service.event_types().await?)
}

/// The companies the signed-in key may choose from.
#[server(prefix = "/console/fn", endpoint = "companies", input = Json)]
pub async fn companies(
    #[server(default)] surface: Surface,
) -> Result<Vec<CompanyOut>, ConsoleError> {
    let (service, caller) = caller_on(surface, Read).await?;
    Ok(service.company_choices(&caller).await?)
}

/// The webhooks, optionally of one company only.
#[server(prefix = "/console/fn", endpoint = "webhooks", input = Json)]
pub async fn list_webhooks(
    #[server(default)] surface: Surface,
    company_id: Option<String>,
) -> Result<Page<WebhookOut>, ConsoleError> {
    let (service, caller) = caller_on(surface, Read).await?;
    let query = herald_service::ListQuery {
        company_id,
        ..herald_service::ListQuery::largest_page()
    };
    let page = service.list_webhooks(&caller, query).await?;
    Ok(std::sync::Arc::unwrap_or_clone(page))
}

/// One webhook, with its Interactly id.
#[server(prefix = "/console/fn", endpoint = "webhook", input = Json)]
pub async fn get_webhook(
    #[server(default)] surface: Surface,
    id: String,
) -> Result<ConsoleWebhook, ConsoleError> {
    let (service, caller) = caller_on(surface, Read).await?;
    Ok(service.console_webhook(&caller, &id).await?)
}

/// Creates a webhook; the answer carries its secret, this once.
#[server(prefix = "/console/fn", endpoint = "create_webhook", input = Json)]
pub async fn create_webhook(
    #[server(default)] surface: Surface,
    input: WebhookIn,
) -> Result<WebhookWithSecret, ConsoleError> {
    let (service, caller) = caller_on(surface, Write).await?;
    Ok(service.create_webhook(&caller, input).await?)
}

/// Saves the fields present in `patch`.
#[server(prefix = "/console/fn", endpoint = "update_webhook", input = Json)]
pub async fn update_webhook(
    #[server(default)] surface: Surface,
    id: String,
    patch: WebhookPatch,
) -> Result<WebhookOut, ConsoleError> {
    let (service, caller) = caller_on(surface, Write).await?;
    Ok(service.update_webhook(&caller, &id, patch).await?)
}

/// Deletes a webhook.
#[server(prefix = "/console/fn", endpoint = "delete_webhook", input = Json)]
pub async fn delete_webhook(
    #[server(default)] surface: Surface,
    id: String,
) -> Result<(), ConsoleError> {
    let (service, caller) = caller_on(surface, Write).await?;
    Ok(service.delete_webhook(&caller, &id).await?)
}

/// Sends a test ping.
#[server(prefix = "/console/fn", endpoint = "test_webhook", input = Json)]
pub async fn test_webhook(
    #[server(default)] surface: Surface,
    id: String,
) -> Result<TestResult, ConsoleError> {
    let (service, caller) = caller_on(surface, Write).await?;
    Ok(service.test_webhook(&caller, &id).await?)
}

/// Closes an open circuit.
#[server(prefix = "/console/fn", endpoint = "reset_circuit", input = Json)]
pub async fn reset_circuit(
    #[server(default)] surface: Surface,
    id: String,
) -> Result<WebhookOut, ConsoleError> {
    let (service, caller) = caller_on(surface, Write).await?;
    Ok(service.reset_circuit(&caller, &id).await?)
}

/// A new signing secret, shown once.
#[server(prefix = "/console/fn", endpoint = "rotate_secret", input = Json)]
pub async fn rotate_secret(
    #[server(default)] surface: Surface,
    id: String,
) -> Result<WebhookWithSecret, ConsoleError> {
    let (service, caller) = caller_on(surface, Write).await?;
    Ok(service.rotate_secret(&caller, &id).await?)
}
