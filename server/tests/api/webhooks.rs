//! The webhook configuration API (SPEC §3) as the seed documents use it.

use crate::helpers::{Backend, TestApp, stored};
use herald_model::Scope;
use herald_store::Db;
use reqwest::StatusCode;
use serde_json::{Value, json};

on_both_backends!(
    create_answers_201_with_the_seed_shape_and_the_secret_once,
    events_accept_ids_labels_and_star_and_answer_labels_in_the_order_given,
    an_unknown_event_type_names_provided_and_allowed,
    scopes_and_keys_are_enforced_with_the_documented_errors,
    another_accounts_webhook_is_denied_and_unknown_ids_are_not_found,
    lists_page_newest_first_and_filter_by_company_excluding_global,
    patch_changes_only_given_fields_and_keeps_masked_values_and_the_secret,
    delete_answers_204_and_the_webhook_is_gone,
    reset_circuit_and_rotate_secret_answer_as_documented,
    header_values_and_secrets_are_encrypted_at_rest,
    company_restricted_keys_see_and_create_only_their_company,
    an_admin_acts_on_other_accounts_with_account_id,
);

fn seed_body() -> Value {
    json!({
        "url": "https://api.example.com/webhooks/instaview",
        "name": "Production Webhook",
        "description": "Receives interview completion notifications",
        "events": ["interview.completed", "analysis.completed"],
        "headers": [{ "name": "Authorization", "value": "Bearer your-internal-token" }]
    })
}

async fn create(app: &TestApp, key: &str, body: Value) -> Value {
    let (status, body) = app.call("POST", "/webhooks", Some(key), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["data"].clone()
}

fn assert_error(status: StatusCode, body: &Value, expected: StatusCode, code: &str, message: &str) {
    assert_eq!(status, expected, "{body}");
    assert_eq!(body["success"], false, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    assert_eq!(body["error"]["message"], message, "{body}");
}

async fn create_answers_201_with_the_seed_shape_and_the_secret_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let principal = app.service.authenticate(&key).await.unwrap();
    let created = create(&app, &key, seed_body()).await;

    assert!(uuid::Uuid::parse_str(created["id"].as_str().unwrap()).is_ok());
    assert_eq!(created["apiKeyId"], principal.key_id);
    assert_eq!(created["companyId"], Value::Null);
    assert_eq!(created["url"], "https://api.example.com/webhooks/instaview");
    assert_eq!(created["name"], "Production Webhook");
    assert_eq!(
        created["headers"],
        json!([{ "name": "Authorization", "isMasked": true }])
    );
    assert_eq!(
        created["events"],
        json!(["interview.completed", "analysis.completed"]),
        "the order given, as the seed's example answer shows"
    );
    assert_eq!(created["isActive"], true);
    assert_eq!(created["disabledReason"], Value::Null);
    assert_eq!(created["maxRetries"], 3);
    assert_eq!(created["timeoutMs"], 30000);
    assert_eq!(created["retryBackoffSeconds"], 30);
    assert_eq!(created["rateLimitPerSecond"], Value::Null);
    assert_eq!(created["consecutiveFailures"], 0);
    assert_eq!(created["circuitOpenedAt"], Value::Null);
    assert!(created["createdAt"].as_str().unwrap().ends_with('Z'));
    let secret = created["signingSecret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    let bytes = hex::decode(secret).unwrap();
    use base64::Engine;
    let standard = format!(
        "whsec_{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    );
    assert_eq!(created["standardSecret"], standard);

    let id = created["id"].as_str().unwrap();
    let (status, fetched) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(fetched["success"], true);
    assert!(
        fetched["data"].get("signingSecret").is_none(),
        "the secret is shown once"
    );
    assert!(fetched["data"].get("standardSecret").is_none());
    let mut expected = created.clone();
    expected.as_object_mut().unwrap().remove("signingSecret");
    expected.as_object_mut().unwrap().remove("standardSecret");
    assert_eq!(fetched["data"], expected);
}

async fn events_accept_ids_labels_and_star_and_answer_labels_in_the_order_given(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks]).await;
    let created = create(
        &app,
        &key,
        json!({"url": "https://a.example/h", "events": [3, 0]}),
    )
    .await;
    assert_eq!(
        created["events"],
        json!(["interview.completed", "analysis.completed"]),
        "the order given, as the seed's example answer shows"
    );
    let created = create(
        &app,
        &key,
        json!({"url": "https://a.example/h", "events": ["ping", 5]}),
    )
    .await;
    assert_eq!(created["events"], json!(["ping", "interview.started"]));
    let created = create(
        &app,
        &key,
        json!({"url": "http://localhost:9/h", "events": ["*"]}),
    )
    .await;
    assert_eq!(created["events"], json!(["*"]));
}

async fn an_unknown_event_type_names_provided_and_allowed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks]).await;
    let body = json!({"url": "https://a.example/h", "events": [99, 0]});
    let (status, body) = app.call("POST", "/webhooks", Some(&key), Some(body)).await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
        "Invalid event type",
    );
    assert_eq!(
        body["error"]["details"],
        json!({"field": "events", "provided": [99], "allowed": (0..=12).collect::<Vec<_>>()})
    );
    let body = json!({"url": "https://a.example/h", "events": []});
    let (status, body) = app.call("POST", "/webhooks", Some(&key), Some(body)).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"]["details"]["field"], "events");
}

async fn scopes_and_keys_are_enforced_with_the_documented_errors(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let reader = app.key(&[Scope::ReadWebhooks]).await;
    let (status, body) = app
        .call("POST", "/webhooks", Some(&reader), Some(seed_body()))
        .await;
    assert_error(
        status,
        &body,
        StatusCode::FORBIDDEN,
        "INSUFFICIENT_PERMISSIONS",
        "Required scope write:webhooks not found",
    );
    let writer = app.key(&[Scope::WriteWebhooks]).await;
    let (status, body) = app.call("GET", "/webhooks", Some(&writer), None).await;
    assert_error(
        status,
        &body,
        StatusCode::FORBIDDEN,
        "INSUFFICIENT_PERMISSIONS",
        "Required scope read:webhooks not found",
    );

    let (status, body) = app.call("GET", "/webhooks", None, None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "UNAUTHORIZED");
    let (status, body) = app
        .call(
            "GET",
            "/webhooks",
            Some(&crate::helpers::unknown_key()),
            None,
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::UNAUTHORIZED,
        "UNAUTHORIZED",
        "Invalid API key",
    );

    let principal = app.service.authenticate(&reader).await.unwrap();
    app.service
        .revoke_api_key(&principal.account_id, &principal.key_id)
        .await
        .unwrap();
    let (status, _) = app.call("GET", "/webhooks", Some(&reader), None).await;
    assert_eq!(
        status,
        StatusCode::UNAUTHORIZED,
        "revocation takes effect on the next request"
    );
}

async fn another_accounts_webhook_is_denied_and_unknown_ids_are_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let ours = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let theirs = app
        .key_in("other", &[Scope::WriteWebhooks, Scope::ReadWebhooks], None)
        .await;
    let id = create(&app, &ours, seed_body()).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for (method, path) in [
        ("GET", format!("/webhooks/{id}")),
        ("PATCH", format!("/webhooks/{id}")),
        ("DELETE", format!("/webhooks/{id}")),
        ("POST", format!("/webhooks/{id}/reset-circuit")),
        ("POST", format!("/webhooks/{id}/rotate-secret")),
    ] {
        let before = stored::tables(&app.db, &["webhooks", "deliveries", "events"]).await;
        let body = (method == "PATCH").then(|| json!({"name": "stolen"}));
        let (status, body) = app.call(method, &path, Some(&theirs), body).await;
        assert_error(
            status,
            &body,
            StatusCode::FORBIDDEN,
            "RESOURCE_ACCESS_DENIED",
            "Access denied to this webhook configuration",
        );
        assert_eq!(
            stored::tables(&app.db, &["webhooks", "deliveries", "events"]).await,
            before,
            "{method} {path} was refused but changed what is stored"
        );
    }
    let (status, ours_still) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&ours), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{ours_still}");
    assert_eq!(
        ours_still["data"]["name"],
        seed_body()["name"],
        "not stolen"
    );
    for id in [uuid::Uuid::new_v4().to_string(), "not-a-uuid".to_owned()] {
        let (status, body) = app
            .call("GET", &format!("/webhooks/{id}"), Some(&ours), None)
            .await;
        assert_error(
            status,
            &body,
            StatusCode::NOT_FOUND,
            "RESOURCE_NOT_FOUND",
            "Webhook configuration not found",
        );
    }
    let (_, list) = app.call("GET", "/webhooks", Some(&theirs), None).await;
    assert_eq!(list["data"]["total"], 0);
}

async fn lists_page_newest_first_and_filter_by_company_excluding_global(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let company = app.company("default", "Globex").await;
    let mut ids = Vec::new();
    for n in 0..3 {
        let body = json!({"url": format!("https://a.example/{n}"), "events": [0], "name": format!("global {n}")});
        ids.push(create(&app, &key, body).await["id"].clone());
    }
    let body = json!({"url": "https://a.example/c", "events": [0], "companyId": company});
    let company_hook = create(&app, &key, body).await;

    let (status, list) = app.call("GET", "/webhooks?limit=2", Some(&key), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["success"], true);
    assert_eq!(list["data"]["total"], 4);
    let page: Vec<Value> = list["data"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].clone())
        .collect();
    assert_eq!(
        page,
        vec![company_hook["id"].clone(), ids[2].clone()],
        "newest first"
    );
    let (_, list) = app
        .call("GET", "/webhooks?limit=2&offset=2", Some(&key), None)
        .await;
    let page: Vec<Value> = list["data"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].clone())
        .collect();
    assert_eq!(page, vec![ids[1].clone(), ids[0].clone()]);

    let (_, list) = app
        .call(
            "GET",
            &format!("/webhooks?companyId={company}"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(list["data"]["total"], 1);
    assert_eq!(list["data"]["data"][0]["companyId"], company);

    for bad in ["limit=abc", "limit=0", "limit=201", "offset=-1"] {
        let (status, body) = app
            .call("GET", &format!("/webhooks?{bad}"), Some(&key), None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert_eq!(body["error"]["code"], "VALIDATION_ERROR");
        assert_eq!(
            body["error"]["details"]["field"],
            bad.split('=').next().unwrap()
        );
    }
}

async fn patch_changes_only_given_fields_and_keeps_masked_values_and_the_secret(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let mut body = seed_body();
    body["headers"] = json!([
        {"name": "Authorization", "value": "Bearer one"},
        {"name": "X-Env", "value": "prod"},
        {"name": "X-Token", "value": "t0k", "secret": true}
    ]);
    let created = create(&app, &key, body).await;
    let id = created["id"].as_str().unwrap();
    let path = format!("/webhooks/{id}");

    let (status, patched) = app
        .call("PATCH", &path, Some(&key), Some(json!({"isActive": false})))
        .await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    let patched = &patched["data"];
    assert_eq!(patched["isActive"], false);
    for field in [
        "url",
        "name",
        "description",
        "events",
        "headers",
        "maxRetries",
        "companyId",
    ] {
        assert_eq!(patched[field], created[field], "{field} must not change");
    }

    let update = json!({
        "url": "https://api.example.com/webhooks/instaview-v2",
        "events": ["analysis.completed", "analysis.failed", "interview.completed", "interview.failed"],
        "name": null,
        "timeoutMs": 5000,
        "rateLimitPerSecond": 20,
        "headers": [{"name": "authorization"}, {"name": "X-Token"}, {"name": "X-New", "value": "n"}]
    });
    let (status, patched) = app.call("PATCH", &path, Some(&key), Some(update)).await;
    assert_eq!(status, StatusCode::OK, "{patched}");
    let patched = &patched["data"];
    assert_eq!(
        patched["url"],
        "https://api.example.com/webhooks/instaview-v2"
    );
    assert_eq!(
        patched["events"],
        json!([
            "analysis.completed",
            "analysis.failed",
            "interview.completed",
            "interview.failed"
        ])
    );
    assert_eq!(patched["name"], Value::Null);
    assert_eq!(patched["description"], created["description"]);
    assert_eq!(patched["timeoutMs"], 5000);
    assert_eq!(patched["rateLimitPerSecond"], 20);
    assert_eq!(
        patched["headers"],
        json!([
            {"name": "authorization", "isMasked": true},
            {"name": "X-Token", "isMasked": true},
            {"name": "X-New", "isMasked": false, "value": "n"}
        ])
    );
    assert!(patched.get("signingSecret").is_none());

    let row = server_row(&app.db, id).await;
    let headers = String::from_utf8(app_open(&app, &row.headers, id)).unwrap();
    assert!(
        headers.contains("Bearer one") && headers.contains("t0k"),
        "masked values kept: {headers}"
    );
    assert_eq!(
        row.signing_secret_plain(&app, id),
        hex::decode(created["signingSecret"].as_str().unwrap()).unwrap()
    );

    let (status, body) = app
        .call(
            "PATCH",
            &path,
            Some(&key),
            Some(json!({"headers": [{"name": "X-Env"}]})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "an unmasked header needs its value: {body}"
    );
    assert_eq!(body["error"]["details"]["field"], "headers[0].value");
    let (status, body) = app
        .call(
            "PATCH",
            &path,
            Some(&key),
            Some(json!({"url": "http://example.com"})),
        )
        .await;
    assert_error(
        status,
        &body,
        StatusCode::BAD_REQUEST,
        "VALIDATION_ERROR",
        "url must be a valid URL",
    );
    assert_eq!(body["error"]["details"]["field"], "url");
    let (status, _) = app
        .call("PATCH", &path, Some(&key), Some(json!({"events": []})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn delete_answers_204_and_the_webhook_is_gone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let id = create(&app, &key, seed_body()).await["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (status, body) = app
        .call("DELETE", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(body, Value::Null);
    let (status, _) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .call("DELETE", &format!("/webhooks/{id}"), Some(&key), None)
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, list) = app.call("GET", "/webhooks", Some(&key), None).await;
    assert_eq!(list["data"], json!({"data": [], "total": 0}));
}

async fn reset_circuit_and_rotate_secret_answer_as_documented(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let created = create(&app, &key, seed_body()).await;
    let id = created["id"].as_str().unwrap();
    let (status, reset) = app
        .call(
            "POST",
            &format!("/webhooks/{id}/reset-circuit"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(reset["data"]["consecutiveFailures"], 0);
    assert_eq!(reset["data"]["circuitOpenedAt"], Value::Null);
    assert_eq!(reset["data"]["isActive"], true);

    let (status, rotated) = app
        .call(
            "POST",
            &format!("/webhooks/{id}/rotate-secret"),
            Some(&key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{rotated}");
    let secret = rotated["data"]["signingSecret"].as_str().unwrap();
    assert_eq!(secret.len(), 64);
    assert_ne!(secret, created["signingSecret"]);
    assert!(
        rotated["data"]["standardSecret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    let row = server_row(&app.db, id).await;
    assert_eq!(
        row.signing_secret_plain(&app, id),
        hex::decode(secret).unwrap()
    );
    assert!(row.previous_signing_secret.is_some() && row.previous_secret_expires_at.is_some());
}

async fn header_values_and_secrets_are_encrypted_at_rest(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let key = app.key(&[Scope::WriteWebhooks]).await;
    let created = create(&app, &key, seed_body()).await;
    let id = created["id"].as_str().unwrap();
    let row = server_row(&app.db, id).await;
    let raw = [row.headers.clone(), row.signing_secret.clone()].concat();
    let needle = b"your-internal-token";
    assert!(
        !raw.windows(needle.len()).any(|w| w == needle),
        "header value stored in clear"
    );
    let secret = hex::decode(created["signingSecret"].as_str().unwrap()).unwrap();
    assert!(
        !raw.windows(32).any(|w| w == secret.as_slice()),
        "signing secret stored in clear"
    );
    assert!(
        !raw.windows(64)
            .any(|w| w == created["signingSecret"].as_str().unwrap().as_bytes())
    );
}

async fn company_restricted_keys_see_and_create_only_their_company(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mine = app.company("default", "Mine").await;
    let other = app.company("default", "Other").await;
    let account_key = app.key(&[Scope::WriteWebhooks, Scope::ReadWebhooks]).await;
    let global = create(&app, &account_key, seed_body()).await;
    let scopes = [Scope::WriteWebhooks, Scope::ReadWebhooks];
    let restricted = app.key_in("default", &scopes, Some(&mine)).await;

    let created = create(&app, &restricted, seed_body()).await;
    assert_eq!(
        created["companyId"], mine,
        "an omitted companyId becomes the key's company"
    );
    let mut body = seed_body();
    body["companyId"] = json!(other);
    let (status, body) = app
        .call("POST", "/webhooks", Some(&restricted), Some(body))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "RESOURCE_ACCESS_DENIED");

    let (_, list) = app.call("GET", "/webhooks", Some(&restricted), None).await;
    assert_eq!(list["data"]["total"], 1);
    assert_eq!(list["data"]["data"][0]["id"], created["id"]);
    let global_id = global["id"].as_str().unwrap();
    let (status, _) = app
        .call(
            "GET",
            &format!("/webhooks/{global_id}"),
            Some(&restricted),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, list) = app.call("GET", "/webhooks", Some(&account_key), None).await;
    assert_eq!(list["data"]["total"], 2);
}

async fn an_admin_acts_on_other_accounts_with_account_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let admin = app.key(&[Scope::Admin]).await;
    let tenant_key = app.key_in("tenant", &[Scope::ReadWebhooks], None).await;
    let tenant = app
        .service
        .authenticate(&tenant_key)
        .await
        .unwrap()
        .account_id;
    let mut body = seed_body();
    body["accountId"] = json!(tenant);
    let created = create(&app, &admin, body).await;
    let (_, list) = app.call("GET", "/webhooks", Some(&tenant_key), None).await;
    assert_eq!(list["data"]["data"][0]["id"], created["id"]);
    let (_, list) = app
        .call(
            "GET",
            &format!("/webhooks?accountId={tenant}"),
            Some(&admin),
            None,
        )
        .await;
    assert_eq!(list["data"]["total"], 1);
    let (_, list) = app.call("GET", "/webhooks", Some(&admin), None).await;
    assert_eq!(
        list["data"]["total"], 0,
        "an admin acts on its own account by default"
    );
    let id = created["id"].as_str().unwrap();
    let (status, _) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&admin), None)
        .await;
    assert_eq!(status, StatusCode::OK, "an admin is never denied");
    let (status, body) = app
        .call(
            "GET",
            &format!("/webhooks?accountId={tenant}"),
            Some(&tenant_key),
            None,
        )
        .await;
    assert_eq!(
        status,
        StatusCode::OK,
        "a key may name its own account: {body}"
    );
    let admin_account = app.service.authenticate(&admin).await.unwrap().account_id;
    let (status, body) = app
        .call(
            "GET",
            &format!("/webhooks?accountId={admin_account}"),
            Some(&tenant_key),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "RESOURCE_ACCESS_DENIED");
}

/// The raw stored row, read with plain SQL.
pub struct RawRow {
    pub headers: Vec<u8>,
    pub signing_secret: Vec<u8>,
    pub previous_signing_secret: Option<Vec<u8>>,
    pub previous_secret_expires_at: Option<i64>,
}

impl RawRow {
    fn signing_secret_plain(&self, app: &TestApp, id: &str) -> Vec<u8> {
        let key =
            herald_engine::crypto::MasterKey::load_or_generate(&app.data_dir.join("master.key"))
                .unwrap();
        key.open(
            &self.signing_secret,
            &format!("webhook:{id}:signing_secret"),
        )
        .unwrap()
    }
}

fn app_open(app: &TestApp, sealed: &[u8], id: &str) -> Vec<u8> {
    let key = herald_engine::crypto::MasterKey::load_or_generate(&app.data_dir.join("master.key"))
        .unwrap();
    key.open(sealed, &format!("webhook:{id}:headers")).unwrap()
}

pub async fn server_row(db: &Db, id: &str) -> RawRow {
    const SQL: &str = "SELECT headers, signing_secret, previous_signing_secret, previous_secret_expires_at \
                       FROM webhooks WHERE id = $1";
    type Row = (Vec<u8>, Vec<u8>, Option<Vec<u8>>, Option<i64>);
    let (headers, signing_secret, previous_signing_secret, previous_secret_expires_at): Row =
        match db {
            Db::Sqlite(pools) => sqlx::query_as(SQL)
                .bind(id)
                .fetch_one(&pools.reads)
                .await
                .unwrap(),
            Db::Postgres(pool) => sqlx::query_as(SQL).bind(id).fetch_one(pool).await.unwrap(),
        };
    RawRow {
        headers,
        signing_secret,
        previous_signing_secret,
        previous_secret_expires_at,
    }
}
