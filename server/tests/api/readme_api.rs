//! The README's "API" section, run exactly as written against a live
//! Herald: its second `sh` block, with `HERALD_URL` and `HERALD_KEY` set as
//! its first block tells the reader to.

use crate::helpers::{Backend, TestApp};
use serde_json::Value;
use std::time::Duration;

on_both_backends!(the_readme_curl_examples_work_as_written);

async fn the_readme_curl_examples_work_as_written(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.admin_key().await;
    let examples = readme_api_examples();
    assert!(examples.contains("curl"), "{examples}");

    let output = tokio::process::Command::new("bash")
        .args(["-euo", "pipefail", "-c", &examples])
        .env("HERALD_URL", &app.address)
        .env("HERALD_KEY", &key)
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

    let printed: Vec<Value> = serde_json::Deserializer::from_str(&stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|error| panic!("{error}: {stdout}"));
    let [created, list, updated, refused, deleted] = printed.as_slice() else {
        panic!("expected five answers: {stdout}");
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

/// The second ```sh block after the README's `## API` heading.
fn readme_api_examples() -> String {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../README.md")).unwrap();
    let section = readme
        .split("\n## API\n")
        .nth(1)
        .expect("README has an API section");
    let section = section.split("\n## ").next().unwrap();
    section
        .split("```sh\n")
        .nth(2)
        .and_then(|block| block.split("\n```").next())
        .expect("the API section's second sh block")
        .to_owned()
}
