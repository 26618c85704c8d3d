//! The console's server functions over the service: the same scopes as the
//! REST API whatever the page shows, the admin account switcher, and the
//! dashboard's numbers.

use crate::helpers::{Backend, Receiver, TestApp, stored};
use herald_model::Scope;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use std::time::Duration;

on_both_backends!(
    malformed_server_function_arguments_are_a_400_not_a_500,
    write_server_functions_refuse_a_read_only_session,
    only_an_admin_may_choose_another_account_and_the_choice_is_checked_each_call,
    the_dashboard_counts_this_hours_deliveries_per_minute,
);

/// Calls a JSON server function with the given cookies.
async fn call(app: &TestApp, name: &str, body: Value, cookies: &str) -> (StatusCode, Value) {
    answer(server_fn(app, name, cookies).json(&body)).await
}

/// Calls a form-encoded server function (one a page's form posts to).
async fn call_form(
    app: &TestApp,
    name: &str,
    form: &[(&str, &str)],
    cookies: &str,
) -> (StatusCode, Value) {
    answer(server_fn(app, name, cookies).form(form)).await
}

fn server_fn(app: &TestApp, name: &str, cookies: &str) -> reqwest::RequestBuilder {
    app.client
        .post(app.url(&format!("/console/fn/{name}")))
        .header(header::COOKIE, cookies)
}

async fn answer(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

async fn session(app: &TestApp, account: &str, scopes: &[Scope]) -> String {
    let key = app.key_in(account, scopes, None).await;
    format!("herald_session={}", app.sign_in(&key).await)
}

async fn malformed_server_function_arguments_are_a_400_not_a_500(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = session(&app, "default", &[Scope::Admin]).await;
    let cases = [
        ("create_webhook", "{bad"),
        ("create_webhook", "{}"),
        ("update_webhook", r#"{"id": 5}"#),
        ("delete_webhook", "{}"),
        ("publish_event", r#"{"input": {"url": "x"}}"#),
        ("retire_event_type", r#"{"id": "x"}"#),
    ];
    for (name, body) in cases {
        let response = app
            .client
            .post(app.url(&format!("/console/fn/{name}")))
            .header(header::COOKIE, &admin)
            .header(header::CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let error: Value = response.json().await.unwrap();
        assert_eq!(status, StatusCode::BAD_REQUEST, "{name} {body}: {error}");
        assert_eq!(error["code"], "VALIDATION_ERROR", "{name} {body}: {error}");
    }
}

async fn write_server_functions_refuse_a_read_only_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let writer = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let (_, created) = app
        .call(
            "POST",
            "/webhooks",
            Some(&writer),
            Some(json!({"url": "https://example.com/h", "events": ["ping"]})),
        )
        .await;
    let id = created["data"]["id"].as_str().unwrap().to_owned();
    let reader = session(&app, "default", &[Scope::ReadWebhooks]).await;

    let (status, page) = call(&app, "webhooks", json!({"company_id": null}), &reader).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(page["total"], 1);
    let refused = [
        (
            "create_webhook",
            json!({"input": {"url": "https://example.com/x", "events": ["ping"]}}),
        ),
        (
            "update_webhook",
            json!({"id": id, "patch": {"name": "Hijacked"}}),
        ),
        ("delete_webhook", json!({"id": id})),
        ("rotate_secret", json!({"id": id})),
        ("test_webhook", json!({"id": id})),
        ("publish_event", json!({"input": {"type": 2, "data": {}}})),
        (
            "create_api_key",
            json!({"input": {"name": "n", "scopes": ["admin"]}}),
        ),
        ("accounts", json!({})),
    ];
    let refused_forms: [(&str, &[(&str, &str)]); 3] = [
        ("add_company", &[("input[name]", "Nope")]),
        ("add_account", &[("input[name]", "Nope")]),
        (
            "add_event_type",
            &[
                ("input[label]", "nope.event"),
                ("input[description]", "Nope"),
            ],
        ),
    ];
    let before = stored::tables(&app.db, STORED).await;
    let mut answers = Vec::new();
    for (name, body) in refused {
        answers.push((name, call(&app, name, body, &reader).await));
    }
    for (name, form) in refused_forms {
        answers.push((name, call_form(&app, name, form, &reader).await));
    }
    for (name, (status, error)) in answers {
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {error}");
        assert!(
            error["message"].as_str().unwrap().contains("scope"),
            "{name}: {error}"
        );
    }
    assert_eq!(
        stored::tables(&app.db, STORED).await,
        before,
        "a refused call changed what is stored"
    );
    let (status, still) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&writer), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{still}");
    let mut unchanged = created["data"].clone();
    for secret in ["signingSecret", "standardSecret"] {
        unchanged.as_object_mut().unwrap().remove(secret);
    }
    assert_eq!(still["data"], unchanged, "nothing changed");
}

/// What the refused calls would have written to.
const STORED: &[&str] = &[
    "webhooks",
    "events",
    "deliveries",
    "companies",
    "api_keys",
    "accounts",
];

async fn only_an_admin_may_choose_another_account_and_the_choice_is_checked_each_call(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let tenant_key = app
        .key_in("tenant", &[Scope::ReadWebhooks, Scope::WriteWebhooks], None)
        .await;
    app.call(
        "POST",
        "/webhooks",
        Some(&tenant_key),
        Some(json!({"url": "https://tenant.example.com/h", "events": ["ping"]})),
    )
    .await;
    let tenant = app.service.ensure_account("tenant").await.unwrap();

    let manager = session(
        &app,
        "default",
        &[Scope::ReadWebhooks, Scope::ManageAccount],
    )
    .await;
    let (status, error) = call(
        &app,
        "switch_account",
        json!({"account_id": tenant.id}),
        &manager,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    // A forged choice is ignored for a key that is not admin.
    let forged = format!("{manager}; herald_account={}", tenant.id);
    let (_, page) = call(&app, "webhooks", json!({"company_id": null}), &forged).await;
    assert_eq!(page["total"], 0, "{page}");

    let admin = session(&app, "default", &[Scope::Admin]).await;
    let (status, user) = call(
        &app,
        "switch_account",
        json!({"account_id": tenant.id}),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{user}");
    assert_eq!(user["account_name"], "tenant");
    let chosen = format!("{admin}; herald_account={}", tenant.id);
    let (_, user) = call(&app, "current_user", json!({}), &chosen).await;
    assert_eq!(user["account_name"], "tenant");
    let (_, page) = call(&app, "webhooks", json!({"company_id": null}), &chosen).await;
    assert_eq!(page["total"], 1, "{page}");
    let (status, _) = call(
        &app,
        "switch_account",
        json!({"account_id": uuid::Uuid::new_v4().to_string()}),
        &admin,
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_dashboard_counts_this_hours_deliveries_per_minute(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app
        .key(&[
            Scope::ReadWebhooks,
            Scope::WriteWebhooks,
            Scope::WriteEvents,
        ])
        .await;
    let receiver = Receiver::start().await;
    app.call(
        "POST",
        "/webhooks",
        Some(&key),
        Some(json!({"url": receiver.url("/h"), "name": "Counted", "events": [3]})),
    )
    .await;
    for n in 0..3 {
        app.call(
            "POST",
            "/events",
            Some(&key),
            Some(json!({"type": 3, "data": {"n": n}})),
        )
        .await;
    }
    receiver.wait_for(3, Duration::from_secs(10)).await;
    let reader = session(&app, "default", &[Scope::ReadDeliveries]).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let numbers = loop {
        let (status, numbers) = call(&app, "dashboard", json!({}), &reader).await;
        assert_eq!(status, StatusCode::OK, "{numbers}");
        if numbers["successRate"] == json!(1.0) || std::time::Instant::now() > deadline {
            break numbers;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let minutes = numbers["minutes"].as_array().unwrap();
    assert_eq!(minutes.len(), 60);
    let total: u64 = minutes
        .iter()
        .map(|m| {
            m["succeeded"].as_u64().unwrap()
                + m["failed"].as_u64().unwrap()
                + m["other"].as_u64().unwrap()
        })
        .sum();
    assert_eq!(total, 3, "{numbers}");
    assert_eq!(numbers["successRate"], json!(1.0));
    assert_eq!(numbers["webhooks"][0]["name"], "Counted");
    assert_eq!(numbers["webhooks"][0]["succeeded"], 3);
}
