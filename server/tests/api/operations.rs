//! The real `herald` binary as an operator runs it: its request log, its
//! open-file limit, the worker's own endpoints, a wrong master key, and
//! what its output never shows.

use crate::helpers::{
    Backend, Receiver, Reply, TestApp, fresh_settings,
    process::{HeraldProcess, Installation, free_port},
};
use crate::processes::{call, create_webhook};
use serde_json::{Value, json};
use server::{config::Config, startup, store::Db};
use std::time::Duration;

on_both_backends!(
    a_worker_answers_health_readiness_and_its_own_attempt_counts_on_its_address,
    a_wrong_master_key_stops_serve_worker_and_the_cli_at_start,
    a_database_from_before_the_check_is_sealed_only_by_a_key_that_opens_its_secrets,
    no_secret_reaches_the_output,
);

const SCOPES: &str = "read:webhooks,write:webhooks,write:events,read:deliveries";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_request_is_logged_once_at_info_with_its_id_route_status_and_no_secret() {
    let installation = Installation::new(Backend::Sqlite).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let herald = installation.start(&["serve"]).await;
    let response = reqwest::Client::new()
        .get(format!(
            "{}/webhooks/not-a-uuid?token=query-secret",
            herald.address
        ))
        .bearer_auth(&key)
        .header("x-request-id", "req-log-7")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 404);
    herald
        .wait_for_log("req-log-7", Duration::from_secs(10))
        .await;
    let log = herald.log_text();
    let lines: Vec<&str> = log
        .lines()
        .filter(|line| line.contains("req-log-7") && line.contains(" request "))
        .collect();
    assert_eq!(lines.len(), 1, "{log}");
    let line = lines[0];
    for part in [
        "INFO",
        "method=GET",
        "route=/webhooks/{id}",
        "status=404",
        "latency_ms=",
    ] {
        assert!(line.contains(part), "{part} missing from {line}");
    }
    assert!(!log.contains(&key), "the key was logged:\n{log}");
    assert!(
        !log.contains("query-secret"),
        "a query string was logged:\n{log}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_thousand_idle_connections_do_not_stop_healthz_or_the_api() {
    const IDLE: usize = 2_000;
    // The test's own end of the connections needs descriptors too.
    rlimit::increase_nofile_limit(u64::MAX).unwrap();
    let installation = Installation::new(Backend::Sqlite).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    // Started as a shell with `ulimit -Sn 1024` would start it: Herald itself
    // must raise the limit to hold 2,000 connections.
    let herald = installation
        .start_with_soft_open_file_limit(&["serve"], 1024)
        .await;
    let address = herald.address.trim_start_matches("http://").to_owned();
    let mut idle = Vec::with_capacity(IDLE);
    for n in 0..IDLE {
        let connect = tokio::net::TcpStream::connect(&address);
        let stream = tokio::time::timeout(Duration::from_secs(5), connect)
            .await
            .unwrap_or_else(|_| panic!("connection {n} was not accepted within 5 s"))
            .unwrap_or_else(|error| panic!("connection {n} refused: {error}"));
        idle.push(stream);
    }
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{}/healthz", herald.address))
        .timeout(Duration::from_secs(5))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    let (status, body) = call(&herald.address, &key, "GET", "/webhooks", None)
        .await
        .unwrap();
    assert_eq!(status, 200, "{body}");
    let log = herald.log_text();
    assert!(!log.contains("could not accept"), "{log}");
    drop(idle);
}

async fn attempts_counted(process: &HeraldProcess) -> f64 {
    let text = reqwest::get(format!("{}/metrics", process.address))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|line| line.starts_with("herald_attempts_total{"))
        .filter_map(|line| line.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

async fn a_worker_answers_health_readiness_and_its_own_attempt_counts_on_its_address(
    backend: Backend,
) {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let receiver = Receiver::start().await;
    receiver.next(vec![Reply::ok(); 2]);
    let api = installation.start(&["serve", "--no-worker"]).await;
    let worker = installation.start(&["worker"]).await;
    for path in ["/healthz", "/readyz"] {
        let response = reqwest::get(format!("{}{path}", worker.address))
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["data"]["status"], "ok", "{path}: {body}");
    }
    // Nothing else: no API and no console on a worker.
    let (status, body) = call(&worker.address, &key, "GET", "/webhooks", None)
        .await
        .unwrap();
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"]["code"], "RESOURCE_NOT_FOUND");
    let console = reqwest::get(format!("{}/console/sign-in", worker.address))
        .await
        .unwrap();
    assert_eq!(console.status(), 404);

    let before = attempts_counted(&worker).await;
    create_webhook(&api, &key, receiver.url("/h")).await;
    for n in 0..2 {
        let event = json!({"type": 3, "data": {"n": n}});
        let (status, _) = call(&api.address, &key, "POST", "/events", Some(event))
            .await
            .unwrap();
        assert_eq!(status, 202);
    }
    receiver.wait_for(2, Duration::from_secs(20)).await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while attempts_counted(&worker).await < before + 2.0 {
        assert!(
            std::time::Instant::now() < deadline,
            "the worker's /metrics did not count its 2 attempts"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(
        attempts_counted(&api).await,
        0.0,
        "the API process made no attempt"
    );
}

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

async fn no_secret_reaches_the_output(backend: Backend) {
    let installation = Installation::new(backend).await;
    let master_key = "ef".repeat(32);
    let mut secrets = vec![master_key.clone(), "proxy-secret-pw".to_owned()];
    let mut env = vec![
        ("HERALD_MASTER_KEY", master_key.clone()),
        (
            "HERALD_PROXY",
            "http://proxyuser:proxy-secret-pw@127.0.0.1:9".to_owned(),
        ),
    ];
    if let Some(url) = &installation.database_url {
        // A password in the user-info and one as a parameter: both reach
        // sqlx (the test cluster trusts every connection, so neither matters).
        let with_secrets = url.replacen("postgres@", "postgres:userinfo-secret-pw@", 1)
            + "?password=param-secret-pw&sslpassword=ssl-secret-pw";
        secrets
            .extend(["userinfo-secret-pw", "param-secret-pw", "ssl-secret-pw"].map(String::from));
        env.push(("DATABASE_URL", with_secrets));
    }
    let env: Vec<(&str, &str)> = env
        .iter()
        .map(|(name, value)| (*name, value.as_str()))
        .collect();
    let key = {
        let output = installation.run(&["api-key", "create", "--scopes", SCOPES], &env);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        for secret in &secrets {
            assert!(
                !stderr.contains(secret.as_str()),
                "the CLI printed a secret:\n{stderr}"
            );
        }
        String::from_utf8(output.stdout).unwrap().trim().to_owned()
    };
    let mut herald = installation
        .start_with_env(&["serve"], free_port(), &env)
        .await;
    let (status, _) = call(&herald.address, &key, "GET", "/webhooks", None)
        .await
        .unwrap();
    assert_eq!(status, 200);
    let status = herald.terminate(Duration::from_secs(10));
    assert!(status.success(), "{status}");
    let log = herald.log_text();
    assert!(log.contains("master_key=*** (HERALD_MASTER_KEY)"), "{log}");
    assert!(log.contains("proxyuser:***@"), "{log}");
    for secret in &secrets {
        assert!(
            !log.contains(secret.as_str()),
            "{secret} reached the output:\n{log}"
        );
    }
    assert!(
        !log.contains(&key),
        "the API key reached the output:\n{log}"
    );
}
