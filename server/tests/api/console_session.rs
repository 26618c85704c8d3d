//! Console sign-in, sessions and sign-out through the real server functions.

use crate::helpers::{
    Backend, TestApp, location,
    process::{HeraldProcess, Installation, free_port},
    session_from, set_cookie, unknown_key,
};
use herald_store::Db;
use reqwest::StatusCode;
use serde_json::Value;

on_both_backends!(
    signed_out_visitors_of_a_console_page_are_sent_to_sign_in,
    the_sign_in_page_is_server_rendered_with_the_wasm_bundle,
    signing_in_sets_an_http_only_strict_session_cookie,
    a_session_shows_the_webhooks_page_with_the_account_name,
    signed_in_visitors_of_sign_in_are_sent_to_the_webhooks_page,
    a_wrong_key_is_refused_with_a_readable_error,
    a_malformed_key_is_refused_by_the_server_as_well,
    a_sign_in_request_without_a_key_is_a_400_not_a_500,
    signing_out_deletes_the_session_so_its_cookie_is_refused,
    revoking_a_key_ends_its_sessions_at_once,
    the_session_cookie_is_secure_behind_an_https_public_url,
    neither_keys_nor_session_tokens_are_stored_in_plain_text,
    unknown_console_pages_answer_404,
);

async fn signed_out_visitors_of_a_console_page_are_sent_to_sign_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/console/webhooks").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/console/sign-in");
    let response = app.get_with_session("/console/webhooks", "forged").await;
    assert_eq!(location(&response), "/console/sign-in");
}

async fn the_sign_in_page_is_server_rendered_with_the_wasm_bundle(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.get("/console/sign-in").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(
        html.contains(r#"<label for="api-key">API key</label>"#),
        "{html}"
    );
    assert!(html.contains("Sign in"));
    assert!(
        html.contains("/pkg/herald.js"),
        "hydration script missing: {html}"
    );
    assert!(html.contains("/pkg/herald.css"));
}

async fn signing_in_sets_an_http_only_strict_session_cookie(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.admin_key().await;
    let response = app.server_fn("sign_in", &[("api_key", &key)], None).await;
    assert_eq!(response.status(), StatusCode::OK);
    let cookie = set_cookie(&response);
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain-http Herald must not set Secure: {cookie}"
    );
    let user: Value = response.json().await.unwrap();
    assert_eq!(user["account_name"], "default");
    assert_eq!(user["scopes"], serde_json::json!(["admin"]));
}

/// A real `herald serve` and the `Set-Cookie` of a console sign-in with an
/// admin key. Full pages are rendered by the binary, as users get them: in
/// this test process, among other tests' servers, a page's stream could
/// stall (one run in a few under load), which 640 stressed loads of real
/// `serve` processes never did.
async fn serving_signed_in(
    backend: Backend,
    env: &[(&str, &str)],
) -> (Installation, HeraldProcess, String) {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", "admin"]);
    let herald = installation
        .start_with_env(&["serve"], free_port(), env)
        .await;
    let response = reqwest::Client::new()
        .post(format!("{}/console/fn/sign_in", herald.address))
        .form(&[("api_key", key.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK, "sign-in failed");
    let cookie = set_cookie(&response);
    (installation, herald, cookie)
}

/// GET `path` of `herald` with a `Cookie` header, redirects not followed.
async fn get_with_cookie(herald: &HeraldProcess, path: &str, cookie: &str) -> reqwest::Response {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
        .get(format!("{}{path}", herald.address))
        .header(reqwest::header::COOKIE, cookie)
        .send()
        .await
        .unwrap()
}

async fn a_session_shows_the_webhooks_page_with_the_account_name(backend: Backend) {
    let (_installation, herald, cookie) = serving_signed_in(backend, &[]).await;
    let session = cookie.split(';').next().unwrap();
    let response = get_with_cookie(&herald, "/console/webhooks", session).await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains("<h1>Webhooks</h1>"), "{html}");
    assert!(html.contains("default"), "account name missing: {html}");
    assert!(html.contains("Sign out"));
}

async fn signed_in_visitors_of_sign_in_are_sent_to_the_webhooks_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.sign_in(&app.admin_key().await).await;
    let response = app.get_with_session("/console/sign-in", &session).await;
    assert_eq!(location(&response), "/console/webhooks");
}

async fn a_wrong_key_is_refused_with_a_readable_error(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    app.admin_key().await;
    let response = app
        .server_fn("sign_in", &[("api_key", &unknown_key())], None)
        .await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(session_from(&response).is_none());
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "UNAUTHORIZED");
    assert_eq!(error["message"], "Invalid API key");
}

async fn a_malformed_key_is_refused_by_the_server_as_well(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .server_fn("sign_in", &[("api_key", "pk_live_123")], None)
        .await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "VALIDATION_ERROR");
    assert_eq!(error["message"], "API keys start with sk_");
    assert_eq!(error["field"], "apiKey");
}

async fn a_sign_in_request_without_a_key_is_a_400_not_a_500(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app.server_fn("sign_in", &[("other", "x")], None).await;
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "VALIDATION_ERROR");
    assert_eq!(error["message"], "Bad request: missing field `api_key`");
}

async fn signing_out_deletes_the_session_so_its_cookie_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.sign_in(&app.admin_key().await).await;
    let response = app.server_fn("current_user", &[], Some(&session)).await;
    assert_eq!(response.status(), StatusCode::OK);

    let response = app.server_fn("sign_out", &[], Some(&session)).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(set_cookie(&response).contains("Max-Age=0"));

    let response = app.server_fn("current_user", &[], Some(&session)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let error: Value = response.json().await.unwrap();
    assert_eq!(error["code"], "UNAUTHORIZED");
    let response = app.get_with_session("/console/webhooks", &session).await;
    assert_eq!(location(&response), "/console/sign-in");
}

async fn revoking_a_key_ends_its_sessions_at_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.admin_key().await;
    let session = app.sign_in(&key).await;
    let principal = app.service.authenticate(&key).await.unwrap();
    app.service
        .revoke_api_key(&principal.account_id, &principal.key_id)
        .await
        .unwrap();
    let response = app.server_fn("current_user", &[], Some(&session)).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = app.server_fn("sign_in", &[("api_key", &key)], None).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

async fn the_session_cookie_is_secure_behind_an_https_public_url(backend: Backend) {
    let (_installation, herald, cookie) = serving_signed_in(
        backend,
        &[("HERALD_PUBLIC_URL", "https://hooks.example.com")],
    )
    .await;
    assert!(cookie.contains("; Secure"), "{cookie}");
    let token = cookie
        .strip_prefix("__Host-herald_session=")
        .unwrap_or_else(|| panic!("a Secure session cookie takes the __Host- prefix: {cookie}"))
        .split(';')
        .next()
        .unwrap()
        .to_owned();
    assert!(cookie.contains("; Path=/"), "{cookie}");

    // Only the prefixed name signs in: a plain one could be planted over http.
    let prefixed = format!("__Host-herald_session={token}");
    let prefixed = get_with_cookie(&herald, "/console/webhooks", &prefixed).await;
    assert_eq!(prefixed.status(), StatusCode::OK);
    let plain = format!("herald_session={token}");
    let plain = get_with_cookie(&herald, "/console/webhooks", &plain).await;
    assert_eq!(
        plain.status(),
        StatusCode::SEE_OTHER,
        "{:?}",
        plain.headers()
    );
}

async fn neither_keys_nor_session_tokens_are_stored_in_plain_text(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.admin_key().await;
    let session = app.sign_in(&key).await;
    let dump = dump_secrets_columns(&app.db).await;
    assert!(!dump.contains(&key[3..]), "API key stored in plain text");
    assert!(
        !dump.contains(&session),
        "session token stored in plain text"
    );
    assert!(dump.contains(&key[..11]), "the visible prefix is kept");
}

async fn dump_secrets_columns(db: &Db) -> String {
    const SQL: &str = "SELECT k.key_prefix || ' ' || k.key_hash || ' ' || s.token_hash \
                       FROM api_keys k JOIN console_sessions s ON s.api_key_id = k.id";
    let rows: Vec<(String,)> = match db {
        Db::Sqlite(pools) => sqlx::query_as(SQL).fetch_all(&pools.reads).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_as(SQL).fetch_all(pool).await.unwrap(),
    };
    rows.into_iter()
        .map(|(row,)| row)
        .collect::<Vec<_>>()
        .join("\n")
}

async fn unknown_console_pages_answer_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.sign_in(&app.admin_key().await).await;
    let response = app
        .get_with_session("/console/no-such-page", &session)
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.text().await.unwrap().contains("Page not found"));
}
