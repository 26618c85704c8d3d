//! The delivery log and publishing, for the console pages.

use crate::model::{
    AppError, Dashboard, DeliveryDetail, DeliveryOut, EventAccepted, EventIn, Page,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// A webhook's deliveries, newest first.
#[server(prefix = "/console/fn", endpoint = "deliveries", input = Json)]
pub async fn list_deliveries(webhook_id: String) -> Result<Page<DeliveryOut>, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.deliveries(&session, &webhook_id).await
}

/// One delivery with every attempt.
#[server(prefix = "/console/fn", endpoint = "delivery", input = Json)]
pub async fn get_delivery(id: String) -> Result<DeliveryDetail, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.delivery(&session, &id).await
}

/// Sends a finished delivery again.
#[server(prefix = "/console/fn", endpoint = "retry_delivery", input = Json)]
pub async fn retry_delivery(id: String) -> Result<DeliveryOut, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.retry_delivery(&session, &id).await
}

/// Publishes an event (the "Send test event" page).
#[server(prefix = "/console/fn", endpoint = "publish_event", input = Json)]
pub async fn publish_event(input: EventIn) -> Result<EventAccepted, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.publish_event(&session, input).await
}

/// The dashboard's numbers: an hour of volume and each webhook's health.
#[server(prefix = "/console/fn", endpoint = "dashboard", input = Json)]
pub async fn dashboard_numbers() -> Result<Dashboard, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.dashboard(&session).await
}
