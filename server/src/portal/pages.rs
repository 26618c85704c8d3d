//! The portal's pages that need no app: a refused link or session (the
//! reason, and what to do), its 404, and the account's theme.

use super::Portal;
use axum::{
    http::{HeaderValue, StatusCode, header},
    response::{IntoResponse, Response},
};
use herald_model::{AppError, ErrorCode};

/// What a visitor without a live portal session is told, as a 403 (no
/// sign-in would help: only a live link opens the portal): the service's
/// reason when there was a session. Any other failure keeps its own code.
pub fn session_ended(reason: Option<AppError>) -> AppError {
    match reason {
        None => AppError::new(
            ErrorCode::ResourceAccessDenied,
            "You have no portal session: open your portal link again, or ask for a new one.",
        ),
        Some(reason) if reason.code == ErrorCode::Unauthorized => {
            AppError::new(ErrorCode::ResourceAccessDenied, reason.message)
        }
        Some(other) => other,
    }
}

/// A readable page for a refusal, with the status of its code (403, 404…).
pub fn refusal(portal: &Portal, error: &AppError) -> Response {
    let status =
        StatusCode::from_u16(error.code.http_status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let title = match status {
        StatusCode::NOT_FOUND => "Portal link not found",
        StatusCode::FORBIDDEN => "Portal link no longer valid",
        _ => "The portal is not available",
    };
    page(
        status,
        &portal.stylesheet,
        &portal.frame_ancestors,
        title,
        &error.message,
    )
}

/// The portal's 404 for a path that is no page.
pub fn not_found(stylesheet: &str, frame_ancestors: &str) -> Response {
    page(
        StatusCode::NOT_FOUND,
        stylesheet,
        frame_ancestors,
        "Page not found",
        "There is no portal page at this address.",
    )
}

fn page(
    status: StatusCode,
    stylesheet: &str,
    frame_ancestors: &str,
    title: &str,
    message: &str,
) -> Response {
    let (title, message, stylesheet) = (escape(title), escape(message), escape(stylesheet));
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title><link rel=\"stylesheet\" href=\"{stylesheet}\">\
         <link rel=\"stylesheet\" href=\"/portal/theme.css\"></head>\
         <body><main class=\"centered\"><section class=\"card\" role=\"alert\">\
         <h1>{title}</h1><p>{message}</p></section></main></body></html>"
    );
    let policy = format!(
        "default-src 'none'; style-src 'self'; img-src 'self'; base-uri 'none'; \
         form-action 'none'; frame-ancestors {frame_ancestors}"
    );
    let mut response = (status, body).into_response();
    let headers = response.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    if let Ok(policy) = HeaderValue::from_str(&policy) {
        headers.insert(header::CONTENT_SECURITY_POLICY, policy);
    }
    response
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The console's colours with the account's accent (`#rrggbb`) over them;
/// empty without one.
pub fn theme_css(accent: Option<&str>) -> Response {
    let css = accent
        .and_then(rgb)
        .map(|(r, g, b)| {
            let darker = |c: u8| (f32::from(c) * 0.82) as u8;
            format!(
                ":root {{ --primary: #{r:02x}{g:02x}{b:02x}; \
                 --primary-hover: #{:02x}{:02x}{:02x}; \
                 --focus: 0 0 0 3px rgba({r}, {g}, {b}, 0.35); }}\n",
                darker(r),
                darker(g),
                darker(b)
            )
        })
        .unwrap_or_default();
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "private, no-cache"),
        ],
        css,
    )
        .into_response()
}

/// `#rrggbb` → its three channels (the model checked the form on the way in).
fn rgb(color: &str) -> Option<(u8, u8, u8)> {
    let hex = color.strip_prefix('#').filter(|hex| hex.len() == 6)?;
    let channel = |at: usize| u8::from_str_radix(hex.get(at..at + 2)?, 16).ok();
    Some((channel(0)?, channel(2)?, channel(4)?))
}
