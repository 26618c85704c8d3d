use super::ConsoleError;
use herald_model::ConsoleUser;
use leptos::prelude::*;

/// Opens a console session for a valid API key and sets the session cookie.
#[server(prefix = "/console/fn", endpoint = "sign_in")]
pub async fn sign_in(api_key: String) -> Result<ConsoleUser, ConsoleError> {
    use super::ssr;
    let api_key = herald_model::validate::ApiKeyInput::parse(&api_key)?;
    let service = ssr::service()?;
    let (session_token, principal) = service.start_session(&api_key).await?;
    ssr::set_session_cookie(&session_token, service.secure_cookies());
    ssr::set_account_cookie(None, service.secure_cookies());
    Ok(principal.console_user())
}

/// The signed-in user, or `Unauthorized` when the session is missing or over.
#[server(prefix = "/console/fn", endpoint = "current_user")]
pub async fn current_user() -> Result<ConsoleUser, ConsoleError> {
    let (_, caller) = super::ssr::caller().await?;
    Ok(caller.console_user())
}

/// Ends the session server-side and clears the cookie.
#[server(prefix = "/console/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), ConsoleError> {
    use super::ssr;
    let service = ssr::service()?;
    if let Some(token) = ssr::session_token() {
        service.end_session(&token).await?;
    }
    ssr::clear_session_cookie(service.secure_cookies());
    Ok(())
}
