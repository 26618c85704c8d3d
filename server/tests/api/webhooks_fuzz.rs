//! Random and malformed JSON thrown at `POST /webhooks` and
//! `PATCH /webhooks/{id}`: never a 5xx, always the envelope, and a refused
//! request changes nothing stored.

use crate::helpers::{Backend, TestApp};
use app::model::Scope;
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, TestRunner},
};
use reqwest::StatusCode;
use serde_json::{Map, Value, json};

on_both_backends!(random_bodies_never_get_a_server_error_and_refusals_change_nothing);

const CASES: usize = 300;

/// The fields the API knows, so that random objects often reach validation.
const FIELDS: [&str; 16] = [
    "url",
    "events",
    "name",
    "description",
    "companyId",
    "headers",
    "isActive",
    "maxRetries",
    "timeoutMs",
    "retryBackoffSeconds",
    "rateLimitPerSecond",
    "accountId",
    "id",
    "signingSecret",
    "value",
    "secret",
];

fn any_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        prop_oneof![Just(0u64), Just(u64::MAX), Just(4_294_967_296)].prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any::<String>().prop_map(Value::from),
        prop_oneof![
            Just("https://a.example/h"),
            Just("http://localhost:1/x"),
            Just("ping"),
            Just("*"),
            Just("analysis.completed"),
            Just("Authorization"),
            Just(""),
        ]
        .prop_map(Value::from),
        (0i64..8).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::vec((field_name(), inner), 0..6)
                .prop_map(|pairs| Value::Object(pairs.into_iter().collect::<Map<_, _>>())),
        ]
    })
}

fn field_name() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => prop::sample::select(FIELDS.to_vec()).prop_map(str::to_owned),
        1 => any::<String>(),
    ]
}

/// An object of known fields with random values: the shape most clients send.
fn near_valid_body() -> impl Strategy<Value = Value> {
    prop::collection::vec((prop::sample::select(FIELDS.to_vec()), any_json()), 0..6).prop_map(
        |pairs| {
            let mut body = json!({"url": "https://a.example/h", "events": [0]});
            for (name, value) in pairs {
                body[name] = value;
            }
            body
        },
    )
}

/// Bytes that are often not JSON at all: a valid body cut or spliced.
fn malformed_bytes() -> impl Strategy<Value = Vec<u8>> {
    (
        near_valid_body(),
        any::<prop::sample::Index>(),
        any::<Vec<u8>>(),
    )
        .prop_map(|(body, cut, junk)| {
            let mut bytes = serde_json::to_vec(&body).unwrap();
            let at = cut.index(bytes.len() + 1);
            bytes.truncate(at);
            bytes.extend(junk);
            bytes
        })
}

#[derive(Debug)]
enum Attempt {
    Json(Value),
    Bytes(Vec<u8>),
}

fn attempts() -> Vec<Attempt> {
    let strategy = prop_oneof![
        2 => near_valid_body().prop_map(Attempt::Json),
        2 => any_json().prop_map(Attempt::Json),
        1 => malformed_bytes().prop_map(Attempt::Bytes),
    ];
    let mut runner = TestRunner::new(Config::default());
    (0..CASES)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

async fn random_bodies_never_get_a_server_error_and_refusals_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let body = json!({"url": "https://a.example/h", "events": [0], "headers": [{"name": "Authorization", "value": "Bearer s"}]});
    let (_, created) = app.call("POST", "/webhooks", Some(&key), Some(body)).await;
    let id = created["data"]["id"].as_str().unwrap().to_owned();
    let path = format!("/webhooks/{id}");

    for attempt in attempts() {
        for (method, target) in [("PATCH", path.as_str()), ("POST", "/webhooks")] {
            let before = snapshot(&app, &key).await;
            let (status, answer) = send(&app, &key, method, target, &attempt).await;
            assert!(
                !status.is_server_error(),
                "{method} {target} {attempt:?} -> {status}: {answer}"
            );
            if status.is_success() {
                continue;
            }
            assert_eq!(answer["success"], false, "{attempt:?}: {answer}");
            assert!(answer["error"]["code"].is_string(), "{attempt:?}: {answer}");
            assert!(
                answer["error"]["message"].is_string(),
                "{attempt:?}: {answer}"
            );
            assert_eq!(
                before,
                snapshot(&app, &key).await,
                "{method} {target} {attempt:?} was refused ({status}) but changed what is stored"
            );
        }
    }
}

async fn send(
    app: &TestApp,
    key: &str,
    method: &str,
    target: &str,
    attempt: &Attempt,
) -> (StatusCode, Value) {
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let body = match attempt {
        Attempt::Json(value) => serde_json::to_vec(value).unwrap(),
        Attempt::Bytes(bytes) => bytes.clone(),
    };
    let response = app
        .client
        .request(method, app.url(target))
        .bearer_auth(key)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    let answer = serde_json::from_str(&text)
        .unwrap_or_else(|_| panic!("{attempt:?} -> {status}, not JSON: {text}"));
    (status, answer)
}

/// Every stored webhook as the API shows it, in a stable order.
async fn snapshot(app: &TestApp, key: &str) -> Value {
    let (status, list) = app
        .call("GET", "/webhooks?limit=200", Some(key), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    list["data"].clone()
}
