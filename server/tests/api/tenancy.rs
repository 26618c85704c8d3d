//! Accounts, companies, API keys and the event-type catalog over REST (SPEC §2, §3).

use crate::helpers::{Backend, TestApp};
use herald_model::Scope;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    companies_are_listed_and_created_by_manage_account_keys,
    api_keys_are_shown_once_and_never_listed_in_clear,
    a_key_cannot_grant_scopes_it_does_not_hold,
    revoking_a_key_takes_effect_at_once_but_never_on_the_last_admin,
    accounts_are_for_admins_and_names_are_unique,
    the_event_type_catalog_grows_and_retires_under_admin_control,
);

fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str, message: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["message"], message, "{body}");
}

async fn companies_are_listed_and_created_by_manage_account_keys(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let manager = app.key(&[Scope::ManageAccount]).await;
    let (status, created) = app
        .call(
            "POST",
            "/companies",
            Some(&manager),
            Some(json!({"name": "Globex"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let company = created["data"].clone();
    assert_eq!(company["name"], "Globex");
    assert!(company["createdAt"].as_str().unwrap().ends_with('Z'));
    app.company("other", "Not ours").await;

    let (status, list) = app.call("GET", "/companies", Some(&manager), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["data"], json!({"data": [company.clone()], "total": 1}));

    let reader = app.key(&[Scope::ReadWebhooks]).await;
    let (status, body) = app.call("GET", "/companies", Some(&reader), None).await;
    assert_error(
        status,
        &body,
        StatusCode::FORBIDDEN,
        "INSUFFICIENT_PERMISSIONS",
        "Required scope manage:account not found",
    );
    let (status, body) = app
        .call(
            "POST",
            "/companies",
            Some(&manager),
            Some(json!({"name": ""})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["details"]["field"], "name");

    let company_id = company["id"].as_str().unwrap();
    let restricted = app
        .key_in("default", &[Scope::ManageAccount], Some(company_id))
        .await;
    let (status, body) = app
        .call(
            "POST",
            "/companies",
            Some(&restricted),
            Some(json!({"name": "More"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "RESOURCE_ACCESS_DENIED");
}

async fn api_keys_are_shown_once_and_never_listed_in_clear(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let manager = app.key(&[Scope::ManageAccount, Scope::ReadWebhooks]).await;
    let body = json!({"name": "ci", "scopes": ["read:webhooks"]});
    let (status, created) = app
        .call("POST", "/api-keys", Some(&manager), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let created = &created["data"];
    let key = created["key"].as_str().unwrap();
    assert!(key.starts_with("sk_") && key.len() == 67);
    assert_eq!(created["prefix"], &key[..11]);
    assert_eq!(created["scopes"], json!(["read:webhooks"]));
    assert_eq!(created["revokedAt"], Value::Null);
    let (status, _) = app.call("GET", "/webhooks", Some(key), None).await;
    assert_eq!(status, StatusCode::OK, "the new key works at once");

    let (_, list) = app.call("GET", "/api-keys", Some(&manager), None).await;
    assert_eq!(list["data"]["total"], 2);
    let text = list.to_string();
    assert!(
        !text.contains(&key[11..]),
        "a listed key shows only its prefix"
    );
    assert!(
        list["data"]["data"]
            .as_array()
            .unwrap()
            .iter()
            .all(|k| k.get("key").is_none())
    );

    let (status, body) = app
        .call(
            "POST",
            "/api-keys",
            Some(&manager),
            Some(json!({"name": "x", "scopes": ["read:everything"]})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["error"]["details"]["field"], "scopes[0]");
}

async fn a_key_cannot_grant_scopes_it_does_not_hold(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let manager = app.key(&[Scope::ManageAccount, Scope::ReadWebhooks]).await;
    for scope in ["write:webhooks", "admin"] {
        let body = json!({"name": "escalate", "scopes": ["read:webhooks", scope]});
        let (status, body) = app
            .call("POST", "/api-keys", Some(&manager), Some(body))
            .await;
        let message = format!("Cannot grant scope {scope}: the calling API key does not hold it");
        assert_error(
            status,
            &body,
            StatusCode::FORBIDDEN,
            "INSUFFICIENT_PERMISSIONS",
            &message,
        );
    }
    let admin = app.key(&[Scope::Admin]).await;
    let body = json!({"name": "second admin", "scopes": ["admin"]});
    let (status, _) = app
        .call("POST", "/api-keys", Some(&admin), Some(body))
        .await;
    assert_eq!(
        status,
        StatusCode::CREATED,
        "admin implies every scope, admin included"
    );
}

async fn revoking_a_key_takes_effect_at_once_but_never_on_the_last_admin(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_key().await;
    let (_, created) = app
        .call(
            "POST",
            "/api-keys",
            Some(&admin),
            Some(json!({"name": "temp", "scopes": ["read:webhooks"]})),
        )
        .await;
    let (key, id) = (
        created["data"]["key"].as_str().unwrap(),
        created["data"]["id"].as_str().unwrap(),
    );
    let (status, body) = app
        .call("DELETE", &format!("/api-keys/{id}"), Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT, "{body}");
    let (status, _) = app.call("GET", "/webhooks", Some(key), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (_, list) = app.call("GET", "/api-keys", Some(&admin), None).await;
    let revoked = list["data"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|k| k["id"] == id)
        .unwrap()
        .clone();
    assert!(revoked["revokedAt"].is_string());

    let admin_id = app.service.authenticate(&admin).await.unwrap().key_id;
    let (status, body) = app
        .call(
            "DELETE",
            &format!("/api-keys/{admin_id}"),
            Some(&admin),
            None,
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::CONFLICT,
        "CONFLICT",
        "The last admin API key cannot be revoked",
    );

    let other = app.key_in("other", &[Scope::ManageAccount], None).await;
    let (status, body) = app
        .call(
            "DELETE",
            &format!("/api-keys/{admin_id}"),
            Some(&other),
            None,
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::FORBIDDEN,
        "RESOURCE_ACCESS_DENIED",
        "Access denied to this API key",
    );
    let unknown = uuid::Uuid::new_v4();
    let (status, body) = app
        .call(
            "DELETE",
            &format!("/api-keys/{unknown}"),
            Some(&admin),
            None,
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        "API key not found",
    );
}

async fn accounts_are_for_admins_and_names_are_unique(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_key().await;
    let (status, created) = app
        .call(
            "POST",
            "/accounts",
            Some(&admin),
            Some(json!({"name": "Initech"})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["data"]["name"], "Initech");
    let (_, list) = app.call("GET", "/accounts", Some(&admin), None).await;
    assert_eq!(list["data"]["total"], 2);
    assert_eq!(list["data"]["data"][0]["name"], "Initech", "newest first");
    let (status, body) = app
        .call(
            "POST",
            "/accounts",
            Some(&admin),
            Some(json!({"name": "Initech"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::CONFLICT,
        "CONFLICT",
        "An account named Initech already exists",
    );
    let manager = app.key(&[Scope::ManageAccount]).await;
    let (status, body) = app.call("GET", "/accounts", Some(&manager), None).await;
    assert_error(
        status,
        &body,
        StatusCode::FORBIDDEN,
        "INSUFFICIENT_PERMISSIONS",
        "Required scope admin not found",
    );
}

async fn the_event_type_catalog_grows_and_retires_under_admin_control(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_key().await;
    let writer = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let (status, catalog) = app.call("GET", "/event-types", Some(&writer), None).await;
    assert_eq!(status, StatusCode::OK);
    let labels: Vec<&str> = catalog["data"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["label"].as_str().unwrap())
        .collect();
    assert_eq!(
        labels,
        [
            "analysis.completed",
            "analysis.failed",
            "ping",
            "interview.completed",
            "interview.failed",
            "interview.started",
            "workflow_created",
            "workflow_updated",
            "workflow_deleted",
            "workflow_run_started",
            "workflow_run_completed",
            "video.updated",
            "avatar.deleted",
        ]
    );
    assert_eq!(catalog["data"]["data"][2]["id"], 2);

    let body = json!({"label": "candidate.hired", "description": "A candidate was hired", "examplePayload": {"candidateId": "c1"}});
    let (status, added) = app
        .call("POST", "/event-types", Some(&admin), Some(body.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{added}");
    assert_eq!(added["data"]["id"], 13, "the next free id");
    assert_eq!(
        added["data"]["examplePayload"],
        json!({"candidateId": "c1"})
    );
    let (status, body) = app
        .call("POST", "/event-types", Some(&admin), Some(body))
        .await;
    assert_error(
        status,
        &body,
        StatusCode::CONFLICT,
        "CONFLICT",
        "Event type candidate.hired already exists",
    );
    let (status, body) = app
        .call(
            "POST",
            "/event-types",
            Some(&writer),
            Some(json!({"label": "x", "description": "y"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::FORBIDDEN,
        "INSUFFICIENT_PERMISSIONS",
        "Required scope admin not found",
    );
    let (status, body) = app
        .call(
            "POST",
            "/event-types",
            Some(&admin),
            Some(json!({"label": "Bad Label", "description": "y"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["details"]["field"], "label");

    let hook = json!({"url": "https://a.example/h", "events": ["candidate.hired", 13]});
    let (status, created) = app
        .call("POST", "/webhooks", Some(&writer), Some(hook.clone()))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let (status, _) = app
        .call("DELETE", "/event-types/13", Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, body) = app
        .call("POST", "/webhooks", Some(&writer), Some(hook))
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a retired type takes no new subscriptions"
    );
    assert_eq!(body["error"]["message"], "Invalid event type");
    let id = created["data"]["id"].as_str().unwrap();
    let (_, kept) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&writer), None)
        .await;
    assert_eq!(
        kept["data"]["events"],
        json!(["candidate.hired"]),
        "existing subscriptions stay"
    );
    let (status, body) = app
        .call("DELETE", "/event-types/99", Some(&admin), None)
        .await;
    assert_error(
        status,
        &body,
        StatusCode::NOT_FOUND,
        "RESOURCE_NOT_FOUND",
        "Event type not found",
    );
}
