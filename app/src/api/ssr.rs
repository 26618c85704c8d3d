//! Server-side plumbing shared by the server functions: the service from
//! context, the caller the session cookie names, and the cookies. (The
//! server gives each error response the HTTP status of its code, in one
//! layer.)

use super::ConsoleError;
use herald_model::{AppError, ErrorCode};
use herald_service::{ConsoleSession, Principal, Service};
use http::{HeaderValue, header};
use leptos::prelude::*;
use leptos_axum::ResponseOptions;

/// The console session cookie: a random token, HttpOnly, SameSite=Strict.
const SESSION_COOKIE: &str = "herald_session";
/// The account an `admin` key chose in the switcher (checked on every use).
pub const ACCOUNT_COOKIE: &str = "herald_account";
/// Over https the cookies are named with this prefix, which browsers accept
/// only from a Secure, host-only, `Path=/` cookie: no subdomain and no
/// plain-http page can plant one.
const SECURE_PREFIX: &str = "__Host-";

/// A cookie's name as this installation sends and reads it.
fn cookie_name(name: &str, secure: bool) -> String {
    if secure {
        format!("{SECURE_PREFIX}{name}")
    } else {
        name.to_owned()
    }
}

/// The service the server provides to every server function.
pub fn service() -> Result<Service, ConsoleError> {
    use_context::<Service>().ok_or_else(|| AppError::internal().into())
}

/// The service and the request's session, or `Unauthorized`.
pub fn session() -> Result<(Service, ConsoleSession), ConsoleError> {
    let service = service()?;
    let token = session_token().ok_or_else(signed_out)?;
    let account_cookie = cookie_name(ACCOUNT_COOKIE, service.secure_cookies());
    let account_id = use_context::<http::request::Parts>()
        .and_then(|parts| cookie(&parts.headers, &account_cookie));
    Ok((service, ConsoleSession { token, account_id }))
}

/// The service and the principal the request's session acts as, in the
/// account the switcher chose: the service checks every scope on it.
pub async fn caller() -> Result<(Service, Principal), ConsoleError> {
    let (service, session) = session()?;
    let caller = service.console_caller(&session).await?;
    Ok((service, caller))
}

fn signed_out() -> ConsoleError {
    AppError::new(
        ErrorCode::Unauthorized,
        "You are signed out. Sign in again.",
    )
    .into()
}

/// The session token from the request's cookie, if any.
pub fn session_token() -> Option<String> {
    let secure = service().ok()?.secure_cookies();
    session_token_from_headers(&use_context::<http::request::Parts>()?.headers, secure)
}

/// The session token in a `Cookie` header, for server code outside Leptos
/// too; `secure` as the installation sends its cookies.
pub fn session_token_from_headers(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    cookie(headers, &cookie_name(SESSION_COOKIE, secure))
}

fn cookie(headers: &http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|cookies| cookies.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(found, _)| *found == name)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

/// A browser-session cookie: the server's sliding 12 h expiry governs how
/// long it is honoured, so the cookie itself carries no Max-Age.
pub fn set_session_cookie(token: &str, secure: bool) {
    append_cookie(SESSION_COOKIE, token, secure);
}

pub fn clear_session_cookie(secure: bool) {
    append_cookie(SESSION_COOKIE, "; Max-Age=0", secure);
    set_account_cookie(None, secure);
}

/// Remembers the switcher's account for this browser session (`None` forgets it).
pub fn set_account_cookie(account_id: Option<&str>, secure: bool) {
    match account_id {
        Some(id) => append_cookie(ACCOUNT_COOKIE, id, secure),
        None => append_cookie(ACCOUNT_COOKIE, "; Max-Age=0", secure),
    }
}

/// `value` is the cookie's value, or `; Max-Age=0` (an empty one) to clear it.
fn append_cookie(name: &str, value: &str, secure: bool) {
    let name = cookie_name(name, secure);
    let flags = if secure { "; Secure" } else { "" };
    let cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict{flags}");
    let (Some(response), Ok(value)) = (
        use_context::<ResponseOptions>(),
        HeaderValue::from_str(&cookie),
    ) else {
        return;
    };
    response.append_header(header::SET_COOKIE, value);
}

/// The portal's session cookie: its own name, never read by the console.
const PORTAL_COOKIE: &str = "herald_portal";

/// The portal session token in a `Cookie` header, for server code outside Leptos too.
pub fn portal_token_from_headers(headers: &http::HeaderMap, secure: bool) -> Option<String> {
    cookie(headers, &cookie_name(PORTAL_COOKIE, secure))
}

/// The `Set-Cookie` value of a portal session: HttpOnly, gone when its link
/// ends (`max_age_seconds`), `Secure` over https, and `SameSite=None` only
/// when the portal may be framed over https (a framed page's cookie is a
/// third party's), else `Lax`, so the link opens from a mail or a chat.
pub fn portal_cookie(token: &str, max_age_seconds: i64, secure: bool, framed: bool) -> String {
    let name = cookie_name(PORTAL_COOKIE, secure);
    let same_site = if secure && framed { "None" } else { "Lax" };
    let flags = if secure { "; Secure" } else { "" };
    format!(
        "{name}={token}; Path=/; Max-Age={max_age_seconds}; HttpOnly; SameSite={same_site}{flags}"
    )
}

/// The service and the principal the request's portal session acts as,
/// checked by the service for `access` (a read-only link writes nothing).
pub async fn portal_caller(
    access: herald_service::PortalAccess,
) -> Result<(Service, Principal), ConsoleError> {
    let (service, token) = portal_session()?;
    let caller = service.portal_caller(&token, access).await?;
    Ok((service, caller))
}

/// The caller of a shared page's server function: the console session's,
/// or on the portal the link's, checked for `access`.
pub async fn caller_on(
    surface: super::Surface,
    access: herald_service::PortalAccess,
) -> Result<(Service, Principal), ConsoleError> {
    match surface {
        super::Surface::Console => caller().await,
        super::Surface::Portal => portal_caller(access).await,
    }
}

/// The service and the request's portal session token, or `Unauthorized`.
pub fn portal_session() -> Result<(Service, String), ConsoleError> {
    let service = service()?;
    let token = use_context::<http::request::Parts>()
        .and_then(|parts| portal_token_from_headers(&parts.headers, service.secure_cookies()))
        .ok_or_else(|| {
            AppError::new(
                ErrorCode::Unauthorized,
                "Your portal session has ended: open your link again.",
            )
        })?;
    Ok((service, token))
}
