//! What every request goes through: path values, panics, time limits, slow
//! clients, the per-key rate limit, request ids and the browser headers.

use crate::helpers::{Backend, TestApp};
use axum::{Router, routing::get};
use herald_model::Scope;
use reqwest::{StatusCode, header};
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

on_both_backends!(
    unreadable_path_ids_answer_the_envelopes_404,
    a_key_over_the_rate_limit_gets_429_with_retry_after_and_the_next_second_through,
    the_profiles_answer_the_rate_limit_in_their_own_forms,
);

fn assert_envelope(body: &Value, code: &str) {
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(body["error"]["message"].is_string(), "{body}");
}

async fn unreadable_path_ids_answer_the_envelopes_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.admin_key().await;
    // %FF decodes to a byte that is not UTF-8: axum's own answer is plain text.
    for path in [
        "/webhooks/%FF",
        "/webhooks/%FF/deliveries",
        "/webhooks/%C3%28/test",
        "/deliveries/%FF",
        "/deliveries/%FF/retry",
        "/api-keys/%FF",
        "/event-types/%FF",
    ] {
        let method = match path {
            "/webhooks/%C3%28/test" | "/deliveries/%FF/retry" => "POST",
            "/api-keys/%FF" | "/event-types/%FF" => "DELETE",
            _ => "GET",
        };
        let (status, body) = app.call(method, path, Some(&key), None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {body}");
        assert_envelope(&body, "RESOURCE_NOT_FOUND");
    }
}

async fn a_key_over_the_rate_limit_gets_429_with_retry_after_and_the_next_second_through(
    backend: Backend,
) {
    let app = TestApp::spawn_with(backend, |settings| {
        settings.api_rate_limit = std::num::NonZeroU32::new(3);
    })
    .await;
    let key = app.admin_key().await;
    let other = app.key(&[Scope::ReadWebhooks]).await;
    let get = || {
        app.client
            .get(app.url("/webhooks"))
            .bearer_auth(&key)
            .send()
    };
    // A bucket of 3 refills one request every 333 ms: a slow machine may see
    // a fourth let through, never a twentieth.
    let mut allowed = 0;
    let response = loop {
        let response = get().await.unwrap();
        if response.status() != StatusCode::OK {
            break response;
        }
        allowed += 1;
        assert!(allowed < 20, "20 requests in a row were let through");
    };
    assert!(
        allowed >= 3,
        "the burst of 3 was not let through: {allowed}"
    );
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(retry_after, 1, "a bucket of 3/s refills within a second");
    let body: Value = response.json().await.unwrap();
    assert_envelope(&body, "RATE_LIMITED");
    assert_eq!(body["error"]["details"]["retryAfter"], 1, "{body}");

    // Another key has its own allowance.
    let (status, _) = app.call("GET", "/webhooks", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(1_100)).await;
    let (status, body) = app.call("GET", "/webhooks", Some(&key), None).await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the next second is let through: {body}"
    );
}

async fn the_profiles_answer_the_rate_limit_in_their_own_forms(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| {
        settings.api_rate_limit = std::num::NonZeroU32::new(1);
    })
    .await;
    let key = app.admin_key().await;
    let send = |path: &str, header_name: &str, value: String| {
        app.client
            .get(app.url(path))
            .header(header_name, value)
            .send()
    };
    let first = send("/v1/webhook/endpoint.list", "x-api-key", key.clone())
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::OK);
    let konpro = send("/v1/webhook/endpoint.list", "x-api-key", key.clone())
        .await
        .unwrap();
    assert_eq!(konpro.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(konpro.headers().contains_key(header::RETRY_AFTER));
    let body: Value = konpro.json().await.unwrap();
    assert_eq!(body["error"]["code"], "RATE_LIMITED", "{body}");

    let interactly = send(
        "/workflows/v1/workflow-webhooks",
        "authorization",
        format!("Bearer {key}"),
    )
    .await
    .unwrap();
    assert_eq!(interactly.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(interactly.headers().contains_key(header::RETRY_AFTER));
    let body: Value = interactly.json().await.unwrap();
    assert!(body["detail"].is_string(), "{body}");
}

/// The real layers around a router of the test's own, on a loopback port.
async fn serve_with_layers(router: Router, time_limit: Duration) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let router = server::http::with_request_layers(router, time_limit);
    tokio::spawn(server::listener::serve(
        listener,
        router,
        Duration::from_secs(10),
        std::future::pending(),
    ));
    address
}

async fn panics() -> &'static str {
    panic!("injected for the test")
}

#[tokio::test]
async fn a_panicking_handler_answers_500_in_the_envelope_and_the_server_stays_up() {
    let router = Router::new()
        .route("/boom", get(panics))
        .route("/fine", get(|| async { "fine" }));
    let address = serve_with_layers(router, Duration::from_secs(30)).await;
    let response = reqwest::get(format!("{address}/boom")).await.unwrap();
    assert_eq!(response.status(), StatusCode::INTERNAL_SERVER_ERROR);
    assert!(response.headers().contains_key("x-request-id"));
    let body: Value = response.json().await.unwrap();
    assert_envelope(&body, "INTERNAL_ERROR");
    assert!(
        !body.to_string().contains("injected"),
        "no internals in the message: {body}"
    );
    let after = reqwest::get(format!("{address}/fine")).await.unwrap();
    assert_eq!(after.text().await.unwrap(), "fine");
}

#[tokio::test]
async fn a_request_over_its_time_limit_answers_503_in_the_envelope() {
    let router = Router::new().route(
        "/slow",
        get(|| async {
            tokio::time::sleep(Duration::from_secs(30)).await;
            "too late"
        }),
    );
    let address = serve_with_layers(router, Duration::from_secs(1)).await;
    let started = Instant::now();
    let response = reqwest::get(format!("{address}/slow")).await.unwrap();
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    assert!(started.elapsed() < Duration::from_secs(10));
    let body: Value = response.json().await.unwrap();
    assert_envelope(&body, "SERVICE_UNAVAILABLE");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_client_that_sends_its_headers_too_slowly_is_cut_off() {
    let app = TestApp::spawn_with(Backend::Sqlite, |settings| {
        settings.header_timeout = 1;
    })
    .await;
    let address = app.address.trim_start_matches("http://").to_owned();
    let mut slow = tokio::net::TcpStream::connect(&address).await.unwrap();
    slow.write_all(b"GET /healthz HTTP/1.1\r\nHost: herald\r\n")
        .await
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was still open after 10 s");
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "closed before the limit: {:?}",
        started.elapsed()
    );
    assert!(
        !String::from_utf8_lossy(&answer).contains("200 OK"),
        "an unfinished request was answered"
    );

    // A client that finishes its headers in time is served.
    let (status, _) = app.call("GET", "/healthz", None, None).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_answer_carries_a_request_id_and_the_browser_headers() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let with_id = |id: &'static str| {
        app.client
            .get(app.url("/healthz"))
            .header("x-request-id", id)
            .send()
    };
    let echoed = with_id("test-req-42").await.unwrap();
    assert_eq!(echoed.headers()["x-request-id"], "test-req-42");
    let made = app.get("/no/such/route").await;
    let id = made.headers()["x-request-id"].to_str().unwrap();
    assert!(uuid::Uuid::parse_str(id).is_ok(), "{id}");
    // An id that could forge log lines is replaced, not echoed.
    let forged = with_id("a b").await.unwrap();
    assert_ne!(forged.headers()["x-request-id"], "a b");

    for response in [&echoed, &made] {
        assert_eq!(response.headers()["x-content-type-options"], "nosniff");
        assert_eq!(response.headers()["referrer-policy"], "same-origin");
        let policy = response.headers()["content-security-policy"]
            .to_str()
            .unwrap();
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    }

    let page = app.get("/console/sign-in").await;
    let policy = page.headers()["content-security-policy"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
    assert!(policy.contains("'wasm-unsafe-eval'"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    let nonce = policy
        .split("'nonce-")
        .nth(1)
        .and_then(|rest| rest.split('\'').next())
        .expect("the page's policy names a nonce")
        .to_owned();
    let html = page.text().await.unwrap();
    let scripts = html.matches("<script").count();
    assert!(scripts > 0, "{html}");
    assert_eq!(
        html.matches(&format!("nonce=\"{nonce}\"")).count(),
        scripts,
        "every inline script carries the page's nonce: {html}"
    );
    let second = app.get("/console/sign-in").await;
    assert!(
        !second.headers()["content-security-policy"]
            .to_str()
            .unwrap()
            .contains(&nonce),
        "a nonce is used once"
    );
}
