//! The `herald` binary: `api-key create`, `company create`, and `serve`'s bootstrap.

use crate::helpers::{Backend, TestApp, fresh_settings};
use herald_model::validate::ApiKeyInput;
use reqwest::StatusCode;
use serde_json::Value;
use std::{process::Stdio, time::Duration};
use tokio::io::{AsyncBufReadExt, BufReader};

on_both_backends!(
    api_key_create_prints_only_a_key_the_running_server_accepts,
    api_key_create_creates_the_account_when_missing,
    api_key_create_refuses_unknown_scopes_on_stderr,
    company_create_prints_only_the_id_and_keys_can_be_restricted_to_it,
    the_cli_never_bootstraps,
    serve_bootstraps_an_admin_key_once_and_redacts_secrets,
);

fn stdout(output: &std::process::Output) -> String {
    assert!(
        output.status.success(),
        "herald failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone()).unwrap()
}

async fn api_key_create_prints_only_a_key_the_running_server_accepts(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let printed = stdout(&app.cli(&["api-key", "create", "--scopes", "read:webhooks"]));
    assert_eq!(
        printed.lines().count(),
        1,
        "stdout must hold the key only: {printed:?}"
    );
    let key = printed.trim();
    assert!(ApiKeyInput::parse(key).is_ok(), "not a key: {key}");

    let session = app.sign_in(key).await;
    let response = app.server_fn("current_user", &[], Some(&session)).await;
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["scopes"], serde_json::json!(["read:webhooks"]));
    assert_eq!(user["account_name"], "default");
}

async fn api_key_create_creates_the_account_when_missing(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let args = [
        "api-key",
        "create",
        "--account",
        "acme",
        "--scopes",
        "write:webhooks,read:webhooks",
    ];
    let first = stdout(&app.cli(&args));
    let second = stdout(&app.cli(&args));
    assert_ne!(first, second);
    for key in [first.trim(), second.trim()] {
        let principal = app.service.authenticate(key).await.unwrap();
        assert_eq!(principal.account_name, "acme");
    }
    let first = app.service.authenticate(first.trim()).await.unwrap();
    let second = app.service.authenticate(second.trim()).await.unwrap();
    assert_eq!(
        first.account_id, second.account_id,
        "one account named acme"
    );
}

async fn api_key_create_refuses_unknown_scopes_on_stderr(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let output = app.cli(&["api-key", "create", "--scopes", "read:webhook"]);
    assert!(!output.status.success());
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("unknown scope \"read:webhook\""),
        "{stderr}"
    );
}

async fn company_create_prints_only_the_id_and_keys_can_be_restricted_to_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let printed = stdout(&app.cli(&["company", "create", "--name", "Globex"]));
    let company_id = printed.trim();
    assert!(
        uuid::Uuid::parse_str(company_id).is_ok(),
        "not an id: {printed:?}"
    );

    let key = stdout(&app.cli(&[
        "api-key",
        "create",
        "--scopes",
        "read:webhooks",
        "--company",
        company_id,
    ]));
    let principal = app.service.authenticate(key.trim()).await.unwrap();
    assert_eq!(principal.company_id.as_deref(), Some(company_id));

    let other_account = app.cli(&[
        "api-key",
        "create",
        "--account",
        "other",
        "--scopes",
        "read:webhooks",
        "--company",
        company_id,
    ]);
    assert!(
        !other_account.status.success(),
        "a company of another account is refused"
    );
    assert!(String::from_utf8_lossy(&other_account.stderr).contains("not found in account other"));
}

async fn the_cli_never_bootstraps(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    stdout(&app.cli(&["api-key", "create", "--scopes", "read:webhooks"]));
    assert!(
        app.service.bootstrap().await.unwrap().is_none(),
        "once any key exists, serve must not bootstrap another"
    );
}

/// The real binary on a fresh database prints an admin key once; a restart prints none.
async fn serve_bootstraps_an_admin_key_once_and_redacts_secrets(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let settings = fresh_settings(backend, dir.path()).await;
    let first = run_serve_until_listening(&settings).await;
    let key_line = first
        .stdout
        .lines()
        .find(|line| line.trim().starts_with("sk_"));
    let key = key_line
        .expect("first start prints the admin key")
        .trim()
        .to_owned();
    assert!(
        first.stderr.contains("master_key=*** (file"),
        "{}",
        first.stderr
    );
    let master_key = std::fs::read_to_string(dir.path().join("master.key")).unwrap();
    assert!(
        !first.stderr.contains(master_key.trim()),
        "the master key was logged"
    );

    let second = run_serve_until_listening(&settings).await;
    assert!(
        !second.stdout.contains("sk_"),
        "bootstrap ran twice: {}",
        second.stdout
    );

    let app = TestApp::spawn_with(backend, |s| {
        s.data_dir = dir.path().to_owned();
        s.database_url = settings.database_url.clone();
    })
    .await;
    let response = app.server_fn("sign_in", &[("api_key", &key)], None).await;
    assert_eq!(response.status(), StatusCode::OK);
}

struct ServeOutput {
    stdout: String,
    stderr: String,
}

async fn run_serve_until_listening(settings: &server::config::Settings) -> ServeOutput {
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_herald"));
    command
        .arg("serve")
        .env_clear()
        .env("HERALD_ADDR", "127.0.0.1:0")
        .env("HERALD_DATA_DIR", &settings.data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(url) = &settings.database_url {
        command.env("DATABASE_URL", url);
    }
    let mut child = command.spawn().unwrap();
    let mut stderr_lines = BufReader::new(child.stderr.take().unwrap()).lines();
    let mut stderr = String::new();
    let listening = tokio::time::timeout(Duration::from_secs(30), async {
        while let Some(line) = stderr_lines.next_line().await.unwrap() {
            stderr.push_str(&line);
            stderr.push('\n');
            if line.contains("listening on") {
                return;
            }
        }
        panic!("herald serve exited before listening:\n{stderr}");
    })
    .await;
    assert!(listening.is_ok(), "herald serve did not start in 30 s");
    child.start_kill().unwrap();
    let output = child.wait_with_output().await.unwrap();
    ServeOutput {
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr,
    }
}
