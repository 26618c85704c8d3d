//! The InstaView documents' examples against a live Herald: the guide's
//! JavaScript under node's fetch (`tests/seed_examples/instaview_guide.mjs`)
//! and the curl examples (`tests/seed_examples/instaview_curl.sh`).

use crate::helpers::{Backend, Receiver, Reply, TestApp, run_script};
use herald_model::Scope;
use herald_store::Db;
use reqwest::StatusCode;
use serde_json::json;

on_both_backends!(
    the_guides_javascript_examples_work_against_herald,
    the_documents_curl_examples_get_the_documented_answers,
);

async fn the_guides_javascript_examples_work_against_herald(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let company = app.company("default", "Acme").await;
    let global = create(
        &app,
        &key,
        json!({"url": "https://api.example.com/hooks/all", "events": [3, 0]}),
    )
    .await;
    let for_company = create(
        &app,
        &key,
        json!({"url": "https://api.example.com/hooks/acme", "name": "Acme ATS", "events": ["interview.completed"], "companyId": company}),
    )
    .await;
    open_circuit_after_failures(&app.db, &for_company, 7).await;
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok());
    let failing = Receiver::start().await;
    failing.always(Reply::status(500));

    let stdout = run_script(
        "node",
        "instaview_guide.mjs",
        &[
            ("HERALD_URL", &app.address),
            ("HERALD_API_KEY", &key),
            ("GLOBAL_WEBHOOK_ID", &global),
            ("COMPANY_WEBHOOK_ID", &for_company),
            ("COMPANY_ID", &company),
            ("COMPANY_WEBHOOK_NAME", "Acme ATS"),
            ("RECEIVER_URL", &receiver.address),
            ("FAILING_RECEIVER_URL", &failing.address),
        ],
    )
    .await;
    assert!(stdout.contains("all seed examples passed"), "{stdout}");
}

async fn the_documents_curl_examples_get_the_documented_answers(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::ReadWebhooks, Scope::WriteWebhooks]).await;
    let existing = create(
        &app,
        &key,
        json!({"url": "https://api.example.com/webhooks/instaview", "events": [0]}),
    )
    .await;
    let stdout = run_script(
        "bash",
        "instaview_curl.sh",
        &[
            ("HERALD_URL", &app.address),
            ("HERALD_API_KEY", &key),
            ("WEBHOOK_ID", &existing),
        ],
    )
    .await;
    let answers: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect();
    let [created, basic, updated] = answers.as_slice() else {
        panic!("three answers expected: {stdout}");
    };

    // The create document's example response, field by field.
    assert_eq!(created["success"], true, "{created}");
    let data = &created["data"];
    for field in [
        "id",
        "apiKeyId",
        "companyId",
        "url",
        "name",
        "description",
        "headers",
        "events",
        "isActive",
        "maxRetries",
        "timeoutMs",
        "consecutiveFailures",
        "circuitOpenedAt",
        "signingSecret",
        "createdAt",
        "updatedAt",
    ] {
        assert!(data.get(field).is_some(), "{field} missing from {data}");
    }
    assert_eq!(data["url"], "https://api.example.com/webhooks/instaview");
    assert_eq!(data["name"], "Production Webhook");
    assert_eq!(
        data["description"],
        "Receives interview completion notifications"
    );
    assert_eq!(
        data["headers"],
        json!([{"name": "Authorization", "isMasked": true}])
    );
    assert_eq!(
        data["events"],
        json!(["interview.completed", "analysis.completed"])
    );
    assert_eq!(
        (&data["isActive"], &data["maxRetries"], &data["timeoutMs"]),
        (&json!(true), &json!(3), &json!(30000))
    );
    assert_eq!(
        (&data["consecutiveFailures"], &data["circuitOpenedAt"]),
        (&json!(0), &json!(null))
    );
    assert_eq!(data["companyId"], json!(null));
    let secret = data["signingSecret"].as_str().unwrap();
    assert!(
        secret.len() == 64 && secret.bytes().all(|b| b.is_ascii_hexdigit()),
        "{secret}"
    );
    assert!(
        !stdout.contains("your-internal-token"),
        "a masked value came back"
    );

    assert_eq!(
        basic["data"]["events"],
        json!(["interview.completed", "analysis.completed"])
    );

    assert_eq!(updated["success"], true, "{updated}");
    assert_eq!(updated["data"]["id"], existing.as_str());
    assert_eq!(
        updated["data"]["url"],
        "https://api.example.com/webhooks/instaview-v2"
    );
    assert_eq!(
        updated["data"]["events"],
        json!([
            "analysis.completed",
            "analysis.failed",
            "interview.completed",
            "interview.failed"
        ])
    );
    assert!(updated["data"].get("signingSecret").is_none());
}

async fn create(app: &TestApp, key: &str, body: serde_json::Value) -> String {
    let (status, body) = app.call("POST", "/webhooks", Some(key), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["data"]["id"].as_str().unwrap().to_owned()
}

/// What the delivery engine will do after `failures` failed attempts; set
/// directly here because deliveries come with a later issue.
async fn open_circuit_after_failures(db: &Db, id: &str, failures: i64) {
    const SQL: &str =
        "UPDATE webhooks SET consecutive_failures = $1, circuit_opened_at = $2 WHERE id = $3";
    let now = time::OffsetDateTime::now_utc().unix_timestamp() * 1000;
    let changed = match db {
        Db::Sqlite(pools) => sqlx::query(SQL)
            .bind(failures)
            .bind(now)
            .bind(id)
            .execute(&pools.writes)
            .await
            .unwrap()
            .rows_affected(),
        Db::Postgres(pool) => sqlx::query(SQL)
            .bind(failures)
            .bind(now)
            .bind(id)
            .execute(pool)
            .await
            .unwrap()
            .rows_affected(),
    };
    assert_eq!(changed, 1);
}
