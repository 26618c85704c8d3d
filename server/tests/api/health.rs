//! Liveness, readiness and the JSON envelope for unknown routes.

use crate::helpers::{Backend, TestApp, location};
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    healthz_answers_while_the_process_is_up,
    readyz_answers_when_the_database_does,
    readyz_fails_with_the_envelope_when_the_database_is_gone,
    unknown_api_routes_answer_the_json_envelope_not_html,
    the_root_redirects_to_the_console,
);

async fn healthz_answers_while_the_process_is_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/healthz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body, json!({"success": true, "data": {"status": "ok"}}));
}

async fn readyz_answers_when_the_database_does(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["data"]["database"], "ok");
}

async fn readyz_fails_with_the_envelope_when_the_database_is_gone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.db.close().await;
    let response = app.get("/readyz").await;
    assert_eq!(response.status(), StatusCode::SERVICE_UNAVAILABLE);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["success"], false);
    assert_eq!(body["error"]["code"], "SERVICE_UNAVAILABLE");
    assert_eq!(body["error"]["message"], "Database unreachable");
}

async fn unknown_api_routes_answer_the_json_envelope_not_html(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/no-such-route").await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let body: Value = response.json().await.unwrap();
    assert_eq!(
        body,
        json!({"success": false, "error": {"code": "RESOURCE_NOT_FOUND", "message": "No route for GET /no-such-route"}})
    );
}

async fn the_root_redirects_to_the_console(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/").await;
    assert!(response.status().is_redirection());
    assert_eq!(location(&response), "/console/webhooks");
    let response = app.get("/console").await;
    assert_eq!(location(&response), "/console/webhooks");
}
