//! Random and malformed JSON thrown at `POST /webhooks` and
//! `PATCH /webhooks/{id}`: never a 5xx, always the envelope, and a refused
//! request changes nothing stored.

use crate::helpers::{Backend, TestApp};
use herald_model::Scope;
use herald_model::{WebhookOut, WebhookWithSecret};
use proptest::{
    prelude::*,
    strategy::ValueTree,
    test_runner::{Config, RngAlgorithm, TestRng, TestRunner},
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

/// Seeds that once found a failure, one per line, replayed before a new one.
const SAVED_SEEDS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/api/webhooks_fuzz.seeds");

/// The saved seeds, then this run's: `HERALD_FUZZ_SEED` or a random one.
fn seeds() -> Vec<u64> {
    let saved = std::fs::read_to_string(SAVED_SEEDS).unwrap_or_default();
    let mut seeds: Vec<u64> = saved
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(|line| {
            line.parse()
                .unwrap_or_else(|_| panic!("{SAVED_SEEDS}: {line:?}"))
        })
        .collect();
    seeds.push(std::env::var("HERALD_FUZZ_SEED").map_or_else(
        |_| rand::random(),
        |seed| seed.parse().expect("HERALD_FUZZ_SEED is a number"),
    ));
    seeds
}

/// Saves its seed to [`SAVED_SEEDS`] if the cases made from it fail.
struct SeedKeeper(u64);

impl Drop for SeedKeeper {
    fn drop(&mut self) {
        let saved = std::fs::read_to_string(SAVED_SEEDS).unwrap_or_default();
        let known = saved.lines().any(|line| line.trim() == self.0.to_string());
        if std::thread::panicking() && !known {
            use std::io::Write;
            let mut file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(SAVED_SEEDS)
                .unwrap();
            writeln!(file, "{}", self.0).unwrap();
            eprintln!("seed {} failed: saved to {SAVED_SEEDS}", self.0);
        }
    }
}

/// [`CASES`] attempts, the same ones for the same seed.
fn attempts(seed: u64) -> Vec<Attempt> {
    let strategy = prop_oneof![
        2 => near_valid_body().prop_map(Attempt::Json),
        2 => any_json().prop_map(Attempt::Json),
        1 => malformed_bytes().prop_map(Attempt::Bytes),
    ];
    let mut bytes = [0; 32];
    bytes[..8].copy_from_slice(&seed.to_le_bytes());
    let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
    let mut runner = TestRunner::new_with_rng(Config::default(), rng);
    (0..CASES)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .collect()
}

async fn random_bodies_never_get_a_server_error_and_refusals_change_nothing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    for seed in seeds() {
        println!("fuzz seed {seed} (HERALD_FUZZ_SEED={seed} repeats it)");
        let _keeper = SeedKeeper(seed);
        // A webhook of the seed's own, so that its cases alone decide what
        // each PATCH meets: the seed repeats the run.
        let body = json!({"url": "https://a.example/h", "events": [0], "headers": [{"name": "Authorization", "value": "Bearer s"}]});
        let (_, created) = app.call("POST", "/webhooks", Some(&key), Some(body)).await;
        let id = created["data"]["id"].as_str().unwrap().to_owned();
        let path = format!("/webhooks/{id}");
        for attempt in attempts(seed) {
            for (method, target) in [("PATCH", path.as_str()), ("POST", "/webhooks")] {
                let before = snapshot(&app, &key).await;
                let (status, answer) = send(&app, &key, method, target, &attempt).await;
                let case =
                    format!("seed {seed}: {method} {target} {attempt:?} -> {status}: {answer}");
                assert!(!status.is_server_error(), "{case}");
                if status.is_success() {
                    examine_success(&app, &key, method, status, &answer, &case).await;
                    continue;
                }
                assert_eq!(answer["success"], false, "{case}");
                assert!(answer["error"]["code"].is_string(), "{case}");
                assert!(answer["error"]["message"].is_string(), "{case}");
                assert_eq!(
                    before,
                    snapshot(&app, &key).await,
                    "{case}: refused but changed what is stored"
                );
            }
        }
    }
}

/// A 2xx answer is the documented shape, exactly (nothing missing, nothing
/// more), and is what is stored. A webhook it created is deleted again.
async fn examine_success(
    app: &TestApp,
    key: &str,
    method: &str,
    status: StatusCode,
    answer: &Value,
    case: &str,
) {
    assert_eq!(answer["success"], true, "{case}");
    let data = &answer["data"];
    let webhook = if method == "POST" {
        assert_eq!(status, StatusCode::CREATED, "{case}");
        let created: WebhookWithSecret = serde_json::from_value(data.clone())
            .unwrap_or_else(|error| panic!("{case}: not a created webhook: {error}"));
        assert_eq!(&serde_json::to_value(&created).unwrap(), data, "{case}");
        created.webhook
    } else {
        assert_eq!(status, StatusCode::OK, "{case}");
        let patched: WebhookOut = serde_json::from_value(data.clone())
            .unwrap_or_else(|error| panic!("{case}: not a webhook: {error}"));
        assert_eq!(&serde_json::to_value(&patched).unwrap(), data, "{case}");
        patched
    };
    let path = format!("/webhooks/{}", webhook.id);
    let (read_status, stored) = app.call("GET", &path, Some(key), None).await;
    assert_eq!(read_status, StatusCode::OK, "{case}: {stored}");
    assert_eq!(
        stored["data"],
        serde_json::to_value(&webhook).unwrap(),
        "{case}: not what is stored"
    );
    if method == "POST" {
        let (deleted, _) = app.call("DELETE", &path, Some(key), None).await;
        assert!(deleted.is_success(), "{case}: delete {deleted}");
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
