//! Runs a shell script of curl calls (a seed document's example) and reads
//! back what it printed: each answer's JSON body on a line, then its status.

use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// Runs `program` (bash, node) on `script` under `tests/seed_examples/`
/// with `env`; fails the test unless it succeeds within a minute. Its stdout.
pub async fn run_script(program: &str, script: &str, env: &[(&str, &str)]) -> String {
    let path = format!(
        "{}/tests/seed_examples/{script}",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = tokio::process::Command::new(program)
        .arg(path)
        .envs(env.iter().copied())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), output)
        .await
        .unwrap_or_else(|_| panic!("{script} finished within a minute"))
        .unwrap_or_else(|error| panic!("{program} runs (scripts/setup.sh installs it): {error}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    assert!(
        output.status.success(),
        "{script} failed\n--- stdout\n{stdout}\n--- stderr\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    stdout
}

/// The answers `script` (under `tests/seed_examples/`) printed, in order.
pub async fn curl_answers(script: &str, env: &[(&str, &str)]) -> Vec<(StatusCode, Value)> {
    let stdout = run_script("bash", script, env).await;
    let lines: Vec<&str> = stdout.lines().filter(|line| !line.is_empty()).collect();
    lines
        .chunks(2)
        .map(|answer| {
            let [body, status] = answer else {
                panic!("a body and a status expected: {stdout}");
            };
            let status = StatusCode::from_u16(status.parse().unwrap()).unwrap();
            let body = serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"));
            (status, body)
        })
        .collect()
}
