//! Account administration for the console: accounts and the account
//! switcher, companies, API keys, and the event-type catalog.

use crate::model::{
    AccountIn, AccountOut, ApiKeyCreated, ApiKeyIn, ApiKeyOut, AppError, CompanyIn, CompanyOut,
    ConsoleUser, EventType, EventTypeIn,
};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Every account (`admin`).
#[server(prefix = "/console/fn", endpoint = "accounts", input = Json)]
pub async fn list_accounts() -> Result<Vec<AccountOut>, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.accounts(&session).await
}

/// A new account (`admin`).
/// Form-encoded, not JSON: the page's form posts here as it is while the
/// WebAssembly is absent.
#[server(prefix = "/console/fn", endpoint = "add_account")]
pub async fn add_account(input: AccountIn) -> Result<AccountOut, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.add_account(&session, input).await
}

/// Acts in another account from now on (`admin`); `None` goes back home.
#[server(prefix = "/console/fn", endpoint = "switch_account", input = Json)]
pub async fn switch_account(account_id: Option<String>) -> Result<ConsoleUser, AppError> {
    let (backend, session) = super::ssr::session()?;
    let user = backend.switch_account(&session, account_id.clone()).await?;
    super::ssr::set_account_cookie(account_id.as_deref(), backend.secure_cookies());
    Ok(user)
}

/// A new company (`manage:account`).
/// Form-encoded, not JSON: the page's form posts here as it is while the
/// WebAssembly is absent.
#[server(prefix = "/console/fn", endpoint = "add_company")]
pub async fn add_company(input: CompanyIn) -> Result<CompanyOut, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.add_company(&session, input).await
}

/// The account's API keys (`manage:account`).
#[server(prefix = "/console/fn", endpoint = "api_keys", input = Json)]
pub async fn list_api_keys() -> Result<Vec<ApiKeyOut>, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.api_keys(&session).await
}

/// A new API key, shown this once (`manage:account`).
#[server(prefix = "/console/fn", endpoint = "create_api_key", input = Json)]
pub async fn create_api_key(input: ApiKeyIn) -> Result<ApiKeyCreated, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.create_api_key(&session, input).await
}

/// Revokes a key at once (`manage:account`).
#[server(prefix = "/console/fn", endpoint = "revoke_api_key", input = Json)]
pub async fn revoke_api_key(id: String) -> Result<(), AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.revoke_api_key(&session, &id).await
}

/// Adds a type to the catalog (`admin`).
/// Form-encoded, not JSON: the page's form posts here as it is while the
/// WebAssembly is absent.
#[server(prefix = "/console/fn", endpoint = "add_event_type")]
pub async fn add_event_type(input: EventTypeIn) -> Result<EventType, AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.add_event_type(&session, input).await
}

/// Retires a type of the catalog (`admin`).
#[server(prefix = "/console/fn", endpoint = "retire_event_type", input = Json)]
pub async fn retire_event_type(id: i64) -> Result<(), AppError> {
    let (backend, session) = super::ssr::session()?;
    backend.retire_event_type(&session, id).await
}
