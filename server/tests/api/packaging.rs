//! The `herald` binary as one file: copied alone into an empty directory
//! and started there, it serves the console and the bundle it carries.

use crate::helpers::process::free_port;
use std::{process::Stdio, time::Duration};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_alone_serves_the_console_and_its_bundle() {
    assert!(
        option_env!("HERALD_EMBED_SITE").is_some(),
        "run through `make test`: scripts/test.sh names the site the binary carries"
    );
    let dir = tempfile::tempdir().unwrap();
    let binary = dir.path().join("herald");
    std::fs::copy(env!("CARGO_BIN_EXE_herald"), &binary).unwrap();
    let address = format!("127.0.0.1:{}", free_port());
    let _herald = tokio::process::Command::new(&binary)
        .arg("serve")
        .current_dir(dir.path())
        .env_clear()
        .env("HERALD_ADDR", &address)
        .env("HERALD_DATA_DIR", dir.path().join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let client = reqwest::Client::new();
    let url = |path: &str| format!("http://{address}{path}");
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while client.get(url("/healthz")).send().await.is_err() {
        assert!(std::time::Instant::now() < deadline, "herald did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    let wasm = client.get(url("/pkg/herald.wasm")).send().await.unwrap();
    assert_eq!(wasm.status(), 200);
    assert_eq!(wasm.headers()["content-type"], "application/wasm");
    let etag = wasm.headers()["etag"].clone();
    assert!(wasm.bytes().await.unwrap().starts_with(b"\0asm"));
    let etag = etag.to_str().unwrap().to_owned();
    for held in [etag.clone(), format!("\"older\", W/{etag}")] {
        let again = client
            .get(url("/pkg/herald.wasm"))
            .header("if-none-match", &held)
            .send()
            .await
            .unwrap();
        assert_eq!(
            again.status(),
            304,
            "{held}: an unchanged file is not sent twice"
        );
    }
    let other = client
        .get(url("/pkg/herald.wasm"))
        .header("if-none-match", "\"older\"")
        .send()
        .await
        .unwrap();
    assert_eq!(other.status(), 200, "another version is sent");
    for (path, media_type) in [
        ("/pkg/herald.js", "javascript"),
        ("/pkg/herald.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let response = client.get(url(path)).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        let content_type = response.headers()["content-type"].to_str().unwrap();
        assert!(content_type.contains(media_type), "{path}: {content_type}");
    }
    let page = client.get(url("/console/sign-in")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("/pkg/herald.js"));
    let missing = client.get(url("/pkg/nothing.js")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
}
