//! The customer portal (SPEC §8): links over REST, the sessions they open,
//! and what a session of one company may reach: its own webhooks and
//! deliveries, never another company's, a global webhook or anything of the
//! REST API or the console; a read-only, revoked or expired link changes
//! nothing.

use crate::helpers::{Backend, Receiver, TestApp, location, set_cookie, stored};
use herald_model::Scope;
use reqwest::{StatusCode, header};
use serde_json::{Value, json};
use std::time::Duration;

on_both_backends!(
    links_are_shown_once_listed_without_their_token_and_revoked,
    a_session_reaches_its_own_company_only_and_changes_nothing_else,
    a_read_only_link_changes_nothing,
    revocation_and_expiry_end_an_open_session,
    a_portal_session_gets_401_from_rest_and_no_console_page,
    unknown_and_dead_links_get_readable_pages,
    the_portal_may_be_framed_by_the_configured_sites_the_console_by_none,
    over_https_the_cookie_is_secure_and_cross_site_only_when_framed,
    calls_from_another_sites_page_are_refused,
);

/// An account with two companies, a webhook in each and a global one, and
/// a delivery to B's webhook.
struct World {
    app: TestApp,
    admin: String,
    company_a: String,
    company_b: String,
    own: String,
    other: String,
    global: String,
    other_delivery: String,
    global_delivery: String,
    _receiver: Receiver,
}

async fn world(backend: Backend) -> World {
    let app = TestApp::spawn(backend).await;
    let admin = app.key(&[Scope::Admin]).await;
    let company_a = app.company("default", "Acme").await;
    let company_b = app.company("default", "Globex").await;
    let receiver = Receiver::start().await;
    let own = make(
        &app,
        &admin,
        json!({"url": receiver.url("/a"), "events": [3], "companyId": company_a}),
    )
    .await;
    let other = make(
        &app,
        &admin,
        json!({"url": receiver.url("/b"), "events": [3], "companyId": company_b}),
    )
    .await;
    let global = make(
        &app,
        &admin,
        json!({"url": receiver.url("/g"), "events": [3]}),
    )
    .await;
    let event = json!({"type": 3, "data": {"n": 1}, "companyId": company_b});
    let (status, answer) = app.call("POST", "/events", Some(&admin), Some(event)).await;
    assert_eq!(status, StatusCode::ACCEPTED, "{answer}");
    let other_delivery = delivery_of(&app, &admin, &other).await;
    let global_delivery = delivery_of(&app, &admin, &global).await;
    World {
        app,
        admin,
        company_a,
        company_b,
        own,
        other,
        global,
        other_delivery,
        global_delivery,
        _receiver: receiver,
    }
}

async fn make(app: &TestApp, key: &str, body: Value) -> String {
    let (status, created) = app.call("POST", "/webhooks", Some(key), Some(body)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    created["data"]["id"].as_str().unwrap().to_owned()
}

/// The webhook's first delivery, once it has succeeded (nothing of it moves after).
async fn delivery_of(app: &TestApp, key: &str, webhook: &str) -> String {
    for _ in 0..100 {
        let path = format!("/webhooks/{webhook}/deliveries");
        let (_, page) = app.call("GET", &path, Some(key), None).await;
        let delivery = &page["data"]["data"][0];
        if delivery["status"] == "succeeded" {
            return delivery["id"].as_str().unwrap().to_owned();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no delivery for {webhook}");
}

/// A link for `company`; returns its id and token.
async fn link(app: &TestApp, key: &str, company: &str, extra: Value) -> (String, String) {
    let mut body = json!({"companyId": company});
    body.as_object_mut()
        .unwrap()
        .extend(extra.as_object().unwrap().clone());
    let (status, created) = app
        .call("POST", "/portal-links", Some(key), Some(body))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    let url = created["data"]["url"].as_str().unwrap();
    let token = url.rsplit('/').next().unwrap().to_owned();
    assert!(token.starts_with("pl_"), "{url}");
    (created["data"]["id"].as_str().unwrap().to_owned(), token)
}

/// Opens the link as a browser would; returns the `Cookie` header of its session.
async fn open(app: &TestApp, token: &str) -> String {
    let response = app.get(&format!("/portal/{token}")).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/portal/webhooks");
    let cookie = set_cookie(&response);
    assert!(cookie.starts_with("herald_portal="), "{cookie}");
    for flag in ["HttpOnly", "Path=/", "SameSite=Lax"] {
        assert!(cookie.contains(flag), "{flag}: {cookie}");
    }
    cookie.split(';').next().unwrap().to_owned()
}

/// A shared server function on the portal surface.
async fn portal_fn(
    app: &TestApp,
    cookie: &str,
    name: &str,
    mut body: Value,
) -> (StatusCode, Value) {
    body["surface"] = json!("portal");
    let response = app
        .client
        .post(app.url(&format!("/console/fn/{name}")))
        .header(header::COOKIE, cookie)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status();
    let text = response.text().await.unwrap();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// What the database holds of webhooks, events and deliveries, whole: a
/// refused call changes none of it (a rotated secret, a ping, a retry
/// would show).
const STORED: &[&str] = &[
    "webhooks",
    "webhook_event_types",
    "events",
    "deliveries",
    "delivery_attempts",
];

async fn snapshot(world: &World) -> Vec<(String, Vec<Vec<String>>)> {
    stored::tables(&world.app.db, STORED).await
}

/// Every portal server function that names an object, called on `id`.
fn calls_on(id: &str, delivery: &str) -> Vec<(&'static str, Value)> {
    vec![
        ("webhook", json!({"id": id})),
        (
            "update_webhook",
            json!({"id": id, "patch": {"description": "changed"}}),
        ),
        (
            "update_webhook",
            json!({"id": id, "patch": {"isActive": false}}),
        ),
        ("delete_webhook", json!({"id": id})),
        ("test_webhook", json!({"id": id})),
        ("reset_circuit", json!({"id": id})),
        ("rotate_secret", json!({"id": id})),
        ("deliveries", json!({"webhook_id": id})),
        ("delivery", json!({"id": delivery})),
        ("retry_delivery", json!({"id": delivery})),
    ]
}

fn assert_refused(status: StatusCode, body: &Value, what: &str) {
    assert!(
        matches!(status.as_u16(), 401 | 403 | 404),
        "{what}: {status} {body}"
    );
    assert!(body["code"].is_string(), "{what}: {body}");
}

async fn links_are_shown_once_listed_without_their_token_and_revoked(backend: Backend) {
    let world = world(backend).await;
    let app = &world.app;
    let (id, token) = link(
        app,
        &world.admin,
        &world.company_a,
        json!({"readOnly": true}),
    )
    .await;
    let (status, listed) = app
        .call("GET", "/portal-links", Some(&world.admin), None)
        .await;
    assert_eq!(status, StatusCode::OK);
    let text = listed.to_string();
    assert!(!text.contains(&token) && !text.contains("pl_"), "{text}");
    let entry = &listed["data"]["data"][0];
    assert_eq!(entry["id"], id.as_str());
    assert_eq!(entry["companyName"], "Acme");
    assert_eq!(entry["readOnly"], true);
    let (status, body) = app
        .call(
            "POST",
            "/portal-links",
            Some(&world.admin),
            Some(json!({"companyId": world.company_a, "expiresInSeconds": 10})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(
        body["error"]["details"]["field"], "expiresInSeconds",
        "{body}"
    );
    let (status, _) = app
        .call(
            "DELETE",
            &format!("/portal-links/{id}"),
            Some(&world.admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (_, listed) = app
        .call("GET", "/portal-links", Some(&world.admin), None)
        .await;
    assert_eq!(listed["data"]["total"], 0, "{listed}");
}

async fn a_session_reaches_its_own_company_only_and_changes_nothing_else(backend: Backend) {
    let world = world(backend).await;
    let app = &world.app;
    let (_, token) = link(app, &world.admin, &world.company_a, json!({})).await;
    let cookie = open(app, &token).await;

    let (status, page) = portal_fn(app, &cookie, "webhooks", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let ids: Vec<&str> = page["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, [world.own.as_str()]);
    let (status, companies) = portal_fn(app, &cookie, "companies", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(companies.as_array().unwrap().len(), 1, "{companies}");
    assert_eq!(companies[0]["id"], world.company_a.as_str());
    let before = snapshot(&world).await;
    let (status, page) = portal_fn(
        app,
        &cookie,
        "webhooks",
        json!({"company_id": world.company_b}),
    )
    .await;
    assert_refused(status, &page, "the list of another company");
    for (target, delivery) in [
        (&world.other, &world.other_delivery),
        (&world.global, &world.global_delivery),
    ] {
        for (name, body) in calls_on(target, delivery) {
            let (status, answer) = portal_fn(app, &cookie, name, body).await;
            assert_refused(status, &answer, &format!("{name} on {target}"));
        }
    }
    let foreign = json!({"input": {"url": "http://127.0.0.1:9/x", "events": [3], "companyId": world.company_b}});
    let (status, answer) = portal_fn(app, &cookie, "create_webhook", foreign).await;
    assert_refused(status, &answer, "create in another company");
    assert_eq!(snapshot(&world).await, before, "nothing changed");

    let (status, created) = portal_fn(
        app,
        &cookie,
        "create_webhook",
        json!({"input": {"url": "http://127.0.0.1:9/mine", "events": [3]}}),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{created}");
    assert!(
        created["standardSecret"]
            .as_str()
            .unwrap()
            .starts_with("whsec_")
    );
    let id = created["id"].as_str().unwrap();
    let (_, seen) = app
        .call("GET", &format!("/webhooks/{id}"), Some(&world.admin), None)
        .await;
    assert_eq!(
        seen["data"]["companyId"],
        world.company_a.as_str(),
        "{seen}"
    );
    for (name, body) in [
        ("webhook", json!({"id": world.own})),
        ("deliveries", json!({"webhook_id": world.own})),
        (
            "update_webhook",
            json!({"id": world.own, "patch": {"description": "ours"}}),
        ),
        ("rotate_secret", json!({"id": world.own})),
        ("event_types", json!({})),
    ] {
        let (status, answer) = portal_fn(app, &cookie, name, body).await;
        assert_eq!(status, StatusCode::OK, "{name}: {answer}");
    }
    let (status, view) = app
        .client
        .post(app.url("/portal/fn/view"))
        .header(header::COOKIE, &cookie)
        .json(&json!({}))
        .send()
        .await
        .map(|r| (r.status(), r))
        .unwrap();
    assert_eq!(status, StatusCode::OK);
    let view: Value = view.json().await.unwrap();
    assert_eq!(view["companyName"], "Acme");
    assert_eq!(view["readOnly"], false);
}

async fn a_read_only_link_changes_nothing(backend: Backend) {
    let world = world(backend).await;
    let app = &world.app;
    let (_, token) = link(
        app,
        &world.admin,
        &world.company_a,
        json!({"readOnly": true}),
    )
    .await;
    let cookie = open(app, &token).await;
    let own_delivery = {
        let event = json!({"type": 3, "data": {"n": 2}, "companyId": world.company_a});
        app.call("POST", "/events", Some(&world.admin), Some(event))
            .await;
        // The event reaches the global webhook too: both settle first.
        delivery_of(app, &world.admin, &world.global).await;
        delivery_of(app, &world.admin, &world.own).await
    };
    let before = snapshot(&world).await;
    for (name, body) in calls_on(&world.own, &own_delivery)
        .into_iter()
        .filter(|(name, _)| !matches!(*name, "webhook" | "deliveries" | "delivery"))
        .chain([(
            "create_webhook",
            json!({"input": {"url": "http://127.0.0.1:9/x", "events": [3]}}),
        )])
    {
        let (status, answer) = portal_fn(app, &cookie, name, body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{name}: {answer}");
    }
    assert_eq!(snapshot(&world).await, before, "nothing changed");
    let (status, _) = portal_fn(app, &cookie, "deliveries", json!({"webhook_id": world.own})).await;
    assert_eq!(status, StatusCode::OK);
}

async fn revocation_and_expiry_end_an_open_session(backend: Backend) {
    let world = world(backend).await;
    let app = &world.app;
    let (id, token) = link(app, &world.admin, &world.company_a, json!({})).await;
    let cookie = open(app, &token).await;
    let page = |cookie: String| async move {
        app.client
            .get(app.url("/portal/webhooks"))
            .header(header::COOKIE, cookie)
            .send()
            .await
            .unwrap()
    };
    assert_eq!(page(cookie.clone()).await.status(), StatusCode::OK);
    let (status, _) = app
        .call(
            "DELETE",
            &format!("/portal-links/{id}"),
            Some(&world.admin),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    every_call_is_refused(&world, &cookie, "after revocation").await;
    let refused = page(cookie).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert!(
        refused.text().await.unwrap().contains("<h1>"),
        "a readable page"
    );

    let (_, token) = link(
        app,
        &world.admin,
        &world.company_a,
        json!({"expiresInSeconds": 60}),
    )
    .await;
    let response = app.get(&format!("/portal/{token}")).await;
    let cookie = set_cookie(&response);
    let max_age: i64 = cookie
        .split("Max-Age=")
        .nth(1)
        .and_then(|rest| rest.split(';').next()?.parse().ok())
        .unwrap();
    assert!(
        (55..=60).contains(&max_age),
        "no longer than the link: {cookie}"
    );
    let cookie = cookie.split(';').next().unwrap().to_owned();
    assert_eq!(
        portal_fn(app, &cookie, "webhooks", json!({})).await.0,
        StatusCode::OK
    );
    app.clock.advance(61_000);
    every_call_is_refused(&world, &cookie, "after expiry").await;
    assert_eq!(page(cookie).await.status(), StatusCode::FORBIDDEN);
    assert_eq!(
        app.get(&format!("/portal/{token}")).await.status(),
        StatusCode::FORBIDDEN
    );
}

/// Every portal server function, on the session's own company's objects,
/// is refused with `cookie`, and nothing stored changes.
async fn every_call_is_refused(world: &World, cookie: &str, when: &str) {
    let app = &world.app;
    let before = snapshot(world).await;
    let own_delivery = json!({"id": world.global_delivery});
    let calls = calls_on(&world.own, &world.global_delivery)
        .into_iter()
        .chain([
            ("webhooks", json!({})),
            ("companies", json!({})),
            ("event_types", json!({})),
            ("delivery", own_delivery),
            (
                "create_webhook",
                json!({"input": {"url": "http://127.0.0.1:9/x", "events": [3]}}),
            ),
        ]);
    for (name, body) in calls {
        let (status, answer) = portal_fn(app, cookie, name, body).await;
        assert_refused(status, &answer, &format!("{name} {when}"));
    }
    let response = app
        .client
        .post(app.url("/portal/fn/view"))
        .header(header::COOKIE, cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "view {when}");
    assert_eq!(snapshot(world).await, before, "nothing changed {when}");
}

async fn a_portal_session_gets_401_from_rest_and_no_console_page(backend: Backend) {
    let world = world(backend).await;
    let app = &world.app;
    let (_, token) = link(app, &world.admin, &world.company_a, json!({})).await;
    let cookie = open(app, &token).await;
    let doc: Value = app.get("/openapi.json").await.json().await.unwrap();
    let mut checked = 0;
    for (path, operations) in doc["paths"].as_object().unwrap() {
        if matches!(path.as_str(), "/healthz" | "/readyz") {
            continue;
        }
        let concrete = path
            .replace("{id}", &world.own)
            .replace("{webhook_id}", "0123456789abcdef01234567");
        for method in operations.as_object().unwrap().keys() {
            let method = reqwest::Method::from_bytes(method.to_uppercase().as_bytes()).unwrap();
            let response = app
                .client
                .request(method.clone(), app.url(&concrete))
                .header(header::COOKIE, &cookie)
                .json(&json!({}))
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::UNAUTHORIZED,
                "{method} {concrete}"
            );
            checked += 1;
        }
    }
    assert!(checked >= 30, "{checked} operations");
    for page in [
        "/console/webhooks",
        "/console/companies",
        "/console/dashboard",
    ] {
        let response = app
            .client
            .get(app.url(page))
            .header(header::COOKIE, &cookie)
            .send()
            .await
            .unwrap();
        assert!(
            response.status().is_redirection(),
            "{page}: {}",
            response.status()
        );
        assert_eq!(location(&response), "/console/sign-in", "{page}");
    }
    let response = app
        .client
        .post(app.url("/console/fn/webhooks"))
        .header(header::COOKIE, &cookie)
        .json(&json!({}))
        .send()
        .await
        .unwrap();
    assert_eq!(
        response.status(),
        StatusCode::UNAUTHORIZED,
        "the console's surface"
    );
}

async fn unknown_and_dead_links_get_readable_pages(backend: Backend) {
    let world = world(backend).await;
    let app = &world.app;
    for (path, status) in [
        (
            format!("/portal/pl_{}", "x".repeat(43)),
            StatusCode::NOT_FOUND,
        ),
        ("/portal/not-a-link".to_owned(), StatusCode::NOT_FOUND),
        ("/portal/webhooks".to_owned(), StatusCode::FORBIDDEN),
        ("/portal/verify".to_owned(), StatusCode::FORBIDDEN),
    ] {
        let response = app.get(&path).await;
        assert_eq!(response.status(), status, "{path}");
        assert!(
            response.headers()[header::CONTENT_TYPE]
                .to_str()
                .unwrap()
                .starts_with("text/html")
        );
        let csp = response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(csp.contains("frame-ancestors 'none'"), "{csp}");
        let html = response.text().await.unwrap();
        assert!(
            html.contains("<h1>") && !html.contains("webhooks-table"),
            "{path}: {html}"
        );
    }
}

async fn the_portal_may_be_framed_by_the_configured_sites_the_console_by_none(backend: Backend) {
    let allowed = "'self' http://127.0.0.1:8123";
    let app = TestApp::spawn_with(backend, |settings| {
        settings.portal_frame_ancestors = allowed.to_owned();
    })
    .await;
    let admin = app.key(&[Scope::Admin]).await;
    let company = app.company("default", "Acme").await;
    let (_, token) = link(&app, &admin, &company, json!({})).await;
    let cookie = open(&app, &token).await;
    let policy = |response: &reqwest::Response| {
        response.headers()[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let portal = app
        .client
        .get(app.url("/portal/webhooks"))
        .header(header::COOKIE, &cookie)
        .send()
        .await
        .unwrap();
    assert_eq!(portal.status(), StatusCode::OK);
    assert!(
        policy(&portal).ends_with(&format!("frame-ancestors {allowed}")),
        "{}",
        policy(&portal)
    );
    let html = portal.text().await.unwrap();
    assert!(
        html.contains("/pkg/portal"),
        "the portal's own bundle: {html}"
    );
    let console = app.get("/console/sign-in").await;
    assert!(
        policy(&console).ends_with("frame-ancestors 'none'"),
        "{}",
        policy(&console)
    );

    let dir = tempfile::tempdir().unwrap();
    for bad in [
        "'none' 'self'",
        "*; script-src *",
        "https://a.example/path",
        "",
        "'unsafe-inline'",
    ] {
        let mut settings = crate::helpers::fresh_settings(backend, dir.path()).await;
        settings.portal_frame_ancestors = bad.to_owned();
        assert!(
            server::config::Config::load(settings).is_err(),
            "{bad:?} accepted"
        );
    }
}

async fn over_https_the_cookie_is_secure_and_cross_site_only_when_framed(backend: Backend) {
    for (frame_ancestors, same_site) in [
        ("'none'", "SameSite=Lax"),
        ("https://app.example.com", "SameSite=None"),
    ] {
        let app = TestApp::spawn_with(backend, |settings| {
            settings.public_url = Some("https://herald.example.com".to_owned());
            settings.portal_frame_ancestors = frame_ancestors.to_owned();
        })
        .await;
        let admin = app.key(&[Scope::Admin]).await;
        let company = app.company("default", "Acme").await;
        let (status, created) = app
            .call(
                "POST",
                "/portal-links",
                Some(&admin),
                Some(json!({"companyId": company})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let url = created["data"]["url"].as_str().unwrap();
        assert!(
            url.starts_with("https://herald.example.com/portal/pl_"),
            "{url}"
        );
        let token = url.rsplit('/').next().unwrap();
        let response = app.get(&format!("/portal/{token}")).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        let cookie = set_cookie(&response);
        assert!(cookie.starts_with("__Host-herald_portal="), "{cookie}");
        for flag in ["; Secure", "; HttpOnly", "; Path=/", same_site] {
            assert!(
                cookie.contains(flag),
                "{frame_ancestors}: {flag} in {cookie}"
            );
        }
        // The link's token is in the address: no other site may learn it.
        assert_eq!(response.headers()[header::REFERRER_POLICY], "same-origin");
    }
}

async fn calls_from_another_sites_page_are_refused(backend: Backend) {
    let world = world(backend).await;
    let app = &world.app;
    let (_, token) = link(app, &world.admin, &world.company_a, json!({})).await;
    let cookie = open(app, &token).await;
    let host = app.address.trim_start_matches("http://").to_owned();
    let before = snapshot(&world).await;
    let forged = json!({"surface": "portal", "id": world.own}).to_string();
    for (name, value) in [
        ("origin", "https://evil.example".to_owned()),
        ("origin", "null".to_owned()),
        ("sec-fetch-site", "cross-site".to_owned()),
        ("sec-fetch-site", "same-site".to_owned()),
    ] {
        for path in [
            "/console/fn/rotate_secret",
            "/console/fn/delete_webhook",
            "/portal/fn/view",
        ] {
            let response = app
                .client
                .post(app.url(path))
                .header(header::COOKIE, &cookie)
                .header(header::CONTENT_TYPE, "text/plain")
                .header(name, &value)
                .body(forged.clone())
                .send()
                .await
                .unwrap();
            assert_eq!(
                response.status(),
                StatusCode::FORBIDDEN,
                "{path} with {name}: {value}"
            );
        }
    }
    assert_eq!(snapshot(&world).await, before, "nothing changed");
    for (name, value) in [
        ("origin", format!("http://{host}")),
        ("sec-fetch-site", "same-origin".to_owned()),
    ] {
        let response = app
            .client
            .post(app.url("/console/fn/webhook"))
            .header(header::COOKIE, &cookie)
            .header(name, &value)
            .json(&json!({"surface": "portal", "id": world.own}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::OK, "{name}: {value}");
    }
}
