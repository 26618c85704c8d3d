//! The master key is checked at start against a value sealed with it: a
//! wrong key stops every command with a message and changes nothing.

use crate::helpers::{Backend, Receiver, TestApp, fresh_settings, process::Installation};
use crate::processes::{call, create_webhook};
use herald_store::Db;
use serde_json::json;
use server::{config::Config, startup};

on_both_backends!(
    a_wrong_master_key_stops_serve_worker_and_the_cli_at_start,
    a_database_from_before_the_check_is_sealed_only_by_a_key_that_opens_its_secrets,
);

const SCOPES: &str = "read:webhooks,write:webhooks,write:events,read:deliveries";

async fn a_wrong_master_key_stops_serve_worker_and_the_cli_at_start(backend: Backend) {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let receiver = Receiver::start().await;
    {
        let herald = installation.start(&["serve"]).await;
        create_webhook(&herald, &key, receiver.url("/h")).await;
    }
    let wrong = "cd".repeat(32);
    for args in [
        &["serve"][..],
        &["worker"][..],
        &["api-key", "create", "--scopes", "read:webhooks"][..],
        &["company", "create", "--name", "Acme"][..],
    ] {
        let output = installation.run(args, &[("HERALD_MASTER_KEY", &wrong)]);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!output.status.success(), "{args:?} started:\n{stderr}");
        assert!(
            stderr.contains("the master key does not open this database's secrets"),
            "{args:?}:\n{stderr}"
        );
        assert!(
            String::from_utf8_lossy(&output.stdout).trim().is_empty(),
            "{args:?} printed an answer"
        );
    }
    // The right key still opens everything, and nothing was changed.
    let herald = installation.start(&["serve"]).await;
    let (status, body) = call(&herald.address, &key, "GET", "/webhooks", None)
        .await
        .unwrap();
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["total"], 1, "{body}");
    let id = body["data"]["data"][0]["id"].as_str().unwrap().to_owned();
    let (status, body) = call(
        &herald.address,
        &key,
        "GET",
        &format!("/webhooks/{id}"),
        None,
    )
    .await
    .unwrap();
    assert_eq!(status, 200, "{body}");
}

/// A database whose webhooks were sealed before the check value existed
/// (its row removed here): the first start with a key that cannot open
/// them is refused and stores nothing; the right key seals the check.
async fn a_database_from_before_the_check_is_sealed_only_by_a_key_that_opens_its_secrets(
    backend: Backend,
) {
    let app = TestApp::spawn(backend).await;
    let key = app.admin_key().await;
    let (status, body) = app
        .call(
            "POST",
            "/webhooks",
            Some(&key),
            Some(json!({"url": "https://example.com/h", "events": ["*"]})),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    execute(&app.db, "DELETE FROM master_key_check").await;
    let mut settings = fresh_settings(backend, &app.data_dir).await;
    settings.database_url = app.database_url.clone();
    let right = Config::load(settings.clone()).unwrap();
    settings.master_key = Some("cd".repeat(32));
    let wrong = Config::load(settings).unwrap();
    let refused = startup::build(&wrong)
        .await
        .err()
        .map(|error| error.to_string());
    assert!(
        refused
            .as_deref()
            .is_some_and(|message| message.contains("master key does not open")),
        "{refused:?}"
    );
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM master_key_check").await,
        0
    );
    assert!(startup::build(&right).await.is_ok());
    assert_eq!(
        count(&app.db, "SELECT COUNT(*) FROM master_key_check").await,
        1
    );
    assert!(
        startup::build(&wrong).await.is_err(),
        "the sealed check now decides"
    );
}

async fn execute(db: &Db, sql: &'static str) {
    match db {
        Db::Sqlite(pools) => sqlx::query(sql).execute(&pools.writes).await.map(|_| ()),
        Db::Postgres(pool) => sqlx::query(sql).execute(pool).await.map(|_| ()),
    }
    .unwrap();
}

async fn count(db: &Db, sql: &'static str) -> i64 {
    match db {
        Db::Sqlite(pools) => sqlx::query_scalar(sql).fetch_one(&pools.reads).await,
        Db::Postgres(pool) => sqlx::query_scalar(sql).fetch_one(pool).await,
    }
    .unwrap()
}
