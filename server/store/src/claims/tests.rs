//! The claim, give-back and finish statements as SQLite plans them.

use super::*;
use crate::{Database, Synchronous, finished_attempts};

/// What SQLite's planner does with `sql`, `binds` parameters bound.
async fn plan(db: &Db, sql: &str, binds: usize) -> Vec<String> {
    let Db::Sqlite(pools) = db else {
        unreachable!("a SQLite database")
    };
    let explain = format!("EXPLAIN QUERY PLAN {sql}");
    let mut query = sqlx::query_as::<_, (i64, i64, i64, String)>(sqlx::AssertSqlSafe(explain));
    for _ in 0..binds {
        query = query.bind(1_i64);
    }
    let steps = query.fetch_all(&pools.reads).await.expect("a plan");
    steps.into_iter().map(|(_, _, _, detail)| detail).collect()
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
    let batches = [
        (
            "claim",
            claim_sql(
                Params::Nameless,
                130,
                "",
                Lease {
                    margin_ms: 1,
                    rounds: 1,
                },
            ),
            3 + 130,
        ),
        ("give back", give_back_sql(Params::Nameless, 130), 2 + 130),
        (
            "finish",
            finished_attempts::finish_deliveries_sql(Params::Nameless, 100),
            8 * 100,
        ),
    ];
    for (name, sql, binds) in batches {
        let steps = plan(&db, &sql, binds).await;
        let by_id = steps
            .iter()
            .any(|step| step.contains("sqlite_autoindex_deliveries_1"));
        let by_status = steps.iter().any(|step| step.contains("deliveries_due"));
        assert!(by_id && !by_status, "{name}: {steps:?}");
    }
    db.close().await;
    let _ = std::fs::remove_dir_all(dir);
}
