//! What a portal session may reach and change, and when it ends.

use super::*;

on_both_backends!(
    links_are_shown_once_listed_without_their_token_and_revoked,
    a_session_reaches_its_own_company_only_and_changes_nothing_else,
    a_read_only_link_changes_nothing,
    revocation_and_expiry_end_an_open_session,
    a_portal_session_gets_401_from_rest_and_no_console_page,
);

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
