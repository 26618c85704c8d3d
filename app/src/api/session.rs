use crate::model::{AppError, ConsoleUser};
use leptos::prelude::*;

/// Opens a console session for a valid API key and sets the session cookie.
#[server(prefix = "/console/fn", endpoint = "sign_in")]
pub async fn sign_in(api_key: String) -> Result<ConsoleUser, AppError> {
    use super::ssr;
    let api_key = crate::validate::ApiKeyInput::parse(&api_key)?;
    let backend = ssr::backend()?;
    let signed_in = backend.sign_in(api_key).await?;
    ssr::set_session_cookie(&signed_in.session_token, backend.secure_cookies());
    ssr::set_account_cookie(None, backend.secure_cookies());
    Ok(signed_in.user)
}

/// The signed-in user, or `Unauthorized` when the session is missing or over.
#[server(prefix = "/console/fn", endpoint = "current_user")]
pub async fn current_user() -> Result<ConsoleUser, AppError> {
    use super::ssr;
    let (backend, session) = ssr::session()?;
    backend.session_user(&session).await
}

/// Ends the session server-side and clears the cookie.
#[server(prefix = "/console/fn", endpoint = "sign_out")]
pub async fn sign_out() -> Result<(), AppError> {
    use super::ssr;
    let backend = ssr::backend()?;
    if let Some(token) = ssr::session_token() {
        backend.sign_out(&token).await?;
    }
    ssr::clear_session_cookie(backend.secure_cookies());
    Ok(())
}
