//! The console's side of the customer portal: the links that open it, and
//! the account's name and colour it shows.

use super::ConsoleError;
use herald_model::{AccountOut, AccountPatch, PortalLinkCreated, PortalLinkIn, PortalLinkOut};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The account's live portal links (never their tokens).
#[server(prefix = "/console/fn", endpoint = "portal_links", input = Json)]
pub async fn list_portal_links() -> Result<Vec<PortalLinkOut>, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    let query = herald_service::ListQuery::largest_page();
    Ok(service.list_portal_links(&caller, query).await?.data)
}

/// A new link for one company; its URL is in the answer only.
#[server(prefix = "/console/fn", endpoint = "create_portal_link", input = Json)]
pub async fn create_portal_link(input: PortalLinkIn) -> Result<PortalLinkCreated, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.create_portal_link(&caller, input).await?)
}

/// Ends a link and every portal session opened from it.
#[server(prefix = "/console/fn", endpoint = "revoke_portal_link", input = Json)]
pub async fn revoke_portal_link(id: String) -> Result<(), ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.revoke_portal_link(&caller, &id).await?)
}

/// The signed-in account, with what the portal shows of it.
#[server(prefix = "/console/fn", endpoint = "branding", input = Json)]
pub async fn branding() -> Result<AccountOut, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service
        .managed_account_out(&caller, &caller.account_id)
        .await?)
}

/// Sets the name and colour the portal shows for the signed-in account.
#[server(prefix = "/console/fn", endpoint = "update_branding", input = Json)]
pub async fn update_branding(patch: AccountPatch) -> Result<AccountOut, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service
        .update_account(&caller, &caller.account_id, patch)
        .await?)
}
