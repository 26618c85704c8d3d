//! schemathesis (PyPI) fuzzes every operation of our `/openapi.json` against
//! a live Herald, and openapi-spec-validator checks the document is valid
//! OpenAPI 3.1. `scripts/setup.sh --test` installs both into `$HERALD_VENV`.

use crate::helpers::{Backend, TestApp};
use std::{path::PathBuf, process::Output, time::Duration};

on_both_backends!(
    schemathesis_finds_no_server_error_and_no_schema_mismatch,
    the_document_validates_as_openapi_3_1,
);

/// Every check but `positive_data_acceptance`: JSON Schema cannot say that an
/// event label must be in the catalog or a company id must exist, so
/// schema-valid bodies are rightly refused with a 400 or 404. The webhooks
/// schemathesis creates have arbitrary URLs: no worker runs and the test
/// ping is left out, so nothing is sent anywhere (the delivery tests cover
/// those routes against a loopback receiver).
async fn schemathesis_finds_no_server_error_and_no_schema_mismatch(backend: Backend) {
    let app = TestApp::spawn_without_worker(backend).await;
    let key = app.admin_key().await;
    let report = tempfile::tempdir().unwrap();
    let output = run_in(
        report.path(),
        "schemathesis",
        &[
            "run",
            &app.url("/openapi.json"),
            "--header",
            &format!("Authorization: Bearer {key}"),
            "--header",
            &format!("x-api-key: {key}"),
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
            "--exclude-path",
            "/webhooks/{id}/test",
            "--max-time",
            "40",
            "--request-timeout",
            "10",
            "--no-color",
            "--report-dir",
            report.path().to_str().unwrap(),
        ],
    )
    .await;
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "schemathesis failed\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("API Operations:"), "{stdout}");
}

async fn the_document_validates_as_openapi_3_1(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let document = app.get("/openapi.json").await.text().await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("openapi.json");
    std::fs::write(&path, document).unwrap();
    let output = run(
        "openapi-spec-validator",
        &["--schema", "3.1", path.to_str().unwrap()],
    )
    .await;
    assert!(
        output.status.success(),
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

async fn run(tool: &str, args: &[&str]) -> Output {
    run_in(&std::env::temp_dir(), tool, args).await
}

/// Runs a tool of the venv in `dir`, where it may leave its caches.
async fn run_in(dir: &std::path::Path, tool: &str, args: &[&str]) -> Output {
    let program = venv().join("bin").join(tool);
    assert!(
        program.exists(),
        "{} is missing: run scripts/setup.sh --test",
        program.display()
    );
    let output = tokio::process::Command::new(&program)
        .args(args)
        .current_dir(dir)
        .kill_on_drop(true)
        .output();
    tokio::time::timeout(Duration::from_secs(180), output)
        .await
        .unwrap_or_else(|_| panic!("{tool} ran for over 3 minutes"))
        .unwrap()
}

/// The Python environment `scripts/setup.sh --test` made.
fn venv() -> PathBuf {
    match std::env::var_os("HERALD_VENV") {
        Some(dir) => dir.into(),
        None => {
            PathBuf::from(std::env::var_os("HOME").expect("HOME is set")).join(".cache/herald/venv")
        }
    }
}
