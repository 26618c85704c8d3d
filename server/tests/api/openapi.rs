//! `GET /openapi.json`: generated from the types, covering every REST route.

use crate::helpers::{Backend, TestApp};
use reqwest::StatusCode;
use serde_json::Value;

const ROUTES: &[(&str, &str)] = &[
    ("get", "/healthz"),
    ("get", "/readyz"),
    ("get", "/webhooks"),
    ("post", "/webhooks"),
    ("get", "/webhooks/{id}"),
    ("patch", "/webhooks/{id}"),
    ("delete", "/webhooks/{id}"),
    ("post", "/webhooks/{id}/reset-circuit"),
    ("post", "/webhooks/{id}/rotate-secret"),
    ("post", "/webhooks/{id}/test"),
    ("get", "/webhooks/{id}/deliveries"),
    ("get", "/deliveries/{id}"),
    ("post", "/deliveries/{id}/retry"),
    ("post", "/events"),
    ("get", "/companies"),
    ("post", "/companies"),
    ("get", "/api-keys"),
    ("post", "/api-keys"),
    ("delete", "/api-keys/{id}"),
    ("get", "/accounts"),
    ("post", "/accounts"),
    ("patch", "/accounts/{id}"),
    ("get", "/portal-links"),
    ("post", "/portal-links"),
    ("delete", "/portal-links/{id}"),
    ("get", "/event-types"),
    ("post", "/event-types"),
    ("delete", "/event-types/{id}"),
    ("get", "/workflows/v1/workflow-webhooks"),
    ("post", "/workflows/v1/workflow-webhooks"),
    ("get", "/workflows/v1/workflow-webhooks/{webhook_id}"),
    ("patch", "/workflows/v1/workflow-webhooks/{webhook_id}"),
    ("delete", "/workflows/v1/workflow-webhooks/{webhook_id}"),
    ("post", "/v1/webhook/endpoint.add"),
    ("get", "/v1/webhook/endpoint.list"),
    ("patch", "/v1/webhook/endpoint.update"),
    ("delete", "/v1/webhook/endpoint.delete"),
    ("get", "/v1/webhook/webhook.list"),
];

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_is_openapi_3_1_and_lists_every_route() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.get("/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert!(
        doc["openapi"].as_str().unwrap().starts_with("3.1"),
        "{}",
        doc["openapi"]
    );
    let mut operation_ids = std::collections::HashSet::<String>::new();
    for (method, path) in ROUTES {
        let operation = &doc["paths"][path][method];
        assert!(operation.is_object(), "{method} {path} is not documented");
        assert!(
            operation["responses"]
                .as_object()
                .is_some_and(|r| !r.is_empty()),
            "{method} {path} documents no response"
        );
        let id = operation["operationId"].as_str().unwrap();
        assert!(
            operation_ids.insert(id.to_owned()),
            "operationId {id} twice"
        );
    }
    let documented: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();
    assert_eq!(documented, ROUTES.len(), "an undocumented extra operation");
    assert_eq!(
        doc["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let konpro = &doc["components"]["securitySchemes"]["konpro_key"];
    assert_eq!(
        (&konpro["in"], &konpro["name"]),
        (&"header".into(), &"x-api-key".into())
    );
    for (path, tag) in [
        ("/workflows/v1/workflow-webhooks", "interactly"),
        ("/v1/webhook/endpoint.list", "konpro"),
    ] {
        let operation = doc["paths"][path]["get"].as_object().unwrap();
        assert_eq!(operation["tags"], serde_json::json!([tag]), "{path}");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_webhook_schemas_come_from_the_wire_types() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    let schemas = &doc["components"]["schemas"];
    let required: Vec<&str> = schemas["WebhookIn"]["required"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(required.contains(&"url"), "{required:?}");
    for field in ["id", "url", "events", "headers", "circuitOpenedAt"] {
        assert!(
            schemas["WebhookOut"]["properties"][field].is_object(),
            "WebhookOut lacks {field}"
        );
    }
    assert!(
        schemas["WebhookWithSecret"]
            .to_string()
            .contains("standardSecret")
    );
    assert!(schemas["ErrorEnvelope"]["properties"]["error"].is_object());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_document_needs_no_key() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.get("/openapi.json").await;
    assert_eq!(response.status(), StatusCode::OK);
}
