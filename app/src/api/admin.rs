//! Account administration for the console: accounts and the account
//! switcher, companies, API keys, and the event-type catalog.

use super::ConsoleError;
use herald_model::{
    AccountIn, AccountOut, ApiKeyCreated, ApiKeyIn, ApiKeyOut, CompanyIn, CompanyOut, ConsoleUser,
    EventType, EventTypeIn,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Every account (`admin`).
#[server(prefix = "/console/fn", endpoint = "accounts", input = Json)]
pub async fn list_accounts() -> Result<Vec<AccountOut>, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    let accounts = service.list_accounts(&caller, herald_service::ListQuery::largest_page());
    Ok(accounts.await?.data)
}

/// A new account (`admin`).
/// Form-encoded, not JSON: the page's form posts here as it is while the
/// WebAssembly is absent.
#[server(prefix = "/console/fn", endpoint = "add_account")]
pub async fn add_account(input: AccountIn) -> Result<AccountOut, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.add_account(&caller, input).await?)
}

/// Acts in another account from now on (`admin`); `None` goes back home.
#[server(prefix = "/console/fn", endpoint = "switch_account", input = Json)]
pub async fn switch_account(account_id: Option<String>) -> Result<ConsoleUser, ConsoleError> {
    let (service, session) = super::ssr::session()?;
    let acting = service
        .switch_account(&session, account_id.as_deref())
        .await?;
    super::ssr::set_account_cookie(account_id.as_deref(), service.secure_cookies());
    Ok(acting.console_user())
}

/// A new company (`manage:account`).
/// Form-encoded, not JSON: the page's form posts here as it is while the
/// WebAssembly is absent.
#[server(prefix = "/console/fn", endpoint = "add_company")]
pub async fn add_company(input: CompanyIn) -> Result<CompanyOut, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.add_company(&caller, input).await?)
}

/// The account's API keys (`manage:account`).
#[server(prefix = "/console/fn", endpoint = "api_keys", input = Json)]
pub async fn list_api_keys() -> Result<Vec<ApiKeyOut>, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    let keys = service.list_api_keys(&caller, herald_service::ListQuery::largest_page());
    Ok(keys.await?.data)
}

/// A new API key, shown this once (`manage:account`).
#[server(prefix = "/console/fn", endpoint = "create_api_key", input = Json)]
pub async fn create_api_key(input: ApiKeyIn) -> Result<ApiKeyCreated, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.issue_api_key(&caller, input).await?)
}

/// Revokes a key at once (`manage:account`).
#[server(prefix = "/console/fn", endpoint = "revoke_api_key", input = Json)]
pub async fn revoke_api_key(id: String) -> Result<(), ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.revoke_api_key_for(&caller, &id).await?)
}

/// Adds a type to the catalog (`admin`).
/// Form-encoded, not JSON: the page's form posts here as it is while the
/// WebAssembly is absent.
#[server(prefix = "/console/fn", endpoint = "add_event_type")]
pub async fn add_event_type(input: EventTypeIn) -> Result<EventType, ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.add_event_type(&caller, input).await?)
}

/// Retires a type of the catalog (`admin`).
#[server(prefix = "/console/fn", endpoint = "retire_event_type", input = Json)]
pub async fn retire_event_type(id: i64) -> Result<(), ConsoleError> {
    let (service, caller) = super::ssr::caller().await?;
    Ok(service.retire_event_type(&caller, &id.to_string()).await?)
}
