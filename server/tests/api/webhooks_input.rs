//! Bad input to the webhook API: always the envelope, never a 500, and a
//! refused request changes nothing stored.

use crate::helpers::{Backend, TestApp};
use herald_model::Scope;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    bad_bodies_get_validation_errors_naming_the_field_and_change_nothing,
    bodies_over_one_mebibyte_get_413,
    wrong_methods_get_the_envelope,
    nul_characters_get_validation_errors_on_every_route,
);

async fn bad_bodies_get_validation_errors_naming_the_field_and_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let body = json!({"url": "https://a.example/h", "events": [0], "name": "before"});
    let (_, created) = app.call("POST", "/webhooks", Some(&key), Some(body)).await;
    let id = created["data"]["id"].as_str().unwrap().to_owned();
    let (_, before) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
        .await;

    let long_name = "n".repeat(256);
    let long_description = "d".repeat(2001);
    let cases: Vec<(Value, &str)> = vec![
        (json!({"url": "ftp://a.example"}), "url"),
        (json!({"url": 42}), "url"),
        (json!({"events": "ping"}), "events"),
        (json!({"events": [{"id": 1}]}), "events[0]"),
        (json!({"name": long_name}), "name"),
        (json!({"description": long_description}), "description"),
        (json!({"timeoutMs": 999}), "timeoutMs"),
        (json!({"timeoutMs": "fast"}), "timeoutMs"),
        (json!({"maxRetries": 11}), "maxRetries"),
        (json!({"maxRetries": -1}), "maxRetries"),
        (json!({"retryBackoffSeconds": 0}), "retryBackoffSeconds"),
        (json!({"rateLimitPerSecond": 10001}), "rateLimitPerSecond"),
        (json!({"isActive": "yes"}), "isActive"),
        (json!({"name": "a\u{0}b"}), "name"),
        (
            json!({"headers": [{"name": "Host", "value": "x"}]}),
            "headers[0].name",
        ),
        (
            json!({"headers": [{"name": "X-A", "value": "a\nb"}]}),
            "headers[0].value",
        ),
        (
            json!({"headers": [{"name": "X-A", "value": ""}]}),
            "headers[0].value",
        ),
        (json!({"headers": {"name": "X-A"}}), "headers"),
        (json!({"id": "new-id"}), "id"),
        (json!({"signingSecret": "x"}), "signingSecret"),
        (json!({"colour": "blue"}), "colour"),
        (
            json!({"companyId": uuid::Uuid::new_v4().to_string()}),
            "companyId",
        ),
        (json!([1, 2]), "body"),
    ];
    for (patch, field) in cases {
        let (status, body) = app
            .call(
                "PATCH",
                &format!("/webhooks/{id}"),
                Some(&key),
                Some(patch.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{patch}: {body}");
        assert_eq!(body["success"], false);
        assert_eq!(body["error"]["code"], "VALIDATION_ERROR", "{patch}: {body}");
        assert_eq!(body["error"]["details"]["field"], field, "{patch}: {body}");
    }
    let response = app
        .client
        .patch(app.url(&format!("/webhooks/{id}")))
        .bearer_auth(&key)
        .header("content-type", "application/json")
        .body("{\"name\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["error"]["details"]["field"], "body");

    let (status, body) = app
        .call(
            "POST",
            "/webhooks",
            Some(&key),
            Some(json!({"events": [0]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        body["error"]["message"].as_str().unwrap().contains("url"),
        "{body}"
    );

    let (_, after) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(before, after, "refused requests changed the webhook");
    let (_, list) = app.call("GET", "/webhooks", Some(&key), None).await;
    assert_eq!(list["data"]["total"], 1, "refused creates stored nothing");
}

async fn bodies_over_one_mebibyte_get_413(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks]).await;
    let body = json!({"url": "https://a.example/h", "events": [0], "description": "x".repeat(1024 * 1024)});
    let (status, body) = app.call("POST", "/webhooks", Some(&key), Some(body)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["error"]["code"], "PAYLOAD_TOO_LARGE");
}

async fn wrong_methods_get_the_envelope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks]).await;
    let (status, body) = app.call("PUT", "/webhooks", Some(&key), None).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(body["success"], false);
    assert_eq!(body["error"]["message"], "PUT is not allowed on /webhooks");
}

/// PostgreSQL cannot store U+0000 in text: it must be a 400 naming the
/// field on both databases, never a 500 (schemathesis found this).
async fn nul_characters_get_validation_errors_on_every_route(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_key().await;
    let cases = [
        ("POST", "/accounts", json!({"name": "a\u{0}"}), "name"),
        (
            "POST",
            "/companies",
            json!({"name": "Acme", "accountId": "\u{0}"}),
            "accountId",
        ),
        (
            "POST",
            "/api-keys",
            json!({"name": "k", "scopes": ["read:webhooks"], "accountId": "\u{0}"}),
            "accountId",
        ),
        (
            "POST",
            "/webhooks",
            json!({"url": "https://a.example/h", "events": [0], "companyId": "c\u{0}"}),
            "companyId",
        ),
        (
            "POST",
            "/event-types",
            json!({"label": "a.b", "description": "\u{0}"}),
            "description",
        ),
        (
            "POST",
            "/webhooks",
            json!({"url": "https://a.example/h", "events": [0], "\u{0}": 1}),
            "\u{0}",
        ),
    ];
    for (method, path, body, field) in cases {
        let (status, answer) = app
            .call(method, path, Some(&admin), Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path} {body}: {answer}");
        assert_eq!(answer["error"]["code"], "VALIDATION_ERROR");
        assert_eq!(answer["error"]["details"]["field"], field, "{answer}");
        assert_eq!(
            answer["error"]["message"],
            format!("{field} must not contain NUL characters")
        );
    }
    for query in ["companyId=%F3%AA%A9%B9%00", "accountId=%00"] {
        let (status, answer) = app
            .call("GET", &format!("/webhooks?{query}"), Some(&admin), None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{query}: {answer}");
        let field = query.split('=').next().unwrap();
        assert_eq!(answer["error"]["details"]["field"], field, "{answer}");
    }
    let (_, accounts) = app.call("GET", "/accounts", Some(&admin), None).await;
    assert_eq!(accounts["data"]["total"], 1, "nothing was stored");
}
