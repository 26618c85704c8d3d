//! Deliveries never go through a proxy named in the environment: reqwest
//! would honour `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY`, and a proxy
//! connects to whatever a URL names, past `HERALD_EGRESS=public-only`.
//! `HERALD_PROXY` names one explicitly; under `public-only` Herald then
//! resolves the host itself before anything goes to the proxy.

use crate::{
    helpers::{Backend, Receiver, Reply, process::Installation},
    processes::{call, create_webhook},
};
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    proxies_in_the_environment_are_never_used,
    herald_proxy_carries_deliveries_and_public_only_checks_first,
);

const SCOPES: &str = "read:webhooks,write:webhooks,write:events,read:deliveries";

async fn proxies_in_the_environment_are_never_used(backend: Backend) {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let proxy = Receiver::start().await;
    proxy.always(Reply::ok());
    let proxy_url = proxy.url("");
    let env: Vec<(&str, &str)> = [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ]
    .into_iter()
    .map(|name| (name, proxy_url.as_str()))
    .collect();
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok());
    let port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };

    let herald = installation.start_with_env(&["serve"], port(), &env).await;
    create_webhook(&herald, &key, receiver.url("/direct")).await;
    let event = json!({"type": "interview.completed", "data": {}});
    let (status, _) = call(
        &herald.address,
        &key,
        "POST",
        "/events",
        Some(event.clone()),
    )
    .await
    .unwrap();
    assert_eq!(status, 202);
    receiver.wait_for(1, Duration::from_secs(10)).await;
    drop(herald);

    // public-only: a name that resolves to loopback is refused, and the
    // proxy, which would have connected to it, hears nothing either.
    let mut guarded_env = env.clone();
    guarded_env.push(("HERALD_EGRESS", "public-only"));
    let guarded = installation
        .start_with_env(&["serve"], port(), &guarded_env)
        .await;
    let hidden = format!(
        "https://localhost:{}/hidden",
        receiver.url("").rsplit(':').next().unwrap()
    );
    create_webhook(&guarded, &key, hidden).await;
    let (status, _) = call(&guarded.address, &key, "POST", "/events", Some(event))
        .await
        .unwrap();
    assert_eq!(status, 202);
    guarded
        .wait_for_log("Egress refused", Duration::from_secs(10))
        .await;
    assert!(
        proxy.received().is_empty(),
        "the proxy was used: {:?}",
        proxy.received()
    );
    assert_eq!(receiver.received().len(), 1);
}

async fn herald_proxy_carries_deliveries_and_public_only_checks_first(backend: Backend) {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let proxy = Receiver::start().await;
    proxy.always(Reply::ok());
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok());
    let port = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port()
    };
    let proxy_url = proxy.url("");
    let env = [("HERALD_PROXY", proxy_url.as_str())];

    let herald = installation.start_with_env(&["serve"], port(), &env).await;
    create_webhook(&herald, &key, receiver.url("/via")).await;
    let event = json!({"type": "interview.completed", "data": {}});
    let (status, _) = call(
        &herald.address,
        &key,
        "POST",
        "/events",
        Some(event.clone()),
    )
    .await
    .unwrap();
    assert_eq!(status, 202);
    proxy.wait_for(1, Duration::from_secs(10)).await;
    assert!(receiver.received().is_empty(), "sent around the proxy");
    drop(herald);

    let guarded_env = [
        ("HERALD_PROXY", proxy_url.as_str()),
        ("HERALD_EGRESS", "public-only"),
    ];
    let guarded = installation
        .start_with_env(&["serve"], port(), &guarded_env)
        .await;
    assert!(
        guarded.log_text().contains(&format!("proxy={proxy_url}")),
        "{}",
        guarded.log_text()
    );
    create_webhook(
        &guarded,
        &key,
        format!("https://localhost:{}/hidden", port()),
    )
    .await;
    let (status, _) = call(&guarded.address, &key, "POST", "/events", Some(event))
        .await
        .unwrap();
    assert_eq!(status, 202);
    guarded
        .wait_for_log("Egress refused: localhost", Duration::from_secs(10))
        .await;
    assert_eq!(
        proxy.received().len(),
        1,
        "the proxy was asked for a loopback name"
    );
}
