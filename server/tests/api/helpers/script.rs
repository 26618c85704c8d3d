//! Runs a shell script of curl calls (a seed document's example) and reads
//! back what it printed: each answer's JSON body on a line, then its status.

use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

/// The answers `script` (under `tests/seed_examples/`) printed, in order.
pub async fn curl_answers(script: &str, env: &[(&str, &str)]) -> Vec<(StatusCode, Value)> {
    let path = format!(
        "{}/tests/seed_examples/{script}",
        env!("CARGO_MANIFEST_DIR")
    );
    let output = tokio::process::Command::new("bash")
        .arg(path)
        .envs(env.iter().copied())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), output)
        .await
        .expect("curl finished within a minute")
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
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
