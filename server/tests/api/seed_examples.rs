//! The InstaView guide's JavaScript examples, run with node's fetch against
//! a live Herald (`tests/seed_examples/instaview_guide.mjs`).

use crate::helpers::{Backend, TestApp};
use app::model::Scope;
use reqwest::StatusCode;
use serde_json::json;
use server::store::Db;

on_both_backends!(the_guides_javascript_examples_work_against_herald);

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

    let script = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/seed_examples/instaview_guide.mjs"
    );
    let output = tokio::process::Command::new("node")
        .arg(script)
        .env("HERALD_URL", &app.address)
        .env("HERALD_API_KEY", &key)
        .env("GLOBAL_WEBHOOK_ID", &global)
        .env("COMPANY_WEBHOOK_ID", &for_company)
        .env("COMPANY_ID", &company)
        .env("COMPANY_WEBHOOK_NAME", "Acme ATS")
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(std::time::Duration::from_secs(60), output)
        .await
        .expect("node finished within a minute")
        .expect("node is installed (scripts/setup.sh installs it)");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        output.status.success(),
        "the seed examples failed\n--- stdout\n{stdout}\n--- stderr\n{stderr}"
    );
    assert!(stdout.contains("all seed examples passed"), "{stdout}");
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
        Db::Sqlite(pool) => sqlx::query(SQL)
            .bind(failures)
            .bind(now)
            .bind(id)
            .execute(pool)
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
