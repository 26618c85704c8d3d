//! Console sign-in, sessions and sign-out through the real server functions.

use crate::helpers::{Backend, TestApp, location, session_from, set_cookie, unknown_key};
use reqwest::StatusCode;
use serde_json::Value;
use server::store::Db;

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

async fn a_session_shows_the_webhooks_page_with_the_account_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let session = app.sign_in(&app.admin_key().await).await;
    let response = app.get_with_session("/console/webhooks", &session).await;
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
    let app = TestApp::spawn_with(backend, |settings| {
        settings.public_url = Some("https://hooks.example.com".to_owned());
    })
    .await;
    let key = app.admin_key().await;
    let response = app.server_fn("sign_in", &[("api_key", &key)], None).await;
    let cookie = set_cookie(&response);
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
    let with = |cookie: String| {
        app.client
            .get(app.url("/console/webhooks"))
            .header(reqwest::header::COOKIE, cookie)
            .send()
    };
    let prefixed = with(format!("__Host-herald_session={token}"))
        .await
        .unwrap();
    assert_eq!(prefixed.status(), StatusCode::OK);
    let plain = with(format!("herald_session={token}")).await.unwrap();
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
