//! The delivery log and publishing, for the console pages.

use super::{ConsoleError, Surface};
use herald_model::{Dashboard, DeliveryDetail, DeliveryOut, EventAccepted, EventIn, Page};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
#[cfg(feature = "ssr")]
use {super::ssr::caller_on, herald_service::PortalAccess::*};

/// A webhook's deliveries, newest first.
#[server(prefix = "/console/fn", endpoint = "deliveries", input = Json)]
pub async fn list_deliveries(
    #[server(default)] surface: Surface,
    webhook_id: String,
) -> Result<Page<DeliveryOut>, ConsoleError> {
    let (service, caller) = caller_on(surface, Read).await?;
    let query = herald_service::DeliveryQuery::largest_page();
    Ok(service.list_deliveries(&caller, &webhook_id, query).await?)
}

/// One delivery with every attempt.
#[server(prefix = "/console/fn", endpoint = "delivery", input = Json)]
pub async fn get_delivery(
    #[server(default)] surface: Surface,
    id: String,
) -> Result<DeliveryDetail, ConsoleError> {
    let (service, caller) = caller_on(surface, Read).await?;
    Ok(service.get_delivery(&caller, &id).await?)
}

/// Sends a finished delivery again.
#[server(prefix = "/console/fn", endpoint = "retry_delivery", input = Json)]
pub async fn retry_delivery(
    #[server(default)] surface: Surface,
    id: String,
) -> Result<DeliveryOut, ConsoleError> {
    let (service, caller) = caller_on(surface, Write).await?;
    Ok(service.retry_delivery(&caller, &id).await?)
}

/// Publishes an event (the "Send test event" page).
#[server(prefix = "/console/fn", endpoint = "publish_event", input = Json)]
pub async fn publish_event(input: EventIn) -> Result<EventAccepted, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.publish_event(&caller, input).await?)
}

/// The dashboard's numbers: an hour of volume and each webhook's health.
#[server(prefix = "/console/fn", endpoint = "dashboard", input = Json)]
pub async fn dashboard_numbers() -> Result<Dashboard, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.dashboard(&caller).await?)
}
