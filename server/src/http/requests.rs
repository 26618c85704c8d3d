//! What every request goes through, API and console alike: an id, one log
//! line, a time limit, and a 500 in the envelope when a handler panics.

use super::ApiError;
use axum::{
    Router,
    extract::{MatchedPath, Request, State},
    http::{HeaderName, HeaderValue, header},
    middleware::{self, Next},
    response::{IntoResponse, Response},
};
use herald_model::{AppError, ErrorCode};
use std::{any::Any, time::Duration};
use tokio::time::Instant;
use tower_http::{catch_panic::CatchPanicLayer, set_header::SetResponseHeaderLayer};
use tracing::Instrument;

/// Echoed when the caller sends a usable one, made (a UUID) otherwise.
const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");
/// Longer or stranger ids than this are replaced rather than echoed into logs.
const MAX_REQUEST_ID: usize = 128;

/// Wraps `router` in the layers, outermost first: the request id and log
/// line, the browser-facing headers, the panic answer, the time limit.
pub fn with_request_layers(router: Router, time_limit: Duration) -> Router {
    router
        .layer(middleware::from_fn_with_state(time_limit, limit_time))
        .layer(CatchPanicLayer::custom(answer_panic))
        .layer(SetResponseHeaderLayer::overriding(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::overriding(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // Console pages set their own policy (with frame-ancestors 'none');
        // no other answer of Herald's is to be framed either.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static("frame-ancestors 'none'"),
        ))
        .layer(middleware::from_fn(log_request))
}

/// One line per request at info: method, route, status, latency and id;
/// never a query string, a header value or a body. Everything logged while
/// the request runs carries its id.
async fn log_request(mut request: Request, next: Next) -> Response {
    let id = request_id(&request);
    if let Ok(value) = HeaderValue::from_str(&id) {
        request.headers_mut().insert(REQUEST_ID, value);
    }
    let method = request.method().clone();
    let route = request.extensions().get::<MatchedPath>().map_or_else(
        || request.uri().path().to_owned(),
        |path| path.as_str().to_owned(),
    );
    let started = Instant::now();
    let span = tracing::info_span!("request", id = %id);
    let mut response = next.run(request).instrument(span.clone()).await;
    span.in_scope(|| {
        tracing::info!(
            %method,
            %route,
            status = response.status().as_u16(),
            latency_ms = started.elapsed().as_secs_f64() * 1000.0,
            "request"
        );
    });
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(REQUEST_ID, value);
    }
    response
}

fn request_id(request: &Request) -> String {
    request
        .headers()
        .get(&REQUEST_ID)
        .and_then(|value| value.to_str().ok())
        .filter(|id| {
            !id.is_empty()
                && id.len() <= MAX_REQUEST_ID
                && id.bytes().all(|byte| byte.is_ascii_graphic())
        })
        .map_or_else(|| uuid::Uuid::new_v4().to_string(), str::to_owned)
}

/// Routes that wait for a receiver (the REST and the console's test ping):
/// one may take the longest `timeoutMs` a webhook can have, and then some.
const RECEIVER_ROUTES: [&str; 2] = ["/webhooks/{id}/test", "/console/fn/test_webhook"];
const RECEIVER_MARGIN: Duration = Duration::from_secs(5);

/// A request that has not answered within the limit answers 503 and the
/// handler is dropped: a transaction it holds rolls back, but a publish
/// already handed to the group commit is still stored (a publish retried
/// with its `idempotencyKey` is stored once).
async fn limit_time(State(limit): State<Duration>, request: Request, next: Next) -> Response {
    let waits_for_receiver = request
        .extensions()
        .get::<MatchedPath>()
        .is_some_and(|path| RECEIVER_ROUTES.contains(&path.as_str()));
    let limit = if waits_for_receiver {
        let receiver = Duration::from_millis(u64::from(herald_model::validate::MAX_TIMEOUT_MS));
        limit.max(receiver + RECEIVER_MARGIN)
    } else {
        limit
    };
    match tokio::time::timeout(limit, next.run(request)).await {
        Ok(response) => response,
        Err(_) => {
            tracing::warn!(limit_s = limit.as_secs_f64(), "request timed out");
            ApiError(AppError::new(
                ErrorCode::ServiceUnavailable,
                format!(
                    "The request did not finish within {} s",
                    limit.as_secs_f64()
                ),
            ))
            .into_response()
        }
    }
}

fn answer_panic(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = message, "a handler panicked");
    ApiError(AppError::internal()).into_response()
}
