//! The profiles take Herald's keys as the main API does (SPEC §2, §7): a
//! key's scopes alone decide, a company key stays in its company, and a
//! refusal comes in the profile's own form, whatever the path.

use crate::helpers::{Backend, TestApp};
use crate::{interactly, konpro};
use herald_model::Scope;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    a_write_only_key_creates_edits_and_deletes_through_both_profiles,
    a_company_key_sees_and_makes_only_its_companys_webhooks,
    the_scope_is_checked_before_the_id_is_looked_up,
    the_bearer_scheme_is_read_in_any_case_and_unknown_paths_get_the_profiles_404,
);

const WORKFLOWS: &str = "/workflows/v1/workflow-webhooks";

async fn konpro_call(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    key: &str,
    body: Value,
) -> (StatusCode, Value) {
    let response = app
        .client
        .request(method, app.url(path))
        .header("x-api-key", key)
        .json(&body)
        .send()
        .await
        .unwrap();
    (response.status(), response.json().await.unwrap())
}

async fn a_write_only_key_creates_edits_and_deletes_through_both_profiles(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let writer = app.key(&[Scope::WriteWebhooks]).await;
    let body =
        json!({"name": "W", "url": "https://example.com/w", "actions": ["workflow_created"]});
    let created = interactly::create(&app, &writer, body).await;
    let path = format!("{WORKFLOWS}/{}", created["id"].as_str().unwrap());
    let (status, updated) = app
        .call(
            "PATCH",
            &path,
            Some(&writer),
            Some(json!({"max_retries": 1})),
        )
        .await;
    assert_eq!(
        (status, &updated["max_retries"]),
        (StatusCode::OK, &json!(1)),
        "{updated}"
    );
    let (status, _) = app.call("GET", &path, Some(&writer), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "reading needs read:webhooks");
    let (status, _) = app.call("DELETE", &path, Some(&writer), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);

    let added = konpro::add(&app, &writer, json!({"url": "https://example.com/k"})).await;
    let id = added["endpoint_id"].as_str().unwrap();
    let update = json!({"endpoint_id": id, "url": "https://example.com/k2"});
    let (status, updated) = konpro_call(
        &app,
        reqwest::Method::PATCH,
        "/v1/webhook/endpoint.update",
        &writer,
        update,
    )
    .await;
    assert_eq!(
        (status, &updated["url"]),
        (StatusCode::OK, &json!("https://example.com/k2"))
    );
    let (status, _) = konpro_call(
        &app,
        reqwest::Method::GET,
        "/v1/webhook/endpoint.list",
        &writer,
        Value::Null,
    )
    .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let delete = format!("/v1/webhook/endpoint.delete?endpoint_id={id}");
    let (status, deleted) =
        konpro_call(&app, reqwest::Method::DELETE, &delete, &writer, Value::Null).await;
    assert_eq!(
        (status, &deleted["url"]),
        (StatusCode::OK, &json!("https://example.com/k2"))
    );
}

async fn a_company_key_sees_and_makes_only_its_companys_webhooks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let scopes = [Scope::ReadWebhooks, Scope::WriteWebhooks];
    let account = app.key(&scopes).await;
    let acme = app.company("default", "Acme").await;
    let globex = app.company("default", "Globex").await;
    let acme_key = app.key_in("default", &scopes, Some(&acme)).await;
    let globex_key = app.key_in("default", &scopes, Some(&globex)).await;

    let global = konpro::add(&app, &account, json!({"url": "https://example.com/global"})).await;
    let theirs = konpro::add(
        &app,
        &globex_key,
        json!({"url": "https://example.com/globex"}),
    )
    .await;
    let ours = konpro::add(&app, &acme_key, json!({"url": "https://example.com/acme"})).await;
    let (_, main) = app
        .call(
            "GET",
            &format!("/webhooks/{}", ours["endpoint_id"].as_str().unwrap()),
            Some(&account),
            None,
        )
        .await;
    assert_eq!(
        main["data"]["companyId"],
        acme.as_str(),
        "made in the key's company"
    );

    let (_, list) = konpro_call(
        &app,
        reqwest::Method::GET,
        "/v1/webhook/endpoint.list",
        &acme_key,
        Value::Null,
    )
    .await;
    assert_eq!(list, json!([ours]), "neither global nor another company's");
    for other in [&global, &theirs] {
        let update = json!({"endpoint_id": other["endpoint_id"], "url": "https://evil.example/x"});
        let (status, error) = konpro_call(
            &app,
            reqwest::Method::PATCH,
            "/v1/webhook/endpoint.update",
            &acme_key,
            update,
        )
        .await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{error}");
    }
    let workflow = interactly::create(
        &app,
        &acme_key,
        json!({"name": "A", "url": "https://example.com/wf", "actions": ["workflow_created"]}),
    )
    .await;
    let (_, seen) = app.call("GET", WORKFLOWS, Some(&globex_key), None).await;
    let ids: Vec<&Value> = seen.as_array().unwrap().iter().map(|w| &w["id"]).collect();
    assert!(!ids.contains(&&workflow["id"]), "{seen}");
    let path = format!("{WORKFLOWS}/{}", workflow["id"].as_str().unwrap());
    let (status, _) = app.call("GET", &path, Some(&globex_key), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

async fn the_scope_is_checked_before_the_id_is_looked_up(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reader = app.key(&[Scope::ReadWebhooks]).await;
    let events_only = app.key(&[Scope::WriteEvents]).await;
    let unknown = format!("{WORKFLOWS}/5eb7cf5a86d9755df3a6c593");
    let (status, error) = app
        .call("PATCH", &unknown, Some(&reader), Some(json!({"name": "x"})))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert_eq!(
        error,
        json!({"detail": "Required scope write:webhooks not found"})
    );
    let (status, _) = app.call("DELETE", &unknown, Some(&reader), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, error) = app.call("GET", &unknown, Some(&events_only), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{error}");
    assert_eq!(
        error,
        json!({"detail": "Required scope read:webhooks not found"})
    );
}

async fn the_bearer_scheme_is_read_in_any_case_and_unknown_paths_get_the_profiles_404(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks]).await;
    for scheme in ["bearer", "BEARER", "Bearer"] {
        for path in [WORKFLOWS, "/webhooks"] {
            let response = app
                .client
                .get(app.url(path))
                .header("authorization", format!("{scheme} {key}"))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK, "{scheme} on {path}");
        }
    }
    let response = app
        .client
        .get(app.url(WORKFLOWS))
        .header("authorization", format!("Basic {key}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error: Value = response.json().await.unwrap();
    assert!(
        error["detail"]
            .as_str()
            .unwrap()
            .contains("Authorization: Bearer"),
        "{error}"
    );

    for path in [
        format!("{WORKFLOWS}/5eb7cf5a86d9755df3a6c593/runs"),
        "/workflows/v1/other".to_owned(),
        "/workflows/v1/".to_owned(),
    ] {
        let (status, body) = app.call("GET", &path, Some(&key), None).await;
        assert_eq!(
            (status, body),
            (StatusCode::NOT_FOUND, json!({"detail": "Not Found"})),
            "{path}"
        );
    }
    for path in ["/v1/webhook/endpoint.get", "/v1/webhook/"] {
        let (status, body) = konpro_call(&app, reqwest::Method::GET, path, &key, Value::Null).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert_eq!(
            body["error"]["code"], "RESOURCE_NOT_FOUND",
            "{path}: {body}"
        );
    }
    let (status, body) = app.call("GET", "/v1/other", Some(&key), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        body["success"], false,
        "other paths keep the main envelope: {body}"
    );
}
