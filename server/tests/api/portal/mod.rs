//! The customer portal (SPEC §8): links over REST, the sessions they open,
//! and what a session of one company may reach: its own webhooks and
//! deliveries, never another company's, a global webhook or anything of the
//! REST API or the console; a read-only, revoked or expired link changes
//! nothing. `access` holds what a session may reach, `web` what the browser
//! sees (pages, cookies, framing, forged calls).

mod access;
mod web;

use crate::helpers::{Backend, Receiver, TestApp, location, set_cookie, stored};
use herald_model::Scope;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use std::time::Duration;

/// An account with two companies, a webhook in each and a global one, and
/// a delivery to B's webhook.
pub(super) struct World {
    pub(super) app: TestApp,
    pub(super) admin: String,
    pub(super) company_a: String,
    pub(super) company_b: String,
    pub(super) own: String,
    pub(super) other: String,
    pub(super) global: String,
    pub(super) other_delivery: String,
    pub(super) global_delivery: String,
    _receiver: Receiver,
}

pub(super) async fn world(backend: Backend) -> World {
    let app = TestApp::spawn(backend).await;
    let admin = app.key(&[Scope::Admin]).await;
    let company_a = app.company("default", "Acme").await;
    let company_b = app.company("default", "Globex").await;
    let receiver = Receiver::start().await;
    let own = make(
        &app,
        &admin,
        json!({"url": receiver.url("/a"), "events": [3], "companyId": company_a}),
    )
    .await;
    let other = make(
        &app,
        &admin,
        json!({"url": receiver.url("/b"), "events": [3], "companyId": company_b}),
    )
    .await;
    let global = make(
        &app,
        &admin,
        json!({"url": receiver.url("/g"), "events": [3]}),
    )
    .await;
    let event = json!({"type": 3, "data": {"n": 1}, "companyId": company_b});
    let (status, answer) = app.call("POST", "/events", Some(&admin), Some(event)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
    let other_delivery = delivery_of(&app, &admin, &other).await;
    let global_delivery = delivery_of(&app, &admin, &global).await;
    World {
        app,
        admin,
        company_a,
        company_b,
        own,
        other,
        global,
        other_delivery,
        global_delivery,
        _receiver: receiver,
    }
}

pub(super) async fn make(app: &TestApp, key: &str, body: Value) -> String {
    let (status, created) = app.call("POST", "/webhooks", Some(key), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["data"]["id"].as_str().unwrap().to_owned()
}

/// The webhook's first delivery, once it has succeeded (nothing of it moves after).
pub(super) async fn delivery_of(app: &TestApp, key: &str, webhook: &str) -> String {
    for _ in 0..100 {
        let path = format!("/webhooks/{webhook}/deliveries");
        let (_, page) = app.call("GET", &path, Some(key), None).await;
        let delivery = &page["data"]["data"][0];
        if delivery["status"] == "succeeded" {
            return delivery["id"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no delivery for {webhook}");
}

/// A link for `company`; returns its id and token.
pub(super) async fn link(
    app: &TestApp,
    key: &str,
    company: &str,
    extra: Value,
) -> (String, String) {
    let mut body = json!({"companyId": company});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let (status, created) = app
        .call("POST", "/portal-links", Some(key), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let url = created["data"]["url"].as_str().unwrap();
    let token = url.rsplit('/').next().unwrap().to_owned();
    assert!(token.starts_with("pl_"), "{url}");
    (created["data"]["id"].as_str().unwrap().to_owned(), token)
}

/// Opens the link as a browser would; returns the `Cookie` header of its session.
pub(super) async fn open(app: &TestApp, token: &str) -> String {
    let response = app.get(&format!("/portal/{token}")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/portal/webhooks");
    let cookie = set_cookie(&response);
    assert!(cookie.starts_with("herald_portal="), "{cookie}");
    for flag in ["HttpOnly", "Path=/", "SameSite=Lax"] {
        assert!(cookie.contains(flag), "{flag}: {cookie}");
    }
    cookie.split(';').next().unwrap().to_owned()
}

/// A shared server function on the portal surface.
pub(super) async fn portal_fn(
    app: &TestApp,
    cookie: &str,
    name: &str,
    mut body: Value,
) -> (StatusCode, Value) {
    body["surface"] = json!("portal");
    let response = app
        .client
        .post(app.url(&format!("/console/fn/{name}")))
        .header(header::COOKIE, cookie)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// What the database holds of webhooks, events and deliveries, whole: a
/// refused call changes none of it (a rotated secret, a ping, a retry
/// would show).
pub(super) const STORED: &[&str] = &[
    "webhooks",
    "webhook_event_types",
    "events",
    "deliveries",
    "delivery_attempts",
];

pub(super) async fn snapshot(world: &World) -> Vec<(String, Vec<Vec<String>>)> {
    stored::tables(&world.app.db, STORED).await
}

/// Every portal server function that names an object, called on `id`.
pub(super) fn calls_on(id: &str, delivery: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("webhook", json!({"id": id})),
        (
            "update_webhook",
            json!({"id": id, "patch": {"description": "changed"}}),
        ),
        (
            "update_webhook",
            json!({"id": id, "patch": {"isActive": false}}),
        ),
        ("delete_webhook", json!({"id": id})),
        ("test_webhook", json!({"id": id})),
        ("reset_circuit", json!({"id": id})),
        ("rotate_secret", json!({"id": id})),
        ("deliveries", json!({"webhook_id": id})),
        ("delivery", json!({"id": delivery})),
        ("retry_delivery", json!({"id": delivery})),
    ]
}

pub(super) fn assert_refused(status: StatusCode, body: &Value, what: &str) {
    assert!(
        matches!(status.as_u16(), 401 | 403 | 404),
        "{what}: {status} {body}"
    );
    assert!(body["code"].is_string(), "{what}: {body}");
}
