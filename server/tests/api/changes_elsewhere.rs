//! A webhook changed by another process (here one that only serves) while
//! the delivering process holds claimed deliveries of it: nothing is sent
//! with the old settings once the change is acknowledged.

use crate::helpers::{Backend, Receiver, Reply, process::Installation};
use crate::processes::{SCOPES, call, create_webhook, publish};
use serde_json::json;
use std::{
    collections::HashSet,
    time::{Duration, Instant},
};

on_both_backends!(
    an_edit_made_elsewhere_reaches_deliveries_already_claimed,
    a_deletion_made_elsewhere_stops_deliveries_already_claimed,
);

/// Requests to one webhook out at once (the default limit): the first
/// round is held at the receiver while the change is made.
const HELD: usize = herald_engine::PER_WEBHOOK_CONCURRENCY as usize;
/// Events published: the held round and the claimed deliveries waiting
/// behind it.
const EVENTS: usize = 3 * HELD;
/// How long the receiver holds the first round.
const HOLD: Duration = Duration::from_secs(3);

enum Change {
    Url,
    Deletion,
}

async fn an_edit_made_elsewhere_reaches_deliveries_already_claimed(backend: Backend) {
    change_while_claimed(backend, Change::Url).await;
}

async fn a_deletion_made_elsewhere_stops_deliveries_already_claimed(backend: Backend) {
    change_while_claimed(backend, Change::Deletion).await;
}

async fn change_while_claimed(backend: Backend, change: Change) {
    let _heavy = crate::helpers::heavy().await;
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let (old, new) = (Receiver::start().await, Receiver::start().await);
    old.next(vec![Reply::ok().after(HOLD); HELD]);
    let delivering = installation.start(&["serve"]).await;
    let editing = installation.start(&["serve", "--no-worker"]).await;
    let webhook = create_webhook(&delivering, &key, old.url("/old")).await;

    let mut published = HashSet::new();
    for n in 0..EVENTS {
        published.insert(publish(&delivering, &key, json!({"n": n})).await);
    }
    old.wait_for(HELD, Duration::from_secs(10)).await;
    let path = format!("/webhooks/{webhook}");
    let (method, body) = match change {
        Change::Url => ("PATCH", Some(json!({"url": new.url("/new")}))),
        Change::Deletion => ("DELETE", None),
    };
    let (status, answer) = call(&editing.address, &key, method, &path, body)
        .await
        .unwrap();
    assert!(status == 200 || status == 204, "{status} {answer}");
    let acknowledged = Instant::now();

    // Quiet for longer than the hold: what waited behind the held round
    // would go out once the round is answered.
    let to_old = old
        .wait_quiet(HOLD + Duration::from_secs(2), Duration::from_secs(30))
        .await;
    let late: Vec<&str> = to_old
        .iter()
        .filter(|request| request.at >= acknowledged)
        .map(|request| request.header("webhook-id"))
        .collect();
    assert!(
        late.is_empty(),
        "sent with the old URL after the change: {late:?}"
    );
    assert_eq!(
        to_old.len(),
        HELD,
        "only the round already out went to the old URL"
    );
    match change {
        Change::Url => {
            let to_new = new.wait_for(EVENTS - HELD, Duration::from_secs(20)).await;
            let mut every: HashSet<String> = to_new
                .iter()
                .chain(&to_old)
                .map(|request| request.header("webhook-id").to_owned())
                .collect();
            assert_eq!(every.len(), EVENTS, "each event once, none lost");
            every.retain(|id| !published.contains(id));
            assert!(every.is_empty(), "unknown events: {every:?}");
        }
        Change::Deletion => {
            new.expect_no_more_than(0, Duration::from_secs(1)).await;
        }
    }
}
