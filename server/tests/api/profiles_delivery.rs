//! A webhook made through a compatibility profile is the same webhook
//! everywhere (SPEC §7): the engine delivers to it, signed as Standard
//! Webhooks verifies; the main API and the console show and edit it.

use crate::{
    delivery::publish,
    helpers::{Backend, Receiver, Reply, TestApp},
    interactly, konpro,
};
use herald_model::Scope;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use std::time::Duration;

on_both_backends!(
    an_interactly_webhook_receives_signed_events_with_its_bearer_token,
    a_konpro_endpoint_receives_signed_events_of_every_type_even_new_ones,
    a_profile_webhook_shows_and_edits_in_the_main_api_and_the_console,
);

const SCOPES: [Scope; 3] = [
    Scope::ReadWebhooks,
    Scope::WriteWebhooks,
    Scope::WriteEvents,
];
const WAIT: Duration = Duration::from_secs(10);

fn verify(secret: &str, request: &crate::helpers::receiver::Received) {
    standardwebhooks::Webhook::new(secret)
        .unwrap()
        .verify(&request.body, &request.headers)
        .expect("the signature verifies with the secret shown");
}

/// The main API's view of the account's only webhook.
async fn only_webhook(app: &TestApp, key: &str) -> Value {
    let (status, list) = app.call("GET", "/webhooks", Some(key), None).await;
    assert_eq!(status, StatusCode::OK, "{list}");
    assert_eq!(list["data"]["total"], 1, "{list}");
    list["data"]["data"][0].clone()
}

async fn an_interactly_webhook_receives_signed_events_with_its_bearer_token(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok());
    let created = interactly::create(
        &app,
        &key,
        json!({"name": "Runs", "url": receiver.url("/wf"), "actions": ["workflow_run_completed"],
               "bearer_token": "wf-token"}),
    )
    .await;
    let uuid = only_webhook(&app, &key).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    // The main API shows a secret when it is made or rotated: rotate to see it.
    let (_, rotated) = app
        .call(
            "POST",
            &format!("/webhooks/{uuid}/rotate-secret"),
            Some(&key),
            None,
        )
        .await;
    let secret = rotated["data"]["standardSecret"]
        .as_str()
        .unwrap()
        .to_owned();

    let event = json!({"type": "workflow_run_completed", "data": {"run_id": "r-1"}});
    let accepted = publish(&app, &key, event.clone()).await;
    assert_eq!(accepted["deliveries"], 1);
    let received = receiver.wait_for(1, WAIT).await;
    verify(&secret, &received[0]);
    assert_eq!(received[0].header("authorization"), "Bearer wf-token");
    assert_eq!(received[0].json()["data"], json!({"run_id": "r-1"}));

    let path = format!(
        "/workflows/v1/workflow-webhooks/{}",
        created["id"].as_str().unwrap()
    );
    let clear = json!({"clear_bearer_token": true});
    let (status, _) = app.call("PATCH", &path, Some(&key), Some(clear)).await;
    assert_eq!(status, StatusCode::OK);
    publish(&app, &key, event).await;
    let received = receiver.wait_for(2, WAIT).await;
    verify(&secret, &received[1]);
    assert!(received[1].headers.get("authorization").is_none());
}

async fn a_konpro_endpoint_receives_signed_events_of_every_type_even_new_ones(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.admin_key().await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok());
    let added = konpro::add(
        &app,
        &key,
        json!({"url": receiver.url("/kp"), "events": []}),
    )
    .await;
    let secret = added["secret"].as_str().unwrap();

    let new_type = json!({"label": "order.shipped", "description": "An order left the warehouse"});
    let (status, body) = app
        .call("POST", "/event-types", Some(&admin), Some(new_type))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let accepted = publish(
        &app,
        &key,
        json!({"type": "order.shipped", "data": {"order": 7}}),
    )
    .await;
    assert_eq!(
        accepted["deliveries"], 1,
        "a type added afterwards is delivered too"
    );
    publish(
        &app,
        &key,
        json!({"type": "video.updated", "data": {"video_id": "v"}}),
    )
    .await;
    let received = receiver.wait_for(2, WAIT).await;
    let mut types = Vec::new();
    for request in &received {
        verify(secret, request);
        types.push(request.json()["type"].as_str().unwrap().to_owned());
    }
    types.sort();
    assert_eq!(types, ["order.shipped", "video.updated"]);
}

async fn a_profile_webhook_shows_and_edits_in_the_main_api_and_the_console(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let created = interactly::create(
        &app,
        &key,
        json!({"name": "Alerts", "url": "https://example.com/wf", "actions": ["workflow_created", "workflow_deleted"],
               "bearer_token": "t", "timeout_seconds": 7, "max_retries": 2, "retry_backoff_seconds": 9, "enabled": false}),
    )
    .await;
    let main = only_webhook(&app, &key).await;
    assert_eq!(
        (
            &main["name"],
            &main["url"],
            &main["events"],
            &main["isActive"]
        ),
        (
            &json!("Alerts"),
            &json!("https://example.com/wf"),
            &json!(["workflow_created", "workflow_deleted"]),
            &json!(false)
        )
    );
    assert_eq!(
        (
            &main["timeoutMs"],
            &main["maxRetries"],
            &main["retryBackoffSeconds"]
        ),
        (&json!(7000), &json!(2), &json!(9))
    );
    assert_eq!(
        main["headers"],
        json!([{"name": "Authorization", "isMasked": true}])
    );
    let uuid = main["id"].as_str().unwrap();

    let session = format!("herald_session={}", app.sign_in(&key).await);
    let console = |name: &str, body: Value| {
        app.client
            .post(app.url(&format!("/console/fn/{name}")))
            .header(header::COOKIE, &session)
            .json(&body)
            .send()
    };
    let listed: Value = console("webhooks", json!({}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["data"][0]["id"], uuid, "{listed}");
    let shown: Value = console("webhook", json!({"id": uuid}))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["interactlyId"], created["id"], "{shown}");
    assert_eq!(shown["webhook"]["id"], uuid);
    let page = app
        .client
        .get(app.url(&format!("/console/webhooks/{uuid}")))
        .header(header::COOKIE, &session)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        page.contains(created["id"].as_str().unwrap()),
        "the page shows the Interactly id"
    );

    let edit = json!({"id": uuid, "patch": {"name": "From the console", "timeoutMs": 12000, "isActive": true}});
    let response = console("update_webhook", edit).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let path = format!(
        "/workflows/v1/workflow-webhooks/{}",
        created["id"].as_str().unwrap()
    );
    let (_, after) = app.call("GET", &path, Some(&key), None).await;
    assert_eq!(
        (
            &after["name"],
            &after["timeout_seconds"],
            &after["enabled"],
            &after["has_bearer_token"]
        ),
        (
            &json!("From the console"),
            &json!(12),
            &json!(true),
            &json!(true)
        )
    );
}
