//! Real `herald` processes: SIGTERM, kill -9 at random moments, and several
//! processes sharing one PostgreSQL database.

use crate::helpers::{
    Backend, Receiver, Reply,
    process::{HeraldProcess, Installation},
};
use serde_json::{Value, json};
use server::store::{Db, claims::PER_WEBHOOK_CONCURRENCY};
use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

on_both_backends!(
    sigterm_lets_attempts_run_out_then_gives_back_the_rest,
    kill_9_three_times_loses_no_accepted_event,
);

mod postgres_only {
    use super::*;

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn two_processes_never_claim_one_delivery_twice_and_take_over_a_dead_ones_work() {
        two_processes(Backend::Postgres).await;
    }
}

const SCOPES: &str = "read:webhooks,write:webhooks,write:events,read:deliveries";

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

async fn rows(db: &Db, sql: &'static str) -> Vec<(String, String)> {
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
        let (status, _) = call(
            &herald.address,
            &key,
            "POST",
            "/events",
            Some(json!({"type": 3, "data": {"n": n}})),
        )
        .await
        .unwrap();
        assert_eq!(status, 202);
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
fn publishers(address: String, key: String, total: usize) -> tokio::task::JoinHandle<Vec<String>> {
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

async fn kill_9_three_times_loses_no_accepted_event(backend: Backend) {
    const EVENTS: usize = 2000;
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok().after(Duration::from_millis(5)));
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut herald = installation.start_on(&["serve"], port).await;
    create_webhook(&herald, &key, receiver.url("/h")).await;
    let publishing = publishers(herald.address.clone(), key.clone(), EVENTS);

    let mut resumed_after = Vec::new();
    for _ in 0..3 {
        tokio::time::sleep(Duration::from_millis(rand::random_range(300..1500))).await;
        herald.kill9();
        let before = receiver.received().len();
        herald = installation.start_on(&["serve"], port).await;
        let restarted = Instant::now();
        receiver.wait_for(before + 1, Duration::from_secs(10)).await;
        resumed_after.push(restarted.elapsed());
    }
    let accepted = publishing.await.unwrap();
    assert_eq!(accepted.len(), EVENTS);

    let deadline = Instant::now() + Duration::from_secs(120);
    let per_event = loop {
        let mut per_event: HashMap<String, usize> = HashMap::new();
        for request in receiver.received() {
            *per_event
                .entry(request.header("webhook-id").to_owned())
                .or_default() += 1;
        }
        if accepted.iter().all(|id| per_event.contains_key(id)) {
            break per_event;
        }
        let missing = accepted
            .iter()
            .filter(|id| !per_event.contains_key(*id))
            .count();
        assert!(
            Instant::now() < deadline,
            "{missing} accepted events never arrived"
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let requests: usize = per_event.values().sum();
    let duplicates = requests - per_event.len();

    let db = installation.db().await;
    let attempts = rows(
        &db,
        "SELECT d.event_id, a.outcome FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id",
    )
    .await;
    let mut attempts_per_event: HashMap<&str, usize> = HashMap::new();
    for (event, _) in &attempts {
        *attempts_per_event.entry(event.as_str()).or_default() += 1;
    }
    for (event, received) in &per_event {
        let logged = attempts_per_event.get(event.as_str()).copied().unwrap_or(0);
        assert!(
            logged >= *received,
            "event {event}: {received} requests received, {logged} attempt rows"
        );
    }
    let interrupted = attempts
        .iter()
        .filter(|(_, outcome)| outcome == "interrupted")
        .count();
    println!(
        "crash test ({backend:?}): {} accepted, {} delivered, {requests} requests, {duplicates} duplicates, \
         {interrupted} attempts marked interrupted, resumed after {resumed_after:?}",
        accepted.len(),
        per_event.len()
    );
    // A crash repeats what was sent and not yet recorded (the receiver
    // counts a request on arrival): at most the webhook's concurrency limit
    // each time, and each one an attempt the log shows `interrupted`.
    let bound = 3 * usize::try_from(PER_WEBHOOK_CONCURRENCY).unwrap();
    assert!(
        duplicates <= bound,
        "{duplicates} duplicates after 3 crashes: more than the {bound} attempts that can be unrecorded"
    );
    assert!(
        duplicates <= interrupted,
        "{duplicates} duplicates but only {interrupted} attempts marked interrupted"
    );
    for resumed in resumed_after {
        assert!(
            resumed < Duration::from_secs(5),
            "delivery resumed {resumed:?} after a restart"
        );
    }
}

async fn two_processes(backend: Backend) {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let receiver = Receiver::start().await;
    receiver.always(Reply::ok().after(Duration::from_millis(10)));
    let api = installation.start(&["serve"]).await;
    let worker = installation.start(&["worker"]).await;
    create_webhook(&api, &key, receiver.url("/h")).await;
    let accepted = publishers(api.address.clone(), key.clone(), 400)
        .await
        .unwrap();
    let received = receiver.wait_for(400, Duration::from_secs(60)).await;
    receiver
        .expect_no_more_than(400, Duration::from_millis(500))
        .await;
    let mut ids: Vec<&str> = received.iter().map(|r| r.header("webhook-id")).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        accepted.len(),
        "every event exactly once: no delivery claimed twice"
    );
    let db = installation.db().await;
    let workers = rows(
        &db,
        "SELECT DISTINCT worker_id, worker_id FROM delivery_attempts",
    )
    .await;
    assert_eq!(workers.len(), 2, "both processes delivered");

    // A worker dies holding deliveries: another process takes them over.
    drop(api);
    drop(worker);
    let api = installation.start(&["serve", "--no-worker"]).await;
    let mut doomed = installation.start(&["worker"]).await;
    receiver.next(vec![Reply::ok().after(Duration::from_secs(60)); 4]);
    receiver.always(Reply::ok());
    for n in 0..4 {
        let (status, _) = call(
            &api.address,
            &key,
            "POST",
            "/events",
            Some(json!({"type": 3, "data": {"late": n}})),
        )
        .await
        .unwrap();
        assert_eq!(status, 202);
    }
    receiver.wait_for(404, Duration::from_secs(10)).await;
    doomed.kill9();
    let killed = Instant::now();
    let _survivor = installation.start(&["worker"]).await;
    receiver.wait_for(408, Duration::from_secs(15)).await;
    let took = killed.elapsed();
    assert!(
        took < Duration::from_secs(9),
        "the dead worker's deliveries waited {took:?}"
    );
    let interrupted = rows(
        &db,
        "SELECT id, outcome FROM delivery_attempts WHERE outcome = 'interrupted'",
    )
    .await;
    assert_eq!(interrupted.len(), 4, "{interrupted:?}");
}
