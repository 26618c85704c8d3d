//! The delivery engine end to end: a real receiver on loopback, a real
//! database, the worker running as in `herald serve`.

use crate::helpers::{Backend, Receiver, Reply, TestApp};
use herald_model::Scope;
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::Duration;

on_both_backends!(
    a_published_event_arrives_signed_as_the_reference_library_verifies,
    events_go_only_to_matching_webhooks,
    an_idempotency_key_answers_the_same_and_refuses_another_body,
    retries_keep_the_id_and_body_and_back_off_then_fail,
    a_longer_retry_after_is_honoured,
    a_410_deactivates_the_webhook_and_stops_retries,
    redirects_are_never_followed,
    the_circuit_opens_holds_and_releases_on_reset,
    deleting_a_webhook_cancels_its_pending_deliveries,
    a_slow_receiver_does_not_delay_a_fast_one,
    the_delivery_log_shows_attempts_with_masked_headers_and_retries_by_hand,
    bad_event_input_gets_the_envelope,
);

const SCOPES: [Scope; 4] = [
    Scope::ReadWebhooks,
    Scope::WriteWebhooks,
    Scope::WriteEvents,
    Scope::ReadDeliveries,
];
const WAIT: Duration = Duration::from_secs(10);
/// Longer than the worker's idle poll (1 s): whatever is due has gone out
/// by then, so a request that should not come would have.
const QUIET: Duration = Duration::from_millis(1500);

/// Creates a webhook; returns its id and its `whsec_` secret.
pub async fn webhook(app: &TestApp, key: &str, body: Value) -> (String, String) {
    let (status, created) = app.call("POST", "/webhooks", Some(key), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let data = &created["data"];
    (
        data["id"].as_str().unwrap().to_owned(),
        data["standardSecret"].as_str().unwrap().to_owned(),
    )
}

pub async fn publish(app: &TestApp, key: &str, body: Value) -> Value {
    let (status, answer) = app.call("POST", "/events", Some(key), Some(body)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
    answer["data"].clone()
}

/// Polls the delivery log until `done` holds for the webhook's deliveries.
async fn deliveries_until(
    app: &TestApp,
    key: &str,
    webhook: &str,
    done: impl Fn(&[Value]) -> bool,
) -> Vec<Value> {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let (status, list) = app
            .call(
                "GET",
                &format!("/webhooks/{webhook}/deliveries"),
                Some(key),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{list}");
        let rows = list["data"]["data"].as_array().unwrap().clone();
        if done(&rows) {
            return rows;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "deliveries never got there: {rows:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn all_in(status: &'static str) -> impl Fn(&[Value]) -> bool {
    move |rows| !rows.is_empty() && rows.iter().all(|row| row["status"] == status)
}

async fn a_published_event_arrives_signed_as_the_reference_library_verifies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    let (id, secret) = webhook(
        &app,
        &key,
        json!({"url": receiver.url("/hook"), "events": ["interview.completed"],
               "headers": [{"name": "Authorization", "value": "Bearer inner"}, {"name": "X-Source", "value": "herald"}]}),
    )
    .await;
    let accepted = publish(
        &app,
        &key,
        json!({"type": "interview.completed", "data": {"interviewId": "i-1"}}),
    )
    .await;
    assert_eq!(accepted["deliveries"], 1);
    let event_id = accepted["id"].as_str().unwrap();

    let received = receiver.wait_for(1, WAIT).await;
    let request = &received[0];
    assert_eq!(request.path, "/hook");
    let verifier = standardwebhooks::Webhook::new(&secret).unwrap();
    verifier
        .verify(&request.body, &request.headers)
        .expect("the signature verifies");
    assert_eq!(request.header("webhook-id"), event_id);
    assert_eq!(request.header("content-type"), "application/json");
    assert!(request.header("user-agent").starts_with("Herald/"));
    assert_eq!(
        request.header("authorization"),
        "Bearer inner",
        "custom headers decrypted at send time"
    );
    assert_eq!(request.header("x-source"), "herald");
    let body = request.json();
    assert_eq!(body["id"], event_id);
    assert_eq!(body["type"], "interview.completed");
    assert_eq!(body["companyId"], Value::Null);
    assert_eq!(body["data"], json!({"interviewId": "i-1"}));
    assert!(body["timestamp"].as_str().unwrap().ends_with('Z'));
    deliveries_until(&app, &key, &id, all_in("succeeded")).await;
}

async fn events_go_only_to_matching_webhooks(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let acme = app.company("default", "Acme").await;
    let globex = app.company("default", "Globex").await;
    let receiver = Receiver::start().await;
    let url = |path: &str| receiver.url(path);
    webhook(&app, &key, json!({"url": url("/global"), "events": [3]})).await;
    webhook(
        &app,
        &key,
        json!({"url": url("/acme"), "events": [3], "companyId": acme}),
    )
    .await;
    webhook(
        &app,
        &key,
        json!({"url": url("/globex"), "events": [3], "companyId": globex}),
    )
    .await;
    webhook(&app, &key, json!({"url": url("/all"), "events": ["*"]})).await;
    webhook(
        &app,
        &key,
        json!({"url": url("/other-type"), "events": [0]}),
    )
    .await;
    webhook(
        &app,
        &key,
        json!({"url": url("/inactive"), "events": [3], "isActive": false}),
    )
    .await;
    let other_account = app.key_in("other", &SCOPES, None).await;
    webhook(
        &app,
        &other_account,
        json!({"url": url("/other-account"), "events": [3]}),
    )
    .await;

    let accepted = publish(
        &app,
        &key,
        json!({"type": 3, "companyId": acme, "data": {}}),
    )
    .await;
    assert_eq!(accepted["deliveries"], 3, "global, acme and all");
    let received = receiver.wait_for(3, WAIT).await;
    receiver.expect_no_more_than(3, QUIET).await;
    let mut paths: Vec<&str> = received.iter().map(|r| r.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(paths, ["/acme", "/all", "/global"]);

    let accepted = publish(
        &app,
        &key,
        json!({"type": "interview.completed", "data": {}}),
    )
    .await;
    assert_eq!(
        accepted["deliveries"], 2,
        "an event of no company reaches global webhooks only"
    );
}

async fn an_idempotency_key_answers_the_same_and_refuses_another_body(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    webhook(
        &app,
        &key,
        json!({"url": receiver.url("/h"), "events": [3]}),
    )
    .await;
    let body = json!({"type": 3, "data": {"n": 1}, "idempotencyKey": "order-17"});
    let first = publish(&app, &key, body.clone()).await;
    let again = publish(&app, &key, body).await;
    assert_eq!(first, again, "the first answer, again");
    receiver.wait_for(1, WAIT).await;
    receiver.expect_no_more_than(1, QUIET).await;

    let (status, answer) = app
        .call(
            "POST",
            "/events",
            Some(&key),
            Some(json!({"type": 3, "data": {"n": 2}, "idempotencyKey": "order-17"})),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(answer["error"]["code"], "CONFLICT");
    assert_eq!(
        answer["error"]["message"],
        "idempotencyKey was already used with a different request"
    );

    let other = app.key_in("other", &SCOPES, None).await;
    let (status, _) = app
        .call(
            "POST",
            "/events",
            Some(&other),
            Some(json!({"type": 3, "data": {"n": 2}, "idempotencyKey": "order-17"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::ACCEPTED,
        "keys are scoped to the account"
    );
}

async fn retries_keep_the_id_and_body_and_back_off_then_fail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.always(Reply::status(500).body("down"));
    let (id, _) = webhook(
        &app,
        &key,
        json!({"url": receiver.url("/h"), "events": [3], "maxRetries": 2, "retryBackoffSeconds": 1}),
    )
    .await;
    publish(&app, &key, json!({"type": 3, "data": {"x": 1}})).await;
    let received = receiver.wait_for(3, WAIT).await;
    assert!(
        received.iter().all(|r| r.body == received[0].body),
        "the same bytes on every attempt"
    );
    assert!(
        received
            .iter()
            .all(|r| r.header("webhook-id") == received[0].header("webhook-id"))
    );
    let first_wait = received[1].at - received[0].at;
    let second_wait = received[2].at - received[1].at;
    assert!(
        (Duration::from_millis(750)..Duration::from_millis(1700)).contains(&first_wait),
        "first retry after {first_wait:?}, expected 1 s ± 20 %"
    );
    assert!(
        (Duration::from_millis(1550)..Duration::from_millis(2900)).contains(&second_wait),
        "second retry after {second_wait:?}, expected 2 s ± 20 %"
    );
    let rows = deliveries_until(&app, &key, &id, all_in("failed")).await;
    assert_eq!(rows[0]["attemptCount"], 3);
    assert_eq!(rows[0]["lastHttpStatus"], 500);
    receiver.expect_no_more_than(3, QUIET).await;
}

async fn a_longer_retry_after_is_honoured(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.next([Reply::status(503).header("retry-after", "3")]);
    let (id, _) = webhook(
        &app,
        &key,
        json!({"url": receiver.url("/h"), "events": [3], "retryBackoffSeconds": 1}),
    )
    .await;
    publish(&app, &key, json!({"type": 3, "data": {}})).await;
    let received = receiver.wait_for(2, WAIT).await;
    let waited = received[1].at - received[0].at;
    assert!(
        (Duration::from_millis(2900)..Duration::from_millis(4500)).contains(&waited),
        "retried after {waited:?}, Retry-After said 3 s"
    );
    deliveries_until(&app, &key, &id, all_in("succeeded")).await;
}

async fn a_410_deactivates_the_webhook_and_stops_retries(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.always(Reply::status(410));
    let (id, _) = webhook(
        &app,
        &key,
        json!({"url": receiver.url("/h"), "events": [3], "retryBackoffSeconds": 1}),
    )
    .await;
    publish(&app, &key, json!({"type": 3, "data": {}})).await;
    receiver.wait_for(1, WAIT).await;
    deliveries_until(&app, &key, &id, all_in("failed")).await;
    let (_, hook) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(hook["data"]["isActive"], false);
    let reason = hook["data"]["disabledReason"].as_str().unwrap();
    assert!(reason.contains("410 Gone"), "{reason}");
    assert_eq!(
        hook["data"]["consecutiveFailures"], 0,
        "a 410 is not a circuit failure"
    );
    receiver
        .expect_no_more_than(1, Duration::from_millis(1500))
        .await;
    let accepted = publish(&app, &key, json!({"type": 3, "data": {}})).await;
    assert_eq!(
        accepted["deliveries"], 0,
        "an inactive webhook takes no new events"
    );
}

async fn redirects_are_never_followed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.always(Reply::status(302).header("location", &receiver.url("/elsewhere")));
    let (id, _) = webhook(
        &app,
        &key,
        json!({"url": receiver.url("/h"), "events": [2, 3], "maxRetries": 0}),
    )
    .await;
    let (_, answer) = app
        .call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
        .await;
    assert_eq!(answer["data"]["success"], false);
    assert_eq!(answer["data"]["httpStatus"], 302);
    assert_eq!(
        answer["data"]["message"],
        "Webhook test failed: HTTP 302 (redirects are not followed)"
    );
    publish(&app, &key, json!({"type": 3, "data": {}})).await;
    deliveries_until(&app, &key, &id, all_in("failed")).await;
    let received = receiver.received();
    assert_eq!(received.len(), 2);
    assert!(
        received.iter().all(|r| r.path == "/h"),
        "nothing went to the redirect target"
    );
}

async fn the_circuit_opens_holds_and_releases_on_reset(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| settings.circuit_threshold = 2).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.always(Reply::status(500));
    let (id, _) = webhook(
        &app,
        &key,
        json!({"url": receiver.url("/h"), "events": [3], "maxRetries": 0}),
    )
    .await;
    publish(&app, &key, json!({"type": 3, "data": {"n": 1}})).await;
    receiver.wait_for(1, WAIT).await;
    deliveries_until(&app, &key, &id, all_in("failed")).await;
    publish(&app, &key, json!({"type": 3, "data": {"n": 2}})).await;
    receiver.wait_for(2, WAIT).await;
    deliveries_until(&app, &key, &id, all_in("failed")).await;
    let (_, hook) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(hook["data"]["consecutiveFailures"], 2);
    assert!(hook["data"]["circuitOpenedAt"].is_string(), "{hook}");

    receiver.always(Reply::ok());
    publish(&app, &key, json!({"type": 3, "data": {"n": 3}})).await;
    deliveries_until(&app, &key, &id, |rows| {
        rows.iter().any(|row| row["status"] == "held")
    })
    .await;
    receiver.expect_no_more_than(2, QUIET).await;

    let (status, reset) = app
        .call(
            "POST",
            &format!("/webhooks/{id}/reset-circuit"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reset["data"]["circuitOpenedAt"], Value::Null);
    assert_eq!(reset["data"]["consecutiveFailures"], 0);
    let received = receiver.wait_for(3, WAIT).await;
    assert_eq!(
        received[2].json()["data"],
        json!({"n": 3}),
        "the held delivery goes out"
    );
    deliveries_until(&app, &key, &id, |rows| {
        rows.iter().any(|row| row["status"] == "succeeded")
    })
    .await;
}

async fn deleting_a_webhook_cancels_its_pending_deliveries(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.always(Reply::status(500));
    let (id, _) = webhook(
        &app,
        &key,
        json!({"url": receiver.url("/h"), "events": [3], "retryBackoffSeconds": 300}),
    )
    .await;
    let event = publish(&app, &key, json!({"type": 3, "data": {}})).await;
    receiver.wait_for(1, WAIT).await;
    deliveries_until(&app, &key, &id, all_in("pending")).await;
    let (status, _) = app
        .call("DELETE", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let statuses = delivery_statuses(&app, event["id"].as_str().unwrap()).await;
    assert_eq!(statuses, ["cancelled"]);
}

async fn delivery_statuses(app: &TestApp, event_id: &str) -> Vec<String> {
    const SQL: &str = "SELECT status FROM deliveries WHERE event_id = $1";
    let rows: Vec<(String,)> = match &app.db {
        herald_store::Db::Sqlite(pools) => sqlx::query_as(SQL)
            .bind(event_id)
            .fetch_all(&pools.reads)
            .await
            .unwrap(),
        herald_store::Db::Postgres(pool) => sqlx::query_as(SQL)
            .bind(event_id)
            .fetch_all(pool)
            .await
            .unwrap(),
    };
    rows.into_iter().map(|(status,)| status).collect()
}

async fn a_slow_receiver_does_not_delay_a_fast_one(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let slow = Receiver::start().await;
    slow.always(Reply::ok().after(Duration::from_secs(3)));
    let fast = Receiver::start().await;
    webhook(&app, &key, json!({"url": slow.url("/slow"), "events": [3]})).await;
    webhook(&app, &key, json!({"url": fast.url("/fast"), "events": [3]})).await;
    let started = std::time::Instant::now();
    for n in 0..10 {
        publish(&app, &key, json!({"type": 3, "data": {"n": n}})).await;
    }
    fast.wait_for(10, WAIT).await;
    let took = started.elapsed();
    assert!(
        took < Duration::from_secs(2),
        "the fast receiver waited {took:?} behind the slow one"
    );
    assert!(
        slow.peak_concurrency() <= 8,
        "per-webhook concurrency limit"
    );
}

async fn the_delivery_log_shows_attempts_with_masked_headers_and_retries_by_hand(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let receiver = Receiver::start().await;
    receiver.always(
        Reply::status(502)
            .header("x-upstream", "gone")
            .body("x".repeat(10_000)),
    );
    let (id, _) = webhook(
        &app,
        &key,
        json!({"url": receiver.url("/h"), "events": [3], "maxRetries": 0,
               "headers": [{"name": "Authorization", "value": "Bearer hidden"}, {"name": "X-Plain", "value": "shown"}]}),
    )
    .await;
    publish(&app, &key, json!({"type": 3, "data": {"k": "v"}})).await;
    let rows = deliveries_until(&app, &key, &id, all_in("failed")).await;
    let delivery_id = rows[0]["id"].as_str().unwrap();
    assert_eq!(rows[0]["eventType"], "interview.completed");

    let (status, detail) = app
        .call(
            "GET",
            &format!("/deliveries/{delivery_id}"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{detail}");
    let detail = &detail["data"];
    assert_eq!(detail["payload"]["data"], json!({"k": "v"}));
    let attempt = &detail["attempts"][0];
    assert_eq!(attempt["number"], 1);
    assert_eq!(attempt["outcome"], "failed");
    assert_eq!(attempt["httpStatus"], 502);
    assert_eq!(attempt["errorKind"], "http");
    assert_eq!(
        attempt["responseBody"].as_str().unwrap().len(),
        4096,
        "the first 4 KiB"
    );
    let header = |list: &Value, name: &str| {
        list.as_array()
            .unwrap()
            .iter()
            .find(|h| h["name"] == name)
            .map(|h| h["value"].clone())
    };
    assert_eq!(
        header(&attempt["requestHeaders"], "Authorization"),
        Some(json!("***"))
    );
    assert_eq!(
        header(&attempt["requestHeaders"], "X-Plain"),
        Some(json!("shown"))
    );
    assert_eq!(
        header(&attempt["responseHeaders"], "x-upstream"),
        Some(json!("gone"))
    );
    assert!(!detail.to_string().contains("Bearer hidden"));

    let (status, filtered) = app
        .call(
            "GET",
            &format!("/webhooks/{id}/deliveries?status=succeeded"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(filtered["data"]["total"], 0);
    let (status, bad) = app
        .call(
            "GET",
            &format!("/webhooks/{id}/deliveries?status=lost"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(bad["error"]["details"]["field"], "status");

    receiver.always(Reply::ok());
    let (status, retried) = app
        .call(
            "POST",
            &format!("/deliveries/{delivery_id}/retry"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{retried}");
    assert_eq!(retried["data"]["status"], "pending");
    deliveries_until(&app, &key, &id, all_in("succeeded")).await;
    let (_, detail) = app
        .call(
            "GET",
            &format!("/deliveries/{delivery_id}"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(detail["data"]["attempts"].as_array().unwrap().len(), 2);
    assert_eq!(detail["data"]["attempts"][1]["outcome"], "succeeded");

    let (status, again) = app
        .call(
            "POST",
            &format!("/deliveries/{delivery_id}/retry"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a succeeded delivery may be sent again: {again}"
    );
    let reader = app.key(&[Scope::ReadDeliveries]).await;
    let (status, refused) = app
        .call(
            "POST",
            &format!("/deliveries/{delivery_id}/retry"),
            Some(&reader),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        refused["error"]["message"],
        "Required scope write:webhooks not found"
    );
    let (status, _) = app
        .call(
            "GET",
            &format!("/deliveries/{delivery_id}"),
            Some(&reader),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "read:deliveries reads the log");
    let (status, missing) = app
        .call("GET", "/deliveries/not-a-uuid", Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(missing["error"]["message"], "Delivery not found");
}

async fn bad_event_input_gets_the_envelope(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&SCOPES).await;
    let unknown_company = uuid::Uuid::new_v4().to_string();
    let unknown_company_message = format!("Company {unknown_company} not found in account default");
    let cases = [
        (
            json!({"type": "nope", "data": {}}),
            "type",
            "Invalid event type",
        ),
        (
            json!({"type": 99, "data": {}}),
            "type",
            "Invalid event type",
        ),
        (json!({"type": 3}), "body", "body: missing field `data`"),
        (
            json!({"type": 3, "data": {}, "companyId": unknown_company}),
            "companyId",
            unknown_company_message.as_str(),
        ),
        (
            json!({"type": 3, "data": {}, "idempotencyKey": ""}),
            "idempotencyKey",
            "idempotencyKey must be 1 to 255 characters",
        ),
        (
            json!({"type": 3, "data": {}, "extra": 1}),
            "extra",
            "Unknown field extra",
        ),
    ];
    for (body, field, message) in cases {
        let (status, answer) = app
            .call("POST", "/events", Some(&key), Some(body.clone()))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], "VALIDATION_ERROR");
        assert_eq!(
            answer["error"]["details"]["field"], field,
            "{body}: {answer}"
        );
        assert_eq!(answer["error"]["message"], message, "{body}");
    }
    let (_, answer) = app
        .call(
            "POST",
            "/events",
            Some(&key),
            Some(json!({"type": "nope", "data": {}})),
        )
        .await;
    assert_eq!(answer["error"]["details"]["provided"], json!(["nope"]));
    assert_eq!(
        answer["error"]["details"]["allowed"],
        json!((0..=12).collect::<Vec<_>>()),
        "the six of SPEC §3 and the seven of §7"
    );
    let reader = app.key(&[Scope::ReadWebhooks]).await;
    let (status, answer) = app
        .call(
            "POST",
            "/events",
            Some(&reader),
            Some(json!({"type": 3, "data": {}})),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(
        answer["error"]["message"],
        "Required scope write:events not found"
    );
}

mod test_ping {
    use super::*;

    on_both_backends!(
        a_test_ping_reports_success_and_failure_as_the_seeds_show,
        a_test_ping_needs_a_ping_subscription,
        a_test_ping_goes_out_while_the_circuit_is_open_and_does_not_count,
        after_a_rotation_both_secrets_sign_for_a_day,
    );

    async fn a_test_ping_reports_success_and_failure_as_the_seeds_show(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        let (id, secret) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [2, 3]}),
        )
        .await;
        let (status, answer) = app
            .call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
            .await;
        assert_eq!(status, StatusCode::OK, "{answer}");
        let data = &answer["data"];
        assert_eq!(data["success"], true);
        assert_eq!(data["httpStatus"], 200);
        assert_eq!(data["message"], "Webhook test successful!");
        assert!(data["durationMs"].is_u64());
        let received = receiver.wait_for(1, WAIT).await;
        standardwebhooks::Webhook::new(&secret)
            .unwrap()
            .verify(&received[0].body, &received[0].headers)
            .unwrap();
        let body = received[0].json();
        assert_eq!(body["type"], "ping");
        assert_eq!(
            body["data"],
            json!({"message": "Test event from Herald", "webhookId": id})
        );
        let (_, detail) = app
            .call(
                "GET",
                &format!("/deliveries/{}", data["deliveryId"].as_str().unwrap()),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(detail["data"]["isTest"], true);
        assert_eq!(detail["data"]["status"], "succeeded");

        receiver.always(Reply::status(500));
        let (status, answer) = app
            .call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(answer["data"]["success"], false);
        assert_eq!(answer["data"]["httpStatus"], 500);
        assert_eq!(answer["data"]["message"], "Webhook test failed: HTTP 500");

        let (status, _) = app
            .call(
                "PATCH",
                &format!("/webhooks/{id}"),
                Some(&key),
                Some(json!({"url": "http://127.0.0.1:9/closed", "timeoutMs": 1000})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (_, answer) = app
            .call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
            .await;
        assert_eq!(answer["data"]["success"], false);
        assert_eq!(
            answer["data"]["message"],
            "Webhook test failed: Connection refused"
        );
        receiver
            .expect_no_more_than(2, Duration::from_millis(300))
            .await;
    }

    async fn a_test_ping_needs_a_ping_subscription(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3]}),
        )
        .await;
        let (status, answer) = app
            .call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        let message = "Webhook is not subscribed to ping events. Add event type 2 (ping) to the webhook configuration.";
        assert_eq!(
            answer,
            json!({"success": false, "message": message, "data": {"success": false, "message": message},
                   "error": {"code": "VALIDATION_ERROR", "message": message}})
        );
        receiver
            .expect_no_more_than(0, Duration::from_millis(200))
            .await;
        let (status, _) = app
            .call(
                "POST",
                &format!("/webhooks/{}/test", uuid::Uuid::new_v4()),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let reader = app.key(&[Scope::ReadWebhooks]).await;
        let (status, answer) = app
            .call("POST", &format!("/webhooks/{id}/test"), Some(&reader), None)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(
            answer["error"]["message"],
            "Required scope write:webhooks not found"
        );
    }

    async fn a_test_ping_goes_out_while_the_circuit_is_open_and_does_not_count(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| settings.circuit_threshold = 1).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        receiver.next([Reply::status(500)]);
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": ["*"], "maxRetries": 0}),
        )
        .await;
        publish(&app, &key, json!({"type": 3, "data": {}})).await;
        deliveries_until(&app, &key, &id, all_in("failed")).await;
        let (_, hook) = app
            .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
            .await;
        assert!(hook["data"]["circuitOpenedAt"].is_string());

        receiver.always(Reply::status(500));
        let (_, answer) = app
            .call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
            .await;
        assert_eq!(
            answer["data"]["httpStatus"], 500,
            "sent although the circuit is open"
        );
        let (_, hook) = app
            .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
            .await;
        assert_eq!(
            hook["data"]["consecutiveFailures"], 1,
            "a test ping does not count"
        );
    }

    async fn after_a_rotation_both_secrets_sign_for_a_day(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        let (id, old_secret) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": ["ping"]}),
        )
        .await;
        let (status, rotated) = app
            .call(
                "POST",
                &format!("/webhooks/{id}/rotate-secret"),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let new_secret = rotated["data"]["standardSecret"]
            .as_str()
            .unwrap()
            .to_owned();
        let verify = |secret: &str, request: &crate::helpers::receiver::Received| {
            standardwebhooks::Webhook::new(secret)
                .unwrap()
                .verify(&request.body, &request.headers)
                .is_ok()
        };

        app.clock.advance(23 * 3600 * 1000);
        app.call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
            .await;
        let received = receiver.wait_for(1, WAIT).await;
        assert_eq!(
            received[0].header("webhook-signature").split(' ').count(),
            2
        );
        assert!(verify(&new_secret, &received[0]), "the new secret signs");
        assert!(
            verify(&old_secret, &received[0]),
            "the old secret still signs within 24 h"
        );

        app.clock.advance(2 * 3600 * 1000);
        app.call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
            .await;
        let received = receiver.wait_for(2, WAIT).await;
        assert_eq!(
            received[1].header("webhook-signature").split(' ').count(),
            1
        );
        assert!(verify(&new_secret, &received[1]));
        assert!(
            !verify(&old_secret, &received[1]),
            "the old secret stopped signing after 24 h"
        );
    }
}

mod limits {
    use super::*;

    on_both_backends!(
        the_rate_limit_holds,
        at_most_eight_attempts_to_one_webhook_run_at_once,
    );

    async fn the_rate_limit_holds(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3], "rateLimitPerSecond": 2}),
        )
        .await;
        for n in 0..6 {
            publish(&app, &key, json!({"type": 3, "data": {"n": n}})).await;
        }
        let received = receiver.wait_for(6, WAIT).await;
        for window in received.windows(3) {
            let span = window[2].at - window[0].at;
            assert!(
                span >= Duration::from_millis(950),
                "three requests within {span:?}: over 2 per second"
            );
        }
    }

    async fn at_most_eight_attempts_to_one_webhook_run_at_once(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        receiver.always(Reply::ok().after(Duration::from_millis(400)));
        webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3]}),
        )
        .await;
        for n in 0..24 {
            publish(&app, &key, json!({"type": 3, "data": {"n": n}})).await;
        }
        receiver.wait_for(24, WAIT).await;
        let peak = receiver.peak_concurrency();
        assert!(
            (2..=8).contains(&peak),
            "peak concurrency {peak}: parallel, but never over 8"
        );
    }
}

mod egress {
    use super::*;

    on_both_backends!(
        public_only_egress_refuses_a_name_that_resolves_to_loopback,
        public_only_refuses_a_non_public_ip_literal_at_create_and_patch,
    );

    /// Under `public-only` a URL whose host is a non-public IP literal can
    /// never be delivered: refused when it is given, and nothing changes.
    async fn public_only_refuses_a_non_public_ip_literal_at_create_and_patch(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.egress = server::config::Egress::PublicOnly;
        })
        .await;
        let key = app.key(&SCOPES).await;
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": "https://localhost:9/h", "events": ["*"]}),
        )
        .await;
        for url in [
            "http://127.0.0.1:9/h",
            "http://[::1]:9/h",
            "https://10.0.0.1/h",
            "https://[::ffff:169.254.169.254]/h",
        ] {
            let (status, error) = app
                .call(
                    "POST",
                    "/webhooks",
                    Some(&key),
                    Some(json!({"url": url, "events": ["*"]})),
                )
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{url}: {error}");
            assert_eq!(error["error"]["details"]["field"], "url", "{error}");
            let (status, _) = app
                .call(
                    "PATCH",
                    &format!("/webhooks/{id}"),
                    Some(&key),
                    Some(json!({"url": url})),
                )
                .await;
            assert_eq!(status, StatusCode::BAD_REQUEST, "{url}");
        }
        let (_, hook) = app
            .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
            .await;
        assert_eq!(hook["data"]["url"], "https://localhost:9/h");
        let (_, list) = app.call("GET", "/webhooks", Some(&key), None).await;
        assert_eq!(list["data"]["total"], 1);
        let (status, _) = app
            .call(
                "POST",
                "/webhooks",
                Some(&key),
                Some(json!({"url": "https://8.8.8.8/h", "events": ["*"]})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "a public address is fine");
    }

    /// Only loopback is ever contacted: `localhost` must be refused before
    /// any packet leaves (IP literals are refused when given, above), by
    /// the resolver that hands reqwest only public addresses.
    async fn public_only_egress_refuses_a_name_that_resolves_to_loopback(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.egress = server::config::Egress::PublicOnly;
        })
        .await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        let port = receiver.address.rsplit(':').next().unwrap().to_owned();
        for url in [
            format!("http://localhost:{port}/h"),
            format!("https://localhost:{port}/h"),
        ] {
            let (id, _) = webhook(
                &app,
                &key,
                json!({"url": url, "events": ["*"], "maxRetries": 0}),
            )
            .await;
            let (status, answer) = app
                .call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
                .await;
            assert_eq!(status, StatusCode::OK);
            let message = answer["data"]["message"].as_str().unwrap();
            assert!(
                message.starts_with("Webhook test failed: Egress refused"),
                "{url}: {message}"
            );
            let delivery = answer["data"]["deliveryId"].as_str().unwrap();
            let (_, detail) = app
                .call("GET", &format!("/deliveries/{delivery}"), Some(&key), None)
                .await;
            assert_eq!(
                detail["data"]["attempts"][0]["errorKind"], "egress",
                "{detail}"
            );

            publish(&app, &key, json!({"type": 3, "data": {}})).await;
            let rows = deliveries_until(&app, &key, &id, |rows| {
                rows.iter()
                    .any(|r| r["status"] == "failed" && !r["isTest"].as_bool().unwrap())
            })
            .await;
            assert!(rows.iter().any(|r| {
                r["lastError"]
                    .as_str()
                    .unwrap_or("")
                    .starts_with("Egress refused")
            }));
            let (_, hook) = app
                .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
                .await;
            assert_eq!(
                hook["data"]["consecutiveFailures"], 1,
                "an egress refusal counts toward the circuit"
            );
            app.call("DELETE", &format!("/webhooks/{id}"), Some(&key), None)
                .await;
        }
        receiver
            .expect_no_more_than(0, Duration::from_millis(200))
            .await;
    }
}

mod metrics {
    use super::*;

    on_both_backends!(metrics_count_what_happened);

    fn value(text: &str, series: &str) -> f64 {
        text.lines()
            .find_map(|line| line.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
            .unwrap_or_else(|| panic!("no {series} in\n{text}"))
    }

    async fn metrics_count_what_happened(backend: Backend) {
        let app = TestApp::spawn_with(backend, |settings| settings.circuit_threshold = 2).await;
        let key = app.key(&SCOPES).await;
        let flaky = Receiver::start().await;
        flaky.next([Reply::status(500)]);
        let down = Receiver::start().await;
        down.always(Reply::status(500));
        let (a, _) = webhook(&app, &key, json!({"url": flaky.url("/a"), "events": [3], "maxRetries": 1, "retryBackoffSeconds": 1})).await;
        let (b, _) = webhook(
            &app,
            &key,
            json!({"url": down.url("/b"), "events": [0], "maxRetries": 0}),
        )
        .await;
        publish(&app, &key, json!({"type": 3, "data": {}})).await;
        publish(&app, &key, json!({"type": 0, "data": {}})).await;
        publish(&app, &key, json!({"type": 0, "data": {}})).await;
        deliveries_until(&app, &key, &a, all_in("succeeded")).await;
        deliveries_until(&app, &key, &b, |rows| {
            rows.len() == 2 && rows.iter().all(|r| r["status"] == "failed")
        })
        .await;

        let response = app.get("/metrics").await;
        assert_eq!(response.status(), StatusCode::OK);
        let content_type = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(content_type.starts_with("text/plain"), "{content_type}");
        let text = response.text().await.unwrap();
        assert_eq!(
            value(&text, r#"herald_attempts_total{outcome="succeeded"}"#),
            1.0
        );
        assert_eq!(
            value(&text, r#"herald_attempts_total{outcome="failed"}"#),
            3.0
        );
        assert_eq!(
            value(&text, r#"herald_deliveries_total{outcome="succeeded"}"#),
            1.0
        );
        assert_eq!(
            value(&text, r#"herald_deliveries_total{outcome="failed"}"#),
            2.0
        );
        assert_eq!(value(&text, "herald_attempt_duration_seconds_count"), 4.0);
        assert_eq!(
            value(
                &text,
                r#"herald_attempt_duration_seconds_bucket{le="+Inf"}"#
            ),
            4.0
        );
        assert_eq!(value(&text, r#"herald_queue_depth{status="pending"}"#), 0.0);
        assert_eq!(value(&text, "herald_open_circuits"), 1.0);
    }
}

mod queue {
    use super::*;
    use herald_store::Db;

    on_both_backends!(
        an_expired_lease_returns_the_delivery_to_the_queue,
        a_taken_over_attempt_that_ends_late_moves_nothing,
        a_deactivated_webhooks_deliveries_wait_and_resume_on_activation,
        retention_purges_old_finished_deliveries_only,
    );

    async fn execute(db: &Db, sql: &'static str, value: i64) {
        match db {
            Db::Sqlite(pools) => sqlx::query(sql)
                .bind(value)
                .execute(&pools.writes)
                .await
                .map(|_| ()),
            Db::Postgres(pool) => sqlx::query(sql).bind(value).execute(pool).await.map(|_| ()),
        }
        .unwrap();
    }

    /// The leases of the deliveries in flight run out at once (a stuck process).
    async fn expire_leases(db: &Db) {
        execute(
            db,
            "UPDATE deliveries SET locked_until = $1 WHERE status = 'delivering'",
            0,
        )
        .await;
    }

    /// The outcomes of a delivery's attempts, oldest first.
    async fn attempt_outcomes(app: &TestApp, key: &str, delivery: &str) -> Vec<String> {
        let (_, detail) = app
            .call("GET", &format!("/deliveries/{delivery}"), Some(key), None)
            .await;
        detail["data"]["attempts"]
            .as_array()
            .unwrap_or_else(|| panic!("attempts in {detail}"))
            .iter()
            .map(|a| a["outcome"].as_str().unwrap().to_owned())
            .collect()
    }

    async fn an_expired_lease_returns_the_delivery_to_the_queue(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        receiver.next([Reply::ok().after(Duration::from_secs(3))]);
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3]}),
        )
        .await;
        publish(&app, &key, json!({"type": 3, "data": {}})).await;
        receiver.wait_for(1, WAIT).await;
        // The lease runs out while the attempt is still in flight (a stuck process).
        expire_leases(&app.db).await;
        let received = receiver.wait_for(2, Duration::from_secs(3)).await;
        assert_eq!(
            received[0].header("webhook-id"),
            received[1].header("webhook-id")
        );
        let rows = deliveries_until(&app, &key, &id, all_in("succeeded")).await;
        let outcomes = attempt_outcomes(&app, &key, rows[0]["id"].as_str().unwrap()).await;
        assert_eq!(outcomes.len(), 2, "{outcomes:?}");
        assert!(outcomes.iter().any(|o| o == "succeeded"), "{outcomes:?}");
    }

    /// The lease of attempt 1 runs out and this same process claims the
    /// delivery again; attempt 1's failure, ending while attempt 2 is out,
    /// must not make the delivery due again (a third request) nor count.
    async fn a_taken_over_attempt_that_ends_late_moves_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        receiver.next([
            Reply::status(500).after(Duration::from_secs(3)),
            Reply::ok().after(Duration::from_secs(5)),
        ]);
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3], "retryBackoffSeconds": 1}),
        )
        .await;
        publish(&app, &key, json!({"type": 3, "data": {}})).await;
        receiver.wait_for(1, WAIT).await;
        expire_leases(&app.db).await;
        receiver.wait_for(2, Duration::from_secs(3)).await;
        let rows = deliveries_until(&app, &key, &id, all_in("succeeded")).await;
        receiver
            .expect_no_more_than(2, Duration::from_millis(2500))
            .await;
        let outcomes = attempt_outcomes(&app, &key, rows[0]["id"].as_str().unwrap()).await;
        assert_eq!(outcomes, ["failed", "succeeded"]);
        let (_, webhook) = app
            .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
            .await;
        assert_eq!(webhook["data"]["consecutiveFailures"], 0, "{webhook}");
    }

    async fn a_deactivated_webhooks_deliveries_wait_and_resume_on_activation(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        receiver.next([Reply::status(500)]);
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3], "retryBackoffSeconds": 1}),
        )
        .await;
        publish(&app, &key, json!({"type": 3, "data": {}})).await;
        receiver.wait_for(1, WAIT).await;
        let (status, _) = app
            .call(
                "PATCH",
                &format!("/webhooks/{id}"),
                Some(&key),
                Some(json!({"isActive": false})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        receiver
            .expect_no_more_than(1, Duration::from_millis(2500))
            .await;
        deliveries_until(&app, &key, &id, all_in("pending")).await;
        let accepted = publish(&app, &key, json!({"type": 3, "data": {}})).await;
        assert_eq!(
            accepted["deliveries"], 0,
            "no delivery for an event published while inactive"
        );
        app.call(
            "PATCH",
            &format!("/webhooks/{id}"),
            Some(&key),
            Some(json!({"isActive": true})),
        )
        .await;
        receiver.wait_for(2, WAIT).await;
        deliveries_until(&app, &key, &id, all_in("succeeded")).await;
    }

    async fn retention_purges_old_finished_deliveries_only(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3]}),
        )
        .await;
        publish(&app, &key, json!({"type": 3, "data": {"old": true}})).await;
        deliveries_until(&app, &key, &id, all_in("succeeded")).await;
        let day = 24 * 3600 * 1000_i64;
        let long_ago = app.clock.now_ms() - 31 * day;
        execute(&app.db, "UPDATE deliveries SET created_at = $1", long_ago).await;
        execute(&app.db, "UPDATE events SET created_at = $1", long_ago).await;
        receiver.always(Reply::ok().after(Duration::from_secs(2)));
        publish(&app, &key, json!({"type": 3, "data": {"new": true}})).await;

        let purged = herald_store::deliveries::purge_before(&app.db, app.clock.now_ms() - 30 * day)
            .await
            .unwrap();
        assert_eq!(purged, 1);
        let rows = deliveries_until(&app, &key, &id, |rows| rows.len() == 1).await;
        assert_eq!(rows.len(), 1, "the recent delivery stays");
        let (_, detail) = app
            .call(
                "GET",
                &format!("/deliveries/{}", rows[0]["id"].as_str().unwrap()),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(detail["data"]["payload"]["data"], json!({"new": true}));
    }
}

mod robustness {
    use super::*;
    use herald_store::Db;

    on_both_backends!(
        webhooks_at_their_concurrency_limit_never_starve_another,
        unreadable_secrets_fail_the_delivery_once_and_send_nothing,
        a_nul_in_the_receivers_answer_is_stored_and_the_delivery_ends,
        held_deliveries_of_a_closed_circuit_go_out,
        concurrent_rotations_each_return_a_secret_that_signs,
    );

    async fn execute(db: &Db, sql: &'static str) {
        match db {
            Db::Sqlite(pools) => sqlx::query(sql).execute(&pools.writes).await.map(|_| ()),
            Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
        }
        .unwrap();
    }

    async fn webhooks_at_their_concurrency_limit_never_starve_another(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let slow = Receiver::start().await;
        slow.always(Reply::ok().after(Duration::from_secs(4)));
        let fast = Receiver::start().await;
        // Nine slow webhooks, each with 8 in flight and at least 8 more due:
        // more than a claim batch of 64, all older than the fast one's event.
        for n in 0..9 {
            let url = slow.url(&format!("/slow{n}"));
            webhook(&app, &key, json!({"url": url, "events": [3]})).await;
        }
        webhook(&app, &key, json!({"url": fast.url("/fast"), "events": [4]})).await;
        for n in 0..20 {
            publish(&app, &key, json!({"type": 3, "data": {"n": n}})).await;
        }
        slow.wait_for(72, WAIT).await;
        let started = std::time::Instant::now();
        publish(&app, &key, json!({"type": 4, "data": {}})).await;
        fast.wait_for(1, WAIT).await;
        let took = started.elapsed();
        assert!(
            took < Duration::from_secs(2),
            "the fast webhook waited {took:?} behind saturated ones"
        );
        assert!(slow.peak_concurrency() <= 72, "8 per slow webhook at most");
    }

    async fn unreadable_secrets_fail_the_delivery_once_and_send_nothing(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3], "retryBackoffSeconds": 1}),
        )
        .await;
        // A secret sealed for another purpose does not open as this one (as
        // after a change of master key).
        execute(&app.db, "UPDATE webhooks SET signing_secret = headers").await;
        publish(&app, &key, json!({"type": 3, "data": {}})).await;
        let rows = deliveries_until(&app, &key, &id, all_in("failed")).await;
        let delivery = rows[0]["id"].as_str().unwrap();
        let (_, detail) = app
            .call("GET", &format!("/deliveries/{delivery}"), Some(&key), None)
            .await;
        let attempts = detail["data"]["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 1, "never retried: {detail}");
        assert_eq!(attempts[0]["errorKind"], "unsendable");
        receiver
            .expect_no_more_than(0, Duration::from_millis(1500))
            .await;
        let (_, hook) = app
            .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
            .await;
        assert_eq!(
            hook["data"]["consecutiveFailures"], 0,
            "not the receiver's fault"
        );
    }

    async fn a_nul_in_the_receivers_answer_is_stored_and_the_delivery_ends(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        receiver.always(Reply::status(500).body("bad\0body"));
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3], "maxRetries": 0}),
        )
        .await;
        publish(&app, &key, json!({"type": 3, "data": {}})).await;
        let rows = deliveries_until(&app, &key, &id, all_in("failed")).await;
        let delivery = rows[0]["id"].as_str().unwrap();
        let (_, detail) = app
            .call("GET", &format!("/deliveries/{delivery}"), Some(&key), None)
            .await;
        let attempts = detail["data"]["attempts"].as_array().unwrap();
        assert_eq!(attempts.len(), 1, "{detail}");
        assert_eq!(attempts[0]["responseBody"], "bad\u{FFFD}body");
        assert_eq!(receiver.received().len(), 1, "sent once");
    }

    async fn held_deliveries_of_a_closed_circuit_go_out(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        receiver.next([Reply::status(500)]);
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": [3], "retryBackoffSeconds": 300}),
        )
        .await;
        publish(&app, &key, json!({"type": 3, "data": {}})).await;
        deliveries_until(&app, &key, &id, |rows| {
            rows.first().is_some_and(|row| row["attemptCount"] == 1) && all_in("pending")(rows)
        })
        .await;
        // As if a circuit reset had crossed the sweep that held it.
        execute(&app.db, "UPDATE deliveries SET status = 'held'").await;
        receiver.wait_for(2, WAIT).await;
        deliveries_until(&app, &key, &id, all_in("succeeded")).await;
    }

    async fn concurrent_rotations_each_return_a_secret_that_signs(backend: Backend) {
        let app = TestApp::spawn(backend).await;
        let key = app.key(&SCOPES).await;
        let receiver = Receiver::start().await;
        let (id, _) = webhook(
            &app,
            &key,
            json!({"url": receiver.url("/h"), "events": ["ping"]}),
        )
        .await;
        let path = format!("/webhooks/{id}/rotate-secret");
        let (first, second) = tokio::join!(
            app.call("POST", &path, Some(&key), None),
            app.call("POST", &path, Some(&key), None),
        );
        assert_eq!(first.0, StatusCode::OK, "{}", first.1);
        assert_eq!(second.0, StatusCode::OK, "{}", second.1);
        app.call("POST", &format!("/webhooks/{id}/test"), Some(&key), None)
            .await;
        let received = receiver.wait_for(1, WAIT).await;
        for (_, rotated) in [first, second] {
            let secret = rotated["data"]["standardSecret"].as_str().unwrap();
            standardwebhooks::Webhook::new(secret)
                .unwrap()
                .verify(&received[0].body, &received[0].headers)
                .expect("each returned secret signs the next delivery");
        }
    }
}
