//! Deliveries never go through a proxy named in the environment: reqwest
//! would honour `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY`, and a proxy
//! connects to whatever a URL names, past `HERALD_EGRESS=public-only`.
//! `HERALD_PROXY` names one explicitly; under `public-only` Herald then
//! resolves the host itself before anything goes to the proxy.

use crate::{
    helpers::{
        Backend, Receiver, Reply,
        process::{HeraldProcess, Installation},
    },
    processes::{call, create_webhook},
};
use serde_json::json;
use std::time::Duration;

on_both_backends!(
    proxies_in_the_environment_are_never_used,
    herald_proxy_carries_deliveries_and_public_only_checks_first,
);

const SCOPES: &str = "read:webhooks,write:webhooks,write:events,read:deliveries";
const WAIT: Duration = Duration::from_secs(10);

/// An installation with a key, a loopback stand-in for a proxy and a
/// receiver, both answering 200 and recording what reaches them.
struct Setup {
    installation: Installation,
    key: String,
    proxy: Receiver,
    receiver: Receiver,
}

async fn setup(backend: Backend) -> Setup {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let proxy = Receiver::start().await;
    proxy.always(Reply::ok());
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok());
    Setup {
        installation,
        key,
        proxy,
        receiver,
    }
}

impl Setup {
    async fn start(&self, env: &[(&str, &str)]) -> HeraldProcess {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        self.installation
            .start_with_env(&["serve"], port, env)
            .await
    }

    /// A webhook of `url` for every type, and an event for it.
    async fn deliver_to(&self, herald: &HeraldProcess, url: String) {
        create_webhook(herald, &self.key, url).await;
        let event = json!({"type": "interview.completed", "data": {}});
        let (status, _) = call(&herald.address, &self.key, "POST", "/events", Some(event))
            .await
            .unwrap();
        assert_eq!(status, 202);
    }

    /// A URL on localhost that no one listens on under TLS.
    fn loopback_name_url(&self) -> String {
        let port = self.receiver.url("").rsplit(':').next().unwrap().to_owned();
        format!("https://localhost:{port}/hidden")
    }
}

async fn proxies_in_the_environment_are_never_used(backend: Backend) {
    let setup = setup(backend).await;
    let proxy_url = setup.proxy.url("");
    let names = [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ];
    let env: Vec<(&str, &str)> = names
        .into_iter()
        .map(|name| (name, proxy_url.as_str()))
        .collect();

    let herald = setup.start(&env).await;
    setup
        .deliver_to(&herald, setup.receiver.url("/direct"))
        .await;
    setup.receiver.wait_for(1, WAIT).await;
    drop(herald);

    // public-only: a name that resolves to loopback is refused, and the
    // proxy, which would have connected to it, hears nothing either.
    let mut guarded_env = env.clone();
    guarded_env.push(("HERALD_EGRESS", "public-only"));
    let guarded = setup.start(&guarded_env).await;
    setup.deliver_to(&guarded, setup.loopback_name_url()).await;
    guarded.wait_for_log("Egress refused", WAIT).await;
    assert!(
        setup.proxy.received().is_empty(),
        "the proxy was used: {:?}",
        setup.proxy.received()
    );
    assert_eq!(setup.receiver.received().len(), 1);
}

async fn herald_proxy_carries_deliveries_and_public_only_checks_first(backend: Backend) {
    let setup = setup(backend).await;
    let proxy_url = setup.proxy.url("");

    let herald = setup.start(&[("HERALD_PROXY", &proxy_url)]).await;
    setup.deliver_to(&herald, setup.receiver.url("/via")).await;
    setup.proxy.wait_for(1, WAIT).await;
    assert!(
        setup.receiver.received().is_empty(),
        "sent around the proxy"
    );
    drop(herald);

    let guarded = setup
        .start(&[
            ("HERALD_PROXY", &proxy_url),
            ("HERALD_EGRESS", "public-only"),
        ])
        .await;
    let banner = format!("proxy={proxy_url}");
    assert!(
        guarded.log_text().contains(&banner),
        "{}",
        guarded.log_text()
    );
    setup.deliver_to(&guarded, setup.loopback_name_url()).await;
    guarded
        .wait_for_log("Egress refused: localhost", WAIT)
        .await;
    assert_eq!(
        setup.proxy.received().len(),
        1,
        "the proxy was asked for a loopback name"
    );
}
