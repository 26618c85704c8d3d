//! Webhook operations for the console pages.

use crate::model::{
    AppError, CompanyOut, ConsoleWebhook, EventType, Page, TestResult, WebhookIn, WebhookOut,
    WebhookPatch, WebhookWithSecret,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The event-type catalog.
#[server(prefix = "/console/fn", endpoint = "event_types", input = Json)]
pub async fn event_types() -> Result<Vec<EventType>, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.event_types(&session).await
}

/// The companies the signed-in key may choose from.
#[server(prefix = "/console/fn", endpoint = "companies", input = Json)]
pub async fn companies() -> Result<Vec<CompanyOut>, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.companies(&session).await
}

/// The webhooks, optionally of one company only.
#[server(prefix = "/console/fn", endpoint = "webhooks", input = Json)]
pub async fn list_webhooks(company_id: Option<String>) -> Result<Page<WebhookOut>, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.webhooks(&session, company_id).await
}

/// One webhook, with its Interactly id.
#[server(prefix = "/console/fn", endpoint = "webhook", input = Json)]
pub async fn get_webhook(id: String) -> Result<ConsoleWebhook, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.webhook(&session, &id).await
}

/// Creates a webhook; the answer carries its secret, this once.
#[server(prefix = "/console/fn", endpoint = "create_webhook", input = Json)]
pub async fn create_webhook(input: WebhookIn) -> Result<WebhookWithSecret, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.create_webhook(&session, input).await
}

/// Saves the fields present in `patch`.
#[server(prefix = "/console/fn", endpoint = "update_webhook", input = Json)]
pub async fn update_webhook(id: String, patch: WebhookPatch) -> Result<WebhookOut, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.update_webhook(&session, &id, patch).await
}

/// Deletes a webhook.
#[server(prefix = "/console/fn", endpoint = "delete_webhook", input = Json)]
pub async fn delete_webhook(id: String) -> Result<(), AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.delete_webhook(&session, &id).await
}

/// Sends a test ping.
#[server(prefix = "/console/fn", endpoint = "test_webhook", input = Json)]
pub async fn test_webhook(id: String) -> Result<TestResult, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.test_webhook(&session, &id).await
}

/// Closes an open circuit.
#[server(prefix = "/console/fn", endpoint = "reset_circuit", input = Json)]
pub async fn reset_circuit(id: String) -> Result<WebhookOut, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.reset_circuit(&session, &id).await
}

/// A new signing secret, shown once.
#[server(prefix = "/console/fn", endpoint = "rotate_secret", input = Json)]
pub async fn rotate_secret(id: String) -> Result<WebhookWithSecret, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.rotate_secret(&session, &id).await
}
