//! The real `herald` binary as an operator runs it: its request log, its
//! open-file limit, the worker's own endpoints, and what its output never
//! shows.

use crate::helpers::{
    Backend, Receiver, Reply,
    process::{HeraldProcess, Installation, free_port},
};
use crate::processes::{call, create_webhook};
use serde_json::{Value, json};
use std::time::Duration;

on_both_backends!(
    a_worker_answers_health_readiness_and_its_own_attempt_counts_on_its_address,
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
    let _heavy = crate::helpers::heavy().await;
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
