//! The Konpro profile (SPEC §7.2): the document's example as printed, the
//! sibling routes, "empty means all", the secret that survives updates, and
//! the `{"error": {code, message}}` form.

use crate::helpers::{Backend, TestApp, curl_answers, unknown_key};
use herald_model::Scope;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    the_documents_curl_example_gets_the_documented_answer,
    add_list_delete_and_the_event_types_work,
    empty_events_subscribe_to_all_and_only_given_fields_change,
    keys_scopes_and_ownership_are_checked,
    bad_input_gets_a_400_naming_the_field,
);

const FIELDS: [&str; 7] = [
    "created_at",
    "endpoint_id",
    "events",
    "secret",
    "status",
    "url",
    "username",
];

/// Adds an endpoint through the profile; returns its answer.
pub async fn add(app: &TestApp, key: &str, body: Value) -> Value {
    let request = app
        .client
        .post(app.url("/v1/webhook/endpoint.add"))
        .header("x-api-key", key)
        .json(&body);
    let (status, added) = send(request).await;
    assert_eq!(status, StatusCode::OK, "{added}");
    added
}

/// A call with `x-api-key` (none when `key` is `None`).
async fn call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: Option<&str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    let mut request = app.client.request(method, app.url(path));
    if let Some(key) = key {
        request = request.header("x-api-key", key);
    }
    if let Some(body) = body {
        request = request.json(&body);
    }
    send(request).await
}

async fn send(request: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let response = request.send().await.unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let body = serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"));
    (status, body)
}

async fn update(app: &TestApp, key: &str, body: Value) -> (StatusCode, Value) {
    let path = "/v1/webhook/endpoint.update";
    call(app, reqwest::Method::PATCH, path, Some(key), Some(body)).await
}

async fn list(app: &TestApp, key: &str) -> Value {
    let path = "/v1/webhook/endpoint.list";
    let (status, list) = call(app, reqwest::Method::GET, path, Some(key), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list
}

fn assert_exact_fields(endpoint: &Value) {
    let mut keys: Vec<&str> = endpoint
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(keys, FIELDS, "{endpoint}");
    assert!(endpoint["secret"].as_str().unwrap().starts_with("whsec_"));
    let created_at = endpoint["created_at"].as_str().unwrap();
    assert!(
        time::OffsetDateTime::parse(created_at, &time::format_description::well_known::Rfc3339)
            .is_ok(),
        "{created_at}"
    );
}

async fn the_documents_curl_example_gets_the_documented_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let added = add(
        &app,
        &key,
        json!({"url": "https://example.com/old-webhook-url"}),
    )
    .await;
    let endpoint_id = added["endpoint_id"].as_str().unwrap();
    let answers = curl_answers(
        "konpro_curl.sh",
        &[
            ("HERALD_URL", &app.address),
            ("HERALD_API_KEY", &key),
            ("ENDPOINT_ID", endpoint_id),
        ],
    )
    .await;
    let [(missing_status, missing), (status, updated)] = answers.as_slice() else {
        panic!("two answers expected: {answers:?}");
    };
    assert_eq!(*missing_status, StatusCode::NOT_FOUND);
    assert_eq!(
        missing,
        &json!({"error": {"code": "RESOURCE_NOT_FOUND", "message": "Webhook endpoint not found"}})
    );
    assert_eq!(*status, StatusCode::OK, "{updated}");
    assert_exact_fields(updated);
    assert_eq!(
        updated,
        &json!({
            "endpoint_id": endpoint_id,
            "url": "https://example.com/new-webhook-url",
            "secret": added["secret"],
            "status": "enabled",
            "events": ["video.updated", "avatar.deleted"],
            "username": "default",
            "created_at": added["created_at"],
        })
    );
    let (_, main) = app
        .call("GET", &format!("/webhooks/{endpoint_id}"), Some(&key), None)
        .await;
    assert_eq!(main["data"]["url"], "https://example.com/new-webhook-url");
}

async fn add_list_delete_and_the_event_types_work(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let first = add(&app, &key, json!({"url": "https://example.com/a"})).await;
    assert_exact_fields(&first);
    assert_eq!(first["events"], json!([]), "no events: all of them");
    assert_eq!(first["status"], "enabled");
    let second = add(
        &app,
        &key,
        json!({"url": "https://example.com/b", "events": ["avatar.deleted"]}),
    )
    .await;
    assert_ne!(first["secret"], second["secret"]);
    assert_eq!(
        list(&app, &key).await,
        json!([second, first]),
        "newest first"
    );

    let path = format!(
        "/v1/webhook/endpoint.delete?endpoint_id={}",
        first["endpoint_id"].as_str().unwrap()
    );
    let (status, deleted) = call(&app, reqwest::Method::DELETE, &path, Some(&key), None).await;
    assert_eq!((status, &deleted), (StatusCode::OK, &first));
    let (status, again) = call(&app, reqwest::Method::DELETE, &path, Some(&key), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{again}");
    assert_eq!(list(&app, &key).await, json!([second]));

    let (status, types) = call(
        &app,
        reqwest::Method::GET,
        "/v1/webhook/webhook.list",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let types: Vec<&str> = types
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for label in [
        "interview.completed",
        "workflow_created",
        "workflow_updated",
        "workflow_deleted",
        "workflow_run_started",
        "workflow_run_completed",
        "video.updated",
        "avatar.deleted",
    ] {
        assert!(types.contains(&label), "{label} in {types:?}");
    }
    let (_, catalog) = app.call("GET", "/event-types", Some(&key), None).await;
    let ids: Vec<(i64, &str)> = catalog["data"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| (t["id"].as_i64().unwrap(), t["label"].as_str().unwrap()))
        .filter(|(id, _)| *id >= 6)
        .collect();
    assert_eq!(
        ids,
        [
            (6, "workflow_created"),
            (7, "workflow_updated"),
            (8, "workflow_deleted"),
            (9, "workflow_run_started"),
            (10, "workflow_run_completed"),
            (11, "video.updated"),
            (12, "avatar.deleted"),
        ],
        "the next free ids after the six seeded"
    );
    assert!(
        catalog["data"]["data"][11]["examplePayload"].is_object(),
        "{catalog}"
    );
}

async fn empty_events_subscribe_to_all_and_only_given_fields_change(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let added = add(
        &app,
        &key,
        json!({"url": "https://example.com/a", "events": ["video.updated"]}),
    )
    .await;
    let id = added["endpoint_id"].as_str().unwrap();
    let (_, all) = update(&app, &key, json!({"endpoint_id": id, "events": []})).await;
    assert_eq!(all["events"], json!([]));
    let (_, main) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(
        main["data"]["events"],
        json!(["*"]),
        "[] is the main API's *"
    );

    let (_, url_only) = update(
        &app,
        &key,
        json!({"endpoint_id": id, "url": "https://example.com/moved", "events": null}),
    )
    .await;
    assert_eq!(url_only["events"], json!([]), "null events leave them");
    let (_, events_only) = update(
        &app,
        &key,
        json!({"endpoint_id": id, "events": ["avatar.deleted"]}),
    )
    .await;
    assert_eq!(events_only["url"], "https://example.com/moved");
    assert_eq!(events_only["events"], json!(["avatar.deleted"]));
    for answer in [&all, &url_only, &events_only] {
        assert_eq!(
            answer["secret"], added["secret"],
            "the secret survives updates"
        );
        assert_eq!(answer["created_at"], added["created_at"]);
    }
    for null_events in [
        json!({"url": "https://example.com/n", "events": null}),
        json!({"url": "https://example.com/e", "events": []}),
    ] {
        let added = add(&app, &key, null_events).await;
        assert_eq!(added["events"], json!([]));
    }
}

async fn keys_scopes_and_ownership_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let added = add(&app, &key, json!({"url": "https://example.com/a"})).await;
    let id = added["endpoint_id"].as_str().unwrap();

    let other = app
        .key_in("other", &[Scope::ReadWebhooks, Scope::WriteWebhooks], None)
        .await;
    let (status, error) = update(
        &app,
        &other,
        json!({"endpoint_id": id, "url": "https://evil.example/x"}),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{error}");
    assert_eq!(error["error"]["code"], "RESOURCE_NOT_FOUND");
    let delete = format!("/v1/webhook/endpoint.delete?endpoint_id={id}");
    let (status, _) = call(&app, reqwest::Method::DELETE, &delete, Some(&other), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(list(&app, &other).await, json!([]));
    let other_account = add(&app, &other, json!({"url": "https://example.com/theirs"})).await;
    assert_eq!(other_account["username"], "other");

    let reader = app.key(&[Scope::ReadWebhooks]).await;
    assert_eq!(list(&app, &reader).await, json!([added]));
    let (status, error) = update(
        &app,
        &reader,
        json!({"endpoint_id": id, "url": "https://example.com/r"}),
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        error,
        json!({"error": {"code": "INSUFFICIENT_PERMISSIONS", "message": "Required scope write:webhooks not found"}})
    );
    let (status, _) = call(&app, reqwest::Method::DELETE, &delete, Some(&reader), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    for key in [None, Some(unknown_key())] {
        let path = "/v1/webhook/endpoint.list";
        let (status, error) = call(&app, reqwest::Method::GET, path, key.as_deref(), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{error}");
        assert_eq!(error["error"]["code"], "UNAUTHORIZED");
    }
    let (status, _) = app
        .call("GET", "/v1/webhook/endpoint.list", Some(&key), None)
        .await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "the key goes in x-api-key"
    );
    assert_eq!(list(&app, &key).await, json!([added]), "nothing changed");
}

async fn bad_input_gets_a_400_naming_the_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let added = add(&app, &key, json!({"url": "https://example.com/a"})).await;
    let id = added["endpoint_id"].as_str().unwrap();
    let cases = [
        (
            json!({"url": "https://example.com/x"}),
            "endpoint_id: Field required",
        ),
        (
            json!({"endpoint_id": 5}),
            "endpoint_id: Input should be a valid string",
        ),
        (
            json!({"endpoint_id": id, "url": "http://example.com/plain"}),
            "url must be a valid URL",
        ),
        (
            json!({"endpoint_id": id, "events": "all"}),
            "events: Input should be a valid list",
        ),
        (
            json!({"endpoint_id": id, "events": ["nope"]}),
            "Invalid event type",
        ),
        (
            json!({"endpoint_id": id, "status": "disabled"}),
            "status: Extra inputs are not permitted",
        ),
    ];
    for (body, message) in cases {
        let (status, error) = update(&app, &key, body.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {error}");
        assert_eq!(
            error,
            json!({"error": {"code": "VALIDATION_ERROR", "message": message}}),
            "{body}"
        );
    }
    let response = app
        .client
        .post(app.url("/v1/webhook/endpoint.add"))
        .header("x-api-key", &key)
        .body("{\"url\": ")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["error"]["code"], "VALIDATION_ERROR");
    let (status, error) = call(
        &app,
        reqwest::Method::POST,
        "/v1/webhook/endpoint.add",
        Some(&key),
        Some(json!({"events": []})),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{error}");
    let (status, _) = call(
        &app,
        reqwest::Method::DELETE,
        "/v1/webhook/endpoint.delete",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = call(
        &app,
        reqwest::Method::GET,
        "/v1/webhook/endpoint.add",
        Some(&key),
        None,
    )
    .await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        list(&app, &key).await,
        json!([added]),
        "no refusal changed anything"
    );
}
