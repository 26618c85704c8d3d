//! Server-side plumbing shared by the server functions: the backend from
//! context and the session cookie. (The server gives each error response
//! the HTTP status of its code, in one layer.)

use crate::{
    backend::SharedBackend,
    model::{AppError, ErrorCode},
};
use http::{HeaderValue, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// The console session cookie: a random token, HttpOnly, SameSite=Strict.
pub const SESSION_COOKIE: &str = "herald_session";

pub fn backend() -> Result<SharedBackend, AppError> {
    use_context::<SharedBackend>().ok_or_else(AppError::internal)
}

/// The backend and the request's session token, or `Unauthorized`.
pub fn session() -> Result<(SharedBackend, String), AppError> {
    let token = session_token().ok_or_else(signed_out)?;
    Ok((backend()?, token))
}

pub fn signed_out() -> AppError {
    AppError::new(
        ErrorCode::Unauthorized,
        "You are signed out. Sign in again.",
    )
}

/// The session token from the request's cookie, if any.
pub fn session_token() -> Option<String> {
    session_token_from_headers(&use_context::<http::request::Parts>()?.headers)
}

/// The session token in a `Cookie` header, for server code outside Leptos too.
pub fn session_token_from_headers(headers: &http::HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// A browser-session cookie: the server's sliding 12 h expiry governs how
/// long it is honoured, so the cookie itself carries no Max-Age.
pub fn set_session_cookie(token: &str, secure: bool) {
    append_cookie(format!("{SESSION_COOKIE}={token}"), secure);
}

pub fn clear_session_cookie(secure: bool) {
    append_cookie(format!("{SESSION_COOKIE}=; Max-Age=0"), secure);
}

fn append_cookie(cookie: String, secure: bool) {
    let secure = if secure { "; Secure" } else { "" };
    let cookie = format!("{cookie}; Path=/; HttpOnly; SameSite=Strict{secure}");
    let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) else {
        return;
    };
    response.append_header(header::SET_COOKIE, value);
}
