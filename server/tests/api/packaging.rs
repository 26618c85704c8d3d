//! The `herald` binary as one file: copied alone into an empty directory
//! and started there, it serves the console and the bundle it carries.

use crate::helpers::process::free_port;
use std::{path::Path, process::Stdio, time::Duration};

/// The site the binary carries, as `make test` built it.
fn embedded_site() -> &'static str {
    let Some(site) = option_env!("HERALD_EMBED_SITE") else {
        panic!("run through `make test`: scripts/test.sh names the site the binary carries");
    };
    site
}

/// Starts a copy of the binary in `dir` with nothing in its environment;
/// returns it and its address once it answers.
async fn serve_from(dir: &Path, client: &reqwest::Client) -> (tokio::process::Child, String) {
    let binary = dir.join("herald");
    std::fs::copy(env!("CARGO_BIN_EXE_herald"), &binary).unwrap();
    let address = format!("127.0.0.1:{}", free_port());
    let herald = tokio::process::Command::new(&binary)
        .arg("serve")
        .current_dir(dir)
        .env_clear()
        .env("HERALD_ADDR", &address)
        .env("HERALD_DATA_DIR", dir.join("data"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while client
        .get(format!("http://{address}/healthz"))
        .send()
        .await
        .is_err()
    {
        assert!(std::time::Instant::now() < deadline, "herald did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    (herald, address)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_alone_serves_the_console_and_its_bundle() {
    embedded_site();
    let dir = tempfile::tempdir().unwrap();
    let client = reqwest::Client::new();
    let (_herald, address) = serve_from(dir.path(), &client).await;
    let url = |path: &str| format!("http://{address}{path}");

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
    let missing = client.get(url("/pkg/nothing.js")).send().await.unwrap();
    assert_eq!(missing.status(), 404);
    let unversioned = client.get(url("/pkg/herald.wasm")).send().await.unwrap();
    assert_eq!(
        unversioned.headers()["cache-control"],
        "no-cache",
        "an unversioned name is checked on every use"
    );
    the_bundle_is_served_by_version_and_precompressed(&client, &url).await;
}

/// Pages name the bundle by its version; that address is kept a year and
/// sent as the precompressed copy the browser accepts.
async fn the_bundle_is_served_by_version_and_precompressed(
    client: &reqwest::Client,
    url: &dyn Fn(&str) -> String,
) {
    let page = client.get(url("/console/sign-in")).send().await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(page.headers()["cache-control"], "no-cache");
    let html = page.text().await.unwrap();
    let start = html
        .find("/pkg/herald-")
        .expect("the page names a versioned bundle")
        + 12;
    let version = &html[start..start + 16];
    assert!(version.bytes().all(|b| b.is_ascii_hexdigit()), "{version}");
    for extension in ["js", "wasm", "css"] {
        assert!(
            html.contains(&format!("/pkg/herald-{version}.{extension}")),
            "{extension}: {html}"
        );
    }
    let versioned = url(&format!("/pkg/herald-{version}.wasm"));
    let plain = client.get(&versioned).send().await.unwrap();
    assert!(plain.headers().get("content-encoding").is_none());
    assert_eq!(
        plain.headers()["cache-control"],
        "public, max-age=31536000, immutable"
    );
    let module = plain.bytes().await.unwrap();
    assert!(module.starts_with(b"\0asm"));
    for (accept, encoding) in [
        ("br", "br"),
        ("gzip, deflate, br", "br"),
        ("br;q=0, gzip", "gzip"),
        ("GZIP", "gzip"),
        ("*", "br"),
        ("br;q=0, *", "gzip"),
        ("br;q=0.1, gzip", "gzip"),
        ("gzip;Q=0, *;q=0.5", "br"),
        ("deflate", "identity"),
        ("identity", "identity"),
    ] {
        let response = client
            .get(&versioned)
            .header("accept-encoding", accept)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "{accept}");
        let headers = response.headers().clone();
        assert_eq!(headers["content-type"], "application/wasm", "{accept}");
        assert_eq!(headers["vary"], "accept-encoding", "{accept}");
        assert_eq!(
            headers["cache-control"],
            "public, max-age=31536000, immutable"
        );
        let sent = headers
            .get("content-encoding")
            .map_or("identity", |v| v.to_str().unwrap());
        assert_eq!(sent, encoding, "{accept}");
        let body = response.bytes().await.unwrap();
        assert_eq!(
            decoded(encoding, &body),
            module,
            "{accept}: the copy is the module"
        );
    }
    for path in [
        "/pkg/herald-0000000000000000.wasm".to_owned(),
        format!("/pkg/herald-{version}.wasm.br"),
        "/pkg/herald.wasm.gz".to_owned(),
    ] {
        let response = client.get(url(&path)).send().await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
    }
}

fn decoded(encoding: &str, body: &[u8]) -> Vec<u8> {
    use std::io::Read;
    let mut out = Vec::new();
    match encoding {
        "br" => brotli::Decompressor::new(body, 4096).read_to_end(&mut out),
        "gzip" => flate2::read::GzDecoder::new(body).read_to_end(&mut out),
        _ => return body.to_vec(),
    }
    .unwrap();
    out
}

/// With the build's `site/` beside it, as `make run` leaves it, the binary
/// still serves only what it carries: never a compressed copy by its own
/// name, nor any other file of that directory.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_site_directory_beside_the_binary_serves_nothing_of_its_own() {
    let dir = tempfile::tempdir().unwrap();
    let site = dir.path().join("site");
    copy_tree(Path::new(embedded_site()), &site);
    std::fs::write(site.join("pkg/notes.txt"), "not part of the site").unwrap();
    let client = reqwest::Client::new();
    let (_herald, address) = serve_from(dir.path(), &client).await;
    let get = |path: &'static str| client.get(format!("http://{address}{path}")).send();
    assert_eq!(get("/pkg/herald.wasm").await.unwrap().status(), 200);
    for path in ["/pkg/herald.wasm.br", "/pkg/herald.js.gz", "/pkg/notes.txt"] {
        let response = get(path).await.unwrap();
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.headers()["cache-control"], "no-cache", "{path}");
    }
}

/// The budget of a first load: each part's WebAssembly (the console's main
/// pages, its administration pages, the portal) as brotli sends it.
#[test]
fn the_bundle_on_the_wire_is_at_most_350_kib() {
    for bundle in ["herald", "admin", "portal"] {
        let br = Path::new(embedded_site()).join(format!("pkg/{bundle}.wasm.br"));
        let size = std::fs::metadata(&br).unwrap().len();
        assert!(size <= 350 * 1024, "{}: {size} bytes", br.display());
    }
}

fn copy_tree(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_tree(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}
