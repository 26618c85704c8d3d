//! The README's "API" and "Coming from another webhook API" sections, run
//! exactly as written against a live Herald: their `sh` blocks of curl
//! calls, with `HERALD_URL` and `HERALD_KEY` set as the API section's first
//! block tells the reader to.

use crate::helpers::{Backend, TestApp};
use serde_json::Value;
use std::time::Duration;

on_both_backends!(
    the_readme_curl_examples_work_as_written,
    the_readme_profile_examples_work_as_written,
);

async fn the_readme_curl_examples_work_as_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.admin_key().await;
    let printed = run(&app, &key, &readme_sh_block("API", 2)).await;
    let [created, list, updated, refused, deleted] = printed.as_slice() else {
        panic!("expected five answers: {printed:?}");
    };
    let id = &created["data"]["id"];
    assert_eq!(created["success"], true, "{created}");
    assert_eq!(
        created["data"]["events"],
        serde_json::json!(["interview.completed", "analysis.completed"])
    );
    assert_eq!(created["data"]["signingSecret"].as_str().unwrap().len(), 64);
    assert!(
        created["data"]["standardSecret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    assert_eq!(list["data"]["total"], 1, "{list}");
    assert_eq!(&list["data"]["data"][0]["id"], id);
    assert!(list["data"]["data"][0].get("signingSecret").is_none());
    assert_eq!(updated["data"]["isActive"], false, "{updated}");
    assert_eq!(updated["data"]["events"], serde_json::json!(["*"]));
    assert_eq!(
        updated["data"]["name"], "Production",
        "fields not sent stay"
    );
    assert_eq!(
        refused["error"],
        serde_json::json!({"code": "VALIDATION_ERROR", "message": "url must be a valid URL", "details": {"field": "url"}})
    );
    assert_eq!(deleted, &Value::from(204));
    let (_, after) = app.call("GET", "/webhooks", Some(&key), None).await;
    assert_eq!(after["data"]["total"], 0, "{after}");
}

async fn the_readme_profile_examples_work_as_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.admin_key().await;
    let printed = run(
        &app,
        &key,
        &readme_sh_block("Coming from another webhook API", 1),
    )
    .await;
    let [workflow, changed, endpoint, narrowed] = printed.as_slice() else {
        panic!("expected four answers: {printed:?}");
    };
    assert_eq!(workflow["has_bearer_token"], true, "{workflow}");
    assert_eq!(workflow["actions"], serde_json::json!(["workflow_created"]));
    assert_eq!(changed["id"], workflow["id"]);
    assert_eq!(
        (&changed["timeout_seconds"], &changed["max_retries"]),
        (&10.into(), &5.into())
    );
    assert_eq!(changed["name"], "Workflow alerts", "fields not sent stay");
    assert_eq!(endpoint["events"], serde_json::json!([]), "{endpoint}");
    assert_eq!(narrowed["endpoint_id"], endpoint["endpoint_id"]);
    assert_eq!(
        narrowed["events"],
        serde_json::json!(["video.updated", "avatar.deleted"])
    );
    assert_eq!(narrowed["secret"], endpoint["secret"]);
    let (_, main) = app.call("GET", "/webhooks", Some(&key), None).await;
    assert_eq!(main["data"]["total"], 2, "{main}");
}

/// Runs a README block under bash with the API section's variables set;
/// returns the JSON values it printed, in order.
async fn run(app: &TestApp, key: &str, block: &str) -> Vec<Value> {
    assert!(block.contains("curl"), "{block}");
    let output = tokio::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", block])
        .env("HERALD_URL", &app.address)
        .env("HERALD_KEY", key)
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(Duration::from_secs(60), output)
        .await
        .expect("the examples finished within a minute")
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::Deserializer::from_str(&stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|error| panic!("{error}: {stdout}"))
}

/// The `n`-th ```sh block (from 1) of the README's section `heading`.
fn readme_sh_block(heading: &str, n: usize) -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split(&format!("\n## {heading}\n"))
        .nth(1)
        .unwrap_or_else(|| panic!("README has a section {heading}"));
    let section = section.split("\n## ").next().unwrap();
    section
        .split("```sh\n")
        .nth(n)
        .and_then(|block| block.split("\n```").next())
        .unwrap_or_else(|| panic!("{heading}'s sh block {n}"))
        .to_owned()
}
