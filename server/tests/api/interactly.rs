//! The Interactly profile (SPEC §7.1): the document's example as printed,
//! the sibling routes, every range edge, and FastAPI's error forms.

use crate::helpers::{Backend, TestApp, curl_answers, unknown_key};
use herald_model::Scope;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    the_documents_curl_example_gets_the_documented_answer,
    create_list_get_and_delete_work_on_the_24_hex_id,
    every_range_edge_is_held_and_a_refusal_changes_nothing,
    null_leaves_fields_unchanged_and_the_bearer_token_can_be_cleared,
    keys_scopes_and_ownership_are_checked,
    malformed_bodies_and_ids_get_a_422_naming_the_place,
);

const COLLECTION: &str = "/workflows/v1/workflow-webhooks";
const FIELDS: [&str; 9] = [
    "id",
    "name",
    "url",
    "actions",
    "enabled",
    "has_bearer_token",
    "timeout_seconds",
    "max_retries",
    "retry_backoff_seconds",
];

fn path(id: &str) -> String {
    format!("{COLLECTION}/{id}")
}

/// Creates a workflow webhook through the profile; returns its answer.
pub async fn create(app: &TestApp, key: &str, body: Value) -> Value {
    let (status, created) = app.call("POST", COLLECTION, Some(key), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created
}

fn minimal() -> Value {
    json!({"name": "Alerts", "url": "https://example.com/hooks/wf", "actions": ["workflow_created"]})
}

fn assert_exact_fields(webhook: &Value) {
    let mut keys: Vec<&str> = webhook
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    let mut expected = FIELDS.to_vec();
    expected.sort_unstable();
    assert_eq!(keys, expected, "{webhook}");
    let id = webhook["id"].as_str().unwrap();
    assert!(
        id.len() == 24
            && id
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
        "{id}"
    );
}

async fn the_documents_curl_example_gets_the_documented_answer(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let existing = create(&app, &key, minimal()).await;
    let webhook_id = existing["id"].as_str().unwrap();
    let answers = curl_answers(
        "interactly_curl.sh",
        &[
            ("HERALD_URL", &app.address),
            ("HERALD_API_KEY", &key),
            ("WEBHOOK_ID", webhook_id),
        ],
    )
    .await;
    let [(refused_status, refused), (status, updated)] = answers.as_slice() else {
        panic!("two answers expected: {answers:?}");
    };

    // As printed, "<string>" is no URL: refused.
    assert_eq!(
        *refused_status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{refused}"
    );
    assert_eq!(
        refused,
        &json!({"detail": [{"loc": ["body", "url"], "msg": "Value error, url must be a valid URL", "type": "value_error"}]})
    );
    assert_eq!(*status, StatusCode::OK, "{updated}");
    assert_exact_fields(updated);
    assert_eq!(
        updated,
        &json!({
            "id": webhook_id,
            "name": "Workflow alerts",
            "url": "https://example.com/hooks/workflows",
            "actions": ["workflow_created"],
            "enabled": true,
            "has_bearer_token": true,
            "timeout_seconds": 30,
            "max_retries": 5,
            "retry_backoff_seconds": 150
        })
    );
}

async fn create_list_get_and_delete_work_on_the_24_hex_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let first = create(&app, &key, minimal()).await;
    assert_exact_fields(&first);
    assert_eq!(
        (&first["enabled"], &first["has_bearer_token"]),
        (&json!(true), &json!(false))
    );
    assert_eq!(
        (
            &first["timeout_seconds"],
            &first["max_retries"],
            &first["retry_backoff_seconds"]
        ),
        (&json!(30), &json!(3), &json!(30)),
        "Herald's defaults"
    );
    let second = create(
        &app,
        &key,
        json!({"name": "Runs", "url": "https://example.com/hooks/runs", "enabled": false,
               "actions": ["workflow_run_started", "workflow_run_completed"], "bearer_token": "t",
               "timeout_seconds": 5, "max_retries": 0, "retry_backoff_seconds": 1}),
    )
    .await;
    assert_eq!(
        (
            &second["enabled"],
            &second["has_bearer_token"],
            &second["timeout_seconds"]
        ),
        (&json!(false), &json!(true), &json!(5))
    );

    let (status, list) = app.call("GET", COLLECTION, Some(&key), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list, json!([second, first]), "a bare array, newest first");

    let id = first["id"].as_str().unwrap();
    let (status, got) = app.call("GET", &path(id), Some(&key), None).await;
    assert_eq!((status, &got), (StatusCode::OK, &first));

    let (status, body) = app.call("DELETE", &path(id), Some(&key), None).await;
    assert_eq!((status, body), (StatusCode::NO_CONTENT, Value::Null));
    let (status, body) = app.call("GET", &path(id), Some(&key), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body, json!({"detail": "Workflow webhook not found"}));
    let (_, list) = app.call("GET", COLLECTION, Some(&key), None).await;
    assert_eq!(list, json!([second]));
}

async fn every_range_edge_is_held_and_a_refusal_changes_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let created = create(&app, &key, minimal()).await;
    let id = created["id"].as_str().unwrap();
    let long = |n: usize| "n".repeat(n);
    let accepted = [
        json!({"timeout_seconds": 1}),
        json!({"timeout_seconds": 60}),
        json!({"max_retries": 0}),
        json!({"max_retries": 10}),
        json!({"retry_backoff_seconds": 1}),
        json!({"retry_backoff_seconds": 300}),
        json!({"name": long(1)}),
        json!({"name": long(150)}),
        json!({"bearer_token": "t".repeat(2000)}),
    ];
    for body in accepted {
        let (status, updated) = app
            .call("PATCH", &path(id), Some(&key), Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::OK, "{body}: {updated}");
        let (field, value) = body.as_object().unwrap().iter().next().unwrap();
        if field == "bearer_token" {
            assert_eq!(updated["has_bearer_token"], true);
        } else {
            assert_eq!(&updated[field], value, "{body}");
        }
    }
    let (_, before) = app.call("GET", &path(id), Some(&key), None).await;
    let refused = [
        (
            json!({"timeout_seconds": 0}),
            "timeout_seconds",
            "greater_than_equal",
        ),
        (
            json!({"timeout_seconds": 61}),
            "timeout_seconds",
            "less_than_equal",
        ),
        (json!({"max_retries": 11}), "max_retries", "less_than_equal"),
        (
            json!({"max_retries": -1}),
            "max_retries",
            "greater_than_equal",
        ),
        (
            json!({"retry_backoff_seconds": 0}),
            "retry_backoff_seconds",
            "greater_than_equal",
        ),
        (
            json!({"retry_backoff_seconds": 301}),
            "retry_backoff_seconds",
            "less_than_equal",
        ),
        (json!({"name": long(0)}), "name", "string_too_short"),
        (json!({"name": long(151)}), "name", "string_too_long"),
        (
            json!({"bearer_token": "t".repeat(2001)}),
            "bearer_token",
            "string_too_long",
        ),
        (
            json!({"bearer_token": "a\r\nb"}),
            "bearer_token",
            "value_error",
        ),
        (
            json!({"url": "http://example.com/plain"}),
            "url",
            "value_error",
        ),
        (
            json!({"actions": ["no.such.type"]}),
            "actions",
            "value_error",
        ),
        (json!({"actions": []}), "actions", "value_error"),
    ];
    for (body, field, kind) in refused {
        let (status, error) = app
            .call("PATCH", &path(id), Some(&key), Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        assert_eq!(
            error["detail"][0]["loc"],
            json!(["body", field]),
            "{body}: {error}"
        );
        assert_eq!(error["detail"][0]["type"], kind, "{body}: {error}");
        assert!(error["detail"][0]["msg"].is_string());
    }
    let mut too_long = minimal();
    too_long["name"] = json!(long(151));
    let (status, _) = app
        .call("POST", COLLECTION, Some(&key), Some(too_long))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let (_, after) = app.call("GET", &path(id), Some(&key), None).await;
    assert_eq!(after, before, "no refusal changed anything");
    let (_, list) = app.call("GET", COLLECTION, Some(&key), None).await;
    assert_eq!(
        list.as_array().unwrap().len(),
        1,
        "no refused create was stored"
    );
}

async fn null_leaves_fields_unchanged_and_the_bearer_token_can_be_cleared(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let mut body = minimal();
    body["bearer_token"] = json!("first");
    body["timeout_seconds"] = json!(12);
    let created = create(&app, &key, body).await;
    let id = created["id"].as_str().unwrap();
    let nulls = json!({"name": null, "url": null, "actions": null, "enabled": null,
        "bearer_token": null, "timeout_seconds": null, "max_retries": null,
        "retry_backoff_seconds": null});
    let (status, same) = app.call("PATCH", &path(id), Some(&key), Some(nulls)).await;
    assert_eq!((status, &same), (StatusCode::OK, &created));
    let (_, same) = app
        .call("PATCH", &path(id), Some(&key), Some(json!({})))
        .await;
    assert_eq!(same, created);

    let clear = json!({"clear_bearer_token": true});
    let (status, cleared) = app.call("PATCH", &path(id), Some(&key), Some(clear)).await;
    assert_eq!(status, StatusCode::OK, "{cleared}");
    assert_eq!(cleared["has_bearer_token"], false);
    assert_eq!(cleared["timeout_seconds"], 12, "nothing else changed");
    let both = json!({"bearer_token": "x", "clear_bearer_token": true});
    let (status, error) = app.call("PATCH", &path(id), Some(&key), Some(both)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        error["detail"][0]["loc"],
        json!(["body", "clear_bearer_token"])
    );
}

async fn keys_scopes_and_ownership_are_checked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let created = create(&app, &key, minimal()).await;
    let id = created["id"].as_str().unwrap();

    let other = app
        .key_in("other", &[Scope::ReadWebhooks, Scope::WriteWebhooks], None)
        .await;
    for (method, body) in [
        ("GET", None),
        ("PATCH", Some(json!({"name": "x"}))),
        ("DELETE", None),
    ] {
        let (status, error) = app.call(method, &path(id), Some(&other), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method}: {error}");
        assert_eq!(error, json!({"detail": "Workflow webhook not found"}));
    }
    let (_, theirs) = app.call("GET", COLLECTION, Some(&other), None).await;
    assert_eq!(theirs, json!([]));

    let reader = app.key(&[Scope::ReadWebhooks]).await;
    let (status, got) = app.call("GET", &path(id), Some(&reader), None).await;
    assert_eq!((status, &got), (StatusCode::OK, &created));
    let (status, error) = app
        .call(
            "PATCH",
            &path(id),
            Some(&reader),
            Some(json!({"name": "x"})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        error,
        json!({"detail": "Required scope write:webhooks not found"})
    );
    let (status, _) = app.call("DELETE", &path(id), Some(&reader), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (status, _) = app
        .call("POST", COLLECTION, Some(&reader), Some(minimal()))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    for key in [None, Some(unknown_key())] {
        let (status, error) = app.call("GET", COLLECTION, key.as_deref(), None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{error}");
        assert!(error["detail"].is_string(), "{error}");
    }
    let (_, after) = app.call("GET", &path(id), Some(&key), None).await;
    assert_eq!(after, created, "no refused call changed it");
}

async fn malformed_bodies_and_ids_get_a_422_naming_the_place(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let raw = |method: reqwest::Method, url: String, body: &'static str| {
        app.client
            .request(method, url)
            .bearer_auth(&key)
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let response = raw(reqwest::Method::POST, app.url(COLLECTION), "{\"name\": ")
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["detail"][0]["type"], "json_invalid", "{error}");
    assert_eq!(error["detail"][0]["loc"], json!(["body"]));

    let wrong_types = json!({"name": 5, "url": "https://a.io", "actions": "workflow_created",
        "enabled": "yes", "timeout_seconds": "30", "colour": "red"});
    let (status, error) = app
        .call("POST", COLLECTION, Some(&key), Some(wrong_types))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let places: Vec<(Value, Value)> = error["detail"]
        .as_array()
        .unwrap()
        .iter()
        .map(|issue| (issue["loc"].clone(), issue["type"].clone()))
        .collect();
    assert_eq!(
        places,
        [
            (json!(["body", "name"]), json!("string_type")),
            (json!(["body", "actions"]), json!("list_type")),
            (json!(["body", "enabled"]), json!("bool_type")),
            (json!(["body", "timeout_seconds"]), json!("int_type")),
            (json!(["body", "colour"]), json!("extra_forbidden")),
        ]
    );

    for bad in [
        "webhook_id",
        "5EB7CF5A86D9755DF3A6C593",
        "5eb7cf5a86d9755df3a6c59",
        "0000",
    ] {
        let (status, error) = app.call("GET", &path(bad), Some(&key), None).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {error}");
        assert_eq!(error["detail"][0]["loc"], json!(["path", "webhook_id"]));
        assert_eq!(error["detail"][0]["type"], "string_pattern_mismatch");
    }
    let (status, error) = app
        .call("GET", &path("5eb7cf5a86d9755df3a6c593"), Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{error}");

    let huge = "x".repeat(1024 * 1024 + 1);
    let response = app
        .client
        .post(app.url(COLLECTION))
        .bearer_auth(&key)
        .body(huge)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error: Value = response.json().await.unwrap();
    assert!(error["detail"].is_string());
    let response = app
        .client
        .put(app.url(COLLECTION))
        .bearer_auth(&key)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
}
