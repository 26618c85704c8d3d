//! What a browser sees of the portal: its pages, its cookie, framing, and
//! calls forged by another site.

use super::*;

on_both_backends!(
    unknown_and_dead_links_get_readable_pages,
    the_portal_may_be_framed_by_the_configured_sites_the_console_by_none,
    over_https_the_cookie_is_secure_and_cross_site_only_when_framed,
    calls_from_another_sites_page_are_refused,
);

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
    let unknown = app.get("/portal/webhooks/x/y").await;
    assert_eq!(unknown.status(), StatusCode::NOT_FOUND);
    assert!(
        policy(&unknown).ends_with(&format!("frame-ancestors {allowed}")),
        "a framed portal's 404 shows in its frame: {}",
        policy(&unknown)
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
