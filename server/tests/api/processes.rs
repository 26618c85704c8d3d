//! Real `herald` processes: SIGTERM, kill -9 at random moments, and several
//! processes sharing one PostgreSQL database.

use crate::helpers::{
    Backend, Receiver, Reply,
    process::{HeraldProcess, Installation},
};
use herald_engine::UNRECORDED_PER_WEBHOOK;
use herald_store::Db;
use serde_json::{Value, json};
use std::{
    collections::{HashMap, HashSet},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

on_both_backends!(
    sigterm_lets_attempts_run_out_then_gives_back_the_rest,
    kill_9_three_times_loses_no_accepted_event,
    one_process_delivers_from_sqlite_and_several_from_postgres,
);

pub const SCOPES: &str = "read:webhooks,write:webhooks,write:events,read:deliveries";

pub async fn call(
    address: &str,
    key: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> reqwest::Result<(u16, Value)> {
    let client = reqwest::Client::new();
    let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
    let mut request = client
        .request(method, format!("{address}{path}"))
        .bearer_auth(key);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await?;
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(Value::Null);
    Ok((status, body))
}

pub async fn create_webhook(process: &HeraldProcess, key: &str, url: String) -> String {
    let (status, body) = call(
        &process.address,
        key,
        "POST",
        "/webhooks",
        Some(json!({"url": url, "events": ["*"]})),
    )
    .await
    .unwrap();
    assert_eq!(status, 201, "{body}");
    body["data"]["id"].as_str().unwrap().to_owned()
}

/// Publishes one event of type 3 with `data` through `process`; its id.
pub async fn publish(process: &HeraldProcess, key: &str, data: Value) -> String {
    let body = json!({"type": 3, "data": data});
    let (status, answer) = call(&process.address, key, "POST", "/events", Some(body))
        .await
        .unwrap();
    assert_eq!(status, 202, "{answer}");
    answer["data"]["id"].as_str().unwrap().to_owned()
}

pub async fn rows(db: &Db, sql: &'static str) -> Vec<(String, String)> {
    match db {
        Db::Sqlite(pools) => sqlx::query_as(sql).fetch_all(&pools.reads).await.unwrap(),
        Db::Postgres(pool) => sqlx::query_as(sql).fetch_all(pool).await.unwrap(),
    }
}

async fn sigterm_lets_attempts_run_out_then_gives_back_the_rest(backend: Backend) {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let receiver = Receiver::start().await;
    receiver.next(vec![Reply::ok().after(Duration::from_secs(30)); 3]);
    let mut herald = installation.start(&["serve"]).await;
    create_webhook(&herald, &key, receiver.url("/h")).await;
    for n in 0..3 {
        publish(&herald, &key, json!({"n": n})).await;
    }
    receiver.wait_for(3, Duration::from_secs(10)).await;

    let stopped = Instant::now();
    let status = herald.terminate(Duration::from_secs(10));
    assert!(status.success(), "{status}");
    assert!(
        stopped.elapsed() < Duration::from_secs(5),
        "the 1 s grace was not kept: {:?}",
        stopped.elapsed()
    );
    let log = herald.log_text();
    assert!(log.contains("gave back unfinished deliveries"), "{log}");

    let db = installation.db().await;
    let deliveries = rows(&db, "SELECT id, status FROM deliveries").await;
    assert_eq!(deliveries.len(), 3, "{deliveries:?}");
    assert!(
        deliveries.iter().all(|(_, status)| status == "pending"),
        "{deliveries:?}"
    );
    let attempts = rows(&db, "SELECT id, outcome FROM delivery_attempts").await;
    assert_eq!(attempts.len(), 3);
    assert!(
        attempts.iter().all(|(_, outcome)| outcome == "interrupted"),
        "{attempts:?}"
    );
    let workers = rows(&db, "SELECT id, id FROM workers").await;
    assert!(workers.is_empty(), "the worker left: {workers:?}");

    let _again = installation.start(&["serve"]).await;
    receiver.wait_for(6, Duration::from_secs(10)).await;
}

/// Publishes `total` events from 32 publishers that retry until answered
/// 202 (the server may be down); returns the ids answered 202.
pub fn publishers(
    address: String,
    key: String,
    total: usize,
) -> tokio::task::JoinHandle<Vec<String>> {
    tokio::spawn(async move {
        let next = Arc::new(Mutex::new(0_usize));
        let accepted = Arc::new(Mutex::new(Vec::new()));
        let mut tasks = Vec::new();
        for _ in 0..32 {
            let (address, key, next, accepted) = (
                address.clone(),
                key.clone(),
                Arc::clone(&next),
                Arc::clone(&accepted),
            );
            tasks.push(tokio::spawn(async move {
                loop {
                    let n = {
                        let mut next = next.lock().unwrap();
                        if *next == total {
                            return;
                        }
                        *next += 1;
                        *next
                    };
                    let body = json!({"type": 3, "data": {"n": n}});
                    let deadline = Instant::now() + Duration::from_secs(60);
                    loop {
                        if let Ok((202, answer)) =
                            call(&address, &key, "POST", "/events", Some(body.clone())).await
                        {
                            accepted
                                .lock()
                                .unwrap()
                                .push(answer["data"]["id"].as_str().unwrap().to_owned());
                            break;
                        }
                        assert!(Instant::now() < deadline, "event {n} never accepted");
                        tokio::time::sleep(Duration::from_millis(50)).await;
                    }
                }
            }));
        }
        for task in tasks {
            task.await.unwrap();
        }
        Arc::try_unwrap(accepted).unwrap().into_inner().unwrap()
    })
}

/// How soon after a restart (or a kill, with another process running) the
/// README promises the dead process's deliveries go out again.
pub const RESUMED_WITHIN: Duration = Duration::from_secs(5);
/// On SQLite the restarted process knows its predecessor is gone (it holds
/// the sole-worker lock): well before the 3 s staleness window.
const SQLITE_RESUMED_WITHIN: Duration = Duration::from_millis(2500);

/// What one kill -9 cut: the requests the receiver still held unanswered
/// once the process was dead (so never recorded as answered), and how long
/// after the restart the first of them was sent again.
struct Kill {
    cut: HashSet<String>,
    resumed_after: Option<Duration>,
}

/// Kills `herald` at a random moment, restarts it on the same port and, if
/// the kill cut requests in flight, waits for the first of them to come back.
async fn kill_and_restart(
    installation: &Installation,
    herald: &mut HeraldProcess,
    receiver: &Receiver,
    port: u16,
) -> Kill {
    tokio::time::sleep(Duration::from_millis(rand::random_range(300..1500))).await;
    receiver.take_unanswered();
    herald.kill9();
    let cut = receiver.take_unanswered();
    let arrived_before = receiver.received().len();
    let restarted = Instant::now();
    *herald = installation.start_on(&["serve"], port).await;
    if cut.is_empty() {
        return Kill {
            cut,
            resumed_after: None,
        };
    }
    let again = receiver
        .wait_until(RESUMED_WITHIN * 3, |received| {
            received[arrived_before..]
                .iter()
                .any(|r| cut.contains(r.header("webhook-id")))
        })
        .await
        .unwrap_or_else(|_| {
            panic!(
                "none of the {} requests cut by the kill came back",
                cut.len()
            )
        });
    let first = again[arrived_before..]
        .iter()
        .find(|r| cut.contains(r.header("webhook-id")))
        .unwrap();
    Kill {
        resumed_after: Some(first.at - restarted),
        cut,
    }
}

/// Waits until the database holds no delivery still to send.
async fn wait_until_settled(db: &Db, within: Duration) -> Vec<(String, String)> {
    let deadline = Instant::now() + within;
    loop {
        let deliveries = rows(db, "SELECT event_id, status FROM deliveries").await;
        if deliveries
            .iter()
            .all(|(_, status)| status != "pending" && status != "delivering")
        {
            return deliveries;
        }
        assert!(
            Instant::now() < deadline,
            "deliveries still to send after {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

async fn kill_9_three_times_loses_no_accepted_event(backend: Backend) {
    const EVENTS: usize = 2000;
    /// Kills until three were made and one of them cut requests in flight.
    const MOST_KILLS: usize = 8;
    let _heavy = crate::helpers::heavy().await;
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok().after(Duration::from_millis(20)));
    let port = crate::helpers::process::free_port();
    let mut herald = installation.start_on(&["serve"], port).await;
    create_webhook(&herald, &key, receiver.url("/h")).await;
    let publishing = publishers(herald.address.clone(), key.clone(), EVENTS);

    let mut kills = Vec::new();
    while kills.len() < 3 || kills.iter().all(|kill: &Kill| kill.cut.is_empty()) {
        assert!(
            kills.len() < MOST_KILLS,
            "{MOST_KILLS} kills and none cut a request in flight"
        );
        kills.push(kill_and_restart(&installation, &mut herald, &receiver, port).await);
    }
    let accepted = publishing.await.unwrap();
    assert_eq!(accepted.len(), EVENTS);

    // Counted only once nothing is left to send and nothing more arrives:
    // a late copy of anything counts against its event.
    let db = installation.db().await;
    let deliveries = wait_until_settled(&db, Duration::from_secs(120)).await;
    let received = receiver
        .wait_quiet(Duration::from_secs(2), Duration::from_secs(60))
        .await;
    let mut per_event: HashMap<&str, usize> = HashMap::new();
    for request in &received {
        *per_event.entry(request.header("webhook-id")).or_default() += 1;
    }
    let attempts = rows(
        &db,
        "SELECT d.event_id, a.outcome FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id",
    )
    .await;
    let mut interrupted: HashMap<&str, usize> = HashMap::new();
    let mut logged: HashMap<&str, usize> = HashMap::new();
    for (event, outcome) in &attempts {
        *logged.entry(event.as_str()).or_default() += 1;
        if outcome == "interrupted" {
            *interrupted.entry(event.as_str()).or_default() += 1;
        }
    }

    // Every event the server took (some whose 202 a kill swallowed, and
    // which the publisher sent again as a new event) has one delivery, and
    // it succeeded.
    let mut succeeded: HashMap<&str, usize> = HashMap::new();
    for (event, status) in &deliveries {
        assert_eq!(status, "succeeded", "event {event}");
        *succeeded.entry(event.as_str()).or_default() += 1;
    }
    for id in &accepted {
        assert_eq!(succeeded.get(id.as_str()), Some(&1), "accepted event {id}");
    }
    for (event, requests) in &per_event {
        assert_eq!(
            succeeded.get(event),
            Some(&1),
            "event {event} arrived but has no delivery"
        );
        // A kill repeats what was sent and not yet recorded, each time an
        // attempt the log marks interrupted: that many copies, never more.
        let cut = interrupted.get(event).copied().unwrap_or(0);
        assert!(
            requests - 1 <= cut,
            "event {event}: {requests} requests, {cut} interrupted attempts"
        );
        let rows = logged.get(event).copied().unwrap_or(0);
        assert!(
            rows >= *requests,
            "event {event}: {requests} requests, {rows} attempt rows"
        );
    }
    let duplicates: usize = per_event.values().map(|n| n - 1).sum();
    let bound = kills.len() * usize::try_from(UNRECORDED_PER_WEBHOOK).unwrap();
    assert!(
        duplicates <= bound,
        "{duplicates} duplicates after {} kills: more than the {bound} attempts that can be unrecorded",
        kills.len()
    );
    println!(
        "crash test ({backend:?}): {} accepted, {} delivered, {} requests, {duplicates} duplicates, \
         {} interrupted; kills cut {:?} requests, resumed after {:?}",
        accepted.len(),
        per_event.len(),
        received.len(),
        interrupted.values().sum::<usize>(),
        kills.iter().map(|kill| kill.cut.len()).collect::<Vec<_>>(),
        kills
            .iter()
            .map(|kill| kill.resumed_after)
            .collect::<Vec<_>>(),
    );
    let resumed_within = match backend {
        Backend::Sqlite => SQLITE_RESUMED_WITHIN,
        Backend::Postgres => RESUMED_WITHIN,
    };
    for kill in kills.iter().filter(|kill| !kill.cut.is_empty()) {
        let resumed = kill.resumed_after.unwrap();
        assert!(
            resumed < resumed_within,
            "the requests a kill cut went out again {resumed:?} after the restart"
        );
        for id in &kill.cut {
            assert!(
                interrupted.contains_key(id.as_str()),
                "event {id} was cut by a kill but no attempt of it is marked interrupted"
            );
        }
    }
}

async fn one_process_delivers_from_sqlite_and_several_from_postgres(backend: Backend) {
    let installation = Installation::new(backend).await;
    let _serving = installation.start(&["serve"]).await;
    let _serving_only = installation.start(&["serve", "--no-worker"]).await;
    match backend {
        Backend::Sqlite => {
            for args in [&["serve"][..], &["worker"][..]] {
                let output = installation.run(args, &[]);
                let stderr = String::from_utf8_lossy(&output.stderr);
                assert!(!output.status.success(), "{args:?} started:\n{stderr}");
                assert!(
                    stderr.contains("another herald process is delivering from")
                        && stderr.contains("several need PostgreSQL"),
                    "{args:?}:\n{stderr}"
                );
            }
        }
        Backend::Postgres => {
            let worker = installation.start(&["worker"]).await;
            assert!(worker.log_text().contains("delivery worker started"));
        }
    }
}
