//! The claim, give-back and finish statements as SQLite plans them.

use super::*;
use crate::{
    Database, Synchronous,
    finished_attempts::{self, CircuitEffect, FinishedAttempt, NextStep},
};
use sqlx::Sqlite;

/// What SQLite's planner does with the statement `push` writes.
async fn plan(db: &Db, push: impl FnOnce(&mut QueryBuilder<Sqlite>)) -> Vec<String> {
    let Db::Sqlite(pools) = db else {
        unreachable!("a SQLite database")
    };
    let mut explain = QueryBuilder::new("EXPLAIN QUERY PLAN ");
    push(&mut explain);
    let steps = explain
        .build_query_as::<(i64, i64, i64, String)>()
        .fetch_all(&pools.reads)
        .await
        .expect("a plan");
    steps.into_iter().map(|(_, _, _, detail)| detail).collect()
}

fn finished(n: usize) -> FinishedAttempt {
    FinishedAttempt {
        delivery_id: format!("d{n}"),
        attempt_id: format!("a{n}"),
        attempt_number: 1,
        webhook_id: "w".to_owned(),
        worker_id: "p".to_owned(),
        finished_at: 1,
        succeeded: true,
        duration_ms: 1,
        url: "https://example.com/".to_owned(),
        http_status: Some(200),
        error_kind: None,
        error_message: None,
        request_headers: "{}".to_owned(),
        response_headers: "{}".to_owned(),
        response_body: None,
        next: NextStep::Succeeded,
        circuit: CircuitEffect::Success,
    }
}

/// A long queue must not make batches slower: a batch that names its
/// rows by id looks them up by id, never walks a status.
#[tokio::test]
async fn batch_updates_find_their_rows_by_id_not_by_status() {
    let dir = std::env::temp_dir().join(format!("herald-plans-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let database = Database::Sqlite(dir.join("herald.db"));
    let db = Db::connect(&database, Synchronous::Normal)
        .await
        .expect("SQLite");
    db.migrate().await.expect("migrations");
    let ids: Vec<String> = (0..130).map(|n| format!("d{n}")).collect();
    let attempts: Vec<FinishedAttempt> = (0..100).map(finished).collect();
    let attempts: Vec<&FinishedAttempt> = attempts.iter().collect();
    let lease = Lease {
        margin_ms: 1,
        rounds: 1,
    };
    let plans = [
        (
            "claim",
            plan(&db, |claim| push_claim(claim, &ids, "p", 1, "", lease)).await,
        ),
        (
            "give back",
            plan(&db, |give_back| {
                push_give_back(give_back, ids.iter().map(String::as_str), "p", 1)
            })
            .await,
        ),
        (
            "finish",
            plan(&db, |finish| {
                finished_attempts::push_finish_deliveries(finish, &attempts)
            })
            .await,
        ),
    ];
    for (name, steps) in plans {
        let by_id = steps
            .iter()
            .any(|step| step.contains("sqlite_autoindex_deliveries_1"));
        let by_status = steps.iter().any(|step| step.contains("deliveries_due"));
        assert!(by_id && !by_status, "{name}: {steps:?}");
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
