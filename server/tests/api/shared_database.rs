//! Several `herald` processes on one PostgreSQL database: the work is
//! shared, never done twice, and a dead process's work is taken over.

use crate::helpers::{Backend, Receiver, Reply, process::Installation};
use crate::processes::{RESUMED_WITHIN, SCOPES, call, create_webhook, publish, publishers, rows};
use herald_store::Db;
use serde_json::json;
use std::{collections::HashSet, time::Duration};

on_postgres_only!(
    two_processes_never_claim_one_delivery_twice_and_take_over_a_dead_ones_work,
    an_edit_committed_while_a_publish_runs_reaches_its_delivery,
);

async fn two_processes_never_claim_one_delivery_twice_and_take_over_a_dead_ones_work(
    backend: Backend,
) {
    let _heavy = crate::helpers::heavy().await;
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
    receiver.wait_for(400, Duration::from_secs(60)).await;
    let received = receiver
        .wait_quiet(Duration::from_secs(2), Duration::from_secs(30))
        .await;
    let ids: HashSet<&str> = received.iter().map(|r| r.header("webhook-id")).collect();
    assert_eq!(
        (received.len(), ids),
        (
            accepted.len(),
            accepted.iter().map(String::as_str).collect()
        ),
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
        publish(&api, &key, json!({"late": n})).await;
    }
    receiver.wait_for(404, Duration::from_secs(10)).await;
    let held = rows(
        &db,
        "SELECT event_id, locked_by FROM deliveries WHERE status = 'delivering'",
    )
    .await;
    let held_events: HashSet<String> = held.iter().map(|(event, _)| event.clone()).collect();
    let holders: HashSet<&str> = held.iter().map(|(_, worker)| worker.as_str()).collect();
    assert_eq!(held.len(), 4, "{held:?}");
    assert_eq!(holders.len(), 1, "one process holds them: {held:?}");
    assert_eq!(
        receiver.take_unanswered(),
        held_events,
        "the requests it has out"
    );

    doomed.kill9();
    let killed = std::time::Instant::now();
    let _survivor = installation.start(&["worker"]).await;
    receiver.wait_for(408, RESUMED_WITHIN * 3).await;
    let received = receiver
        .wait_quiet(Duration::from_secs(2), Duration::from_secs(30))
        .await;
    let resent = &received[404..];
    let mut resent_events: Vec<String> = resent
        .iter()
        .map(|r| r.header("webhook-id").to_owned())
        .collect();
    resent_events.sort_unstable();
    let mut expected: Vec<String> = held_events.iter().cloned().collect();
    expected.sort_unstable();
    assert_eq!(
        resent_events, expected,
        "exactly the dead process's, once each"
    );
    let took = resent.iter().map(|r| r.at - killed).max().unwrap();
    assert!(
        took < RESUMED_WITHIN,
        "the dead worker's deliveries waited {took:?}"
    );
    let interrupted = rows(
        &db,
        "SELECT d.event_id, a.worker_id FROM delivery_attempts a JOIN deliveries d ON d.id = a.delivery_id \
         WHERE a.outcome = 'interrupted'",
    )
    .await;
    let interrupted_events: HashSet<String> =
        interrupted.iter().map(|(event, _)| event.clone()).collect();
    assert_eq!(interrupted.len(), 4, "{interrupted:?}");
    assert_eq!(interrupted_events, held_events);
    assert!(
        interrupted
            .iter()
            .all(|(_, worker)| holders.contains(worker.as_str()))
    );
}

/// A publish reads its webhooks, then an edit made by another process
/// commits, then the publish writes its delivery claimed with what it read:
/// the delivery must still go where the webhook now points. The publish is
/// held between its read and its write by a lock on `events` that the test
/// takes first.
async fn an_edit_committed_while_a_publish_runs_reaches_its_delivery(backend: Backend) {
    let installation = Installation::new(backend).await;
    let key = installation.cli(&["api-key", "create", "--scopes", SCOPES]);
    let (old, new) = (Receiver::start().await, Receiver::start().await);
    let delivering = installation.start(&["serve"]).await;
    let editing = installation.start(&["serve", "--no-worker"]).await;
    let webhook = create_webhook(&delivering, &key, old.url("/old")).await;
    let Db::Postgres(pool) = installation.db().await else {
        unreachable!("a PostgreSQL test")
    };
    let mut lock = pool.begin().await.unwrap();
    sqlx::query("LOCK TABLE events IN EXCLUSIVE MODE")
        .execute(&mut *lock)
        .await
        .unwrap();
    let address = delivering.address.clone();
    let publish_key = key.clone();
    let publish = tokio::spawn(async move {
        call(
            &address,
            &publish_key,
            "POST",
            "/events",
            Some(json!({"type": 3, "data": {}})),
        )
        .await
        .unwrap()
    });
    let waiting = "SELECT count(*) FROM pg_stat_activity \
                   WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO events%'";
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while sqlx::query_scalar::<_, i64>(waiting)
        .fetch_one(&pool)
        .await
        .unwrap()
        == 0
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the publish never reached its write"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let path = format!("/webhooks/{webhook}");
    let edit = json!({"url": new.url("/new")});
    let (status, answer) = call(&editing.address, &key, "PATCH", &path, Some(edit))
        .await
        .unwrap();
    assert_eq!(status, 200, "{answer}");
    lock.rollback().await.unwrap();
    let (status, answer) = publish.await.unwrap();
    assert_eq!(status, 202, "{answer}");

    new.wait_for(1, Duration::from_secs(10)).await;
    old.expect_no_more_than(0, Duration::from_secs(1)).await;
}
