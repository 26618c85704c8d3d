//! Upgrading a database made by an earlier Herald: migration 0005 (SPEC §7)
//! gives every existing webhook its own 24-hex Interactly id and adds the
//! profiles' event types under the next free ids, skipping labels an admin
//! already added.

use crate::helpers::{Backend, fresh_settings};
use herald_store::Db;
use server::config::Database;

on_both_backends!(migration_0005_upgrades_existing_webhooks_and_catalog);

/// The rows an install of migrations 0001–0004 may hold: two webhooks, a
/// type an admin added (id 6) and a retired one the new catalog also names.
const BEFORE: [&str; 5] = [
    "INSERT INTO accounts (id, name, created_at) VALUES ('a1', 'default', 0)",
    "INSERT INTO api_keys (id, account_id, name, key_prefix, key_hash, scopes, created_at) \
     VALUES ('k1', 'a1', 'k', 'sk_1234', 'hash', 'admin', 0)",
    "INSERT INTO event_types (id, label, description, created_at, retired_at) \
     VALUES (6, 'candidate.hired', 'Added by an admin', 0, NULL), \
     (7, 'video.updated', 'Added and retired by an admin', 0, 5)",
    "INSERT INTO webhooks (id, account_id, api_key_id, url, headers, all_events, is_active, \
     max_retries, timeout_ms, retry_backoff_seconds, consecutive_failures, signing_secret, \
     created_at, updated_at) VALUES ('w1', 'a1', 'k1', 'https://a.io', $1, TRUE, TRUE, 3, 30000, 30, 0, $1, 0, 0)",
    "INSERT INTO webhooks (id, account_id, api_key_id, url, headers, all_events, is_active, \
     max_retries, timeout_ms, retry_backoff_seconds, consecutive_failures, signing_secret, \
     created_at, updated_at) VALUES ('w2', 'a1', 'k1', 'https://b.io', $1, TRUE, TRUE, 3, 30000, 30, 0, $1, 0, 0)",
];

async fn migration_0005_upgrades_existing_webhooks_and_catalog(backend: Backend) {
    let dir = tempfile::tempdir().unwrap();
    let settings = fresh_settings(backend, dir.path()).await;
    let database = match settings.database_url {
        Some(url) => Database::Postgres(url),
        None => Database::Sqlite(dir.path().join("herald.db")),
    };
    let db = Db::connect(&database, herald_store::Synchronous::Full)
        .await
        .unwrap();
    let blob: Vec<u8> = vec![1, 2, 3];
    macro_rules! on {
        ($migrations:literal, $pool:expr) => {{
            let migrator = sqlx::migrate!($migrations);
            migrator.run_to(4, $pool).await.unwrap();
            for sql in BEFORE {
                let mut query = sqlx::query(sql);
                if sql.contains("$1") {
                    query = query.bind(&blob);
                }
                query.execute($pool).await.unwrap();
            }
            migrator.run($pool).await.unwrap();
            let ids: Vec<(String, String)> =
                sqlx::query_as("SELECT id, interactly_id FROM webhooks ORDER BY id")
                    .fetch_all($pool)
                    .await
                    .unwrap();
            let catalog: Vec<(i64, String, Option<i64>)> = sqlx::query_as(
                "SELECT id, label, retired_at FROM event_types WHERE id >= 6 ORDER BY id",
            )
            .fetch_all($pool)
            .await
            .unwrap();
            (ids, catalog)
        }};
    }
    let (ids, catalog) = match &db {
        Db::Sqlite(pools) => on!("./store/migrations/sqlite", &pools.writes),
        Db::Postgres(pool) => on!("./store/migrations/postgres", pool),
    };
    assert_eq!(ids.len(), 2);
    for (_, hex) in &ids {
        assert!(
            hex.len() == 24
                && hex
                    .bytes()
                    .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)),
            "{hex}"
        );
    }
    assert_ne!(ids[0].1, ids[1].1, "each webhook its own id");
    let labels: Vec<(i64, &str, bool)> = catalog
        .iter()
        .map(|(id, label, retired)| (*id, label.as_str(), retired.is_some()))
        .collect();
    assert_eq!(
        labels,
        [
            (6, "candidate.hired", false),
            (7, "video.updated", true),
            (8, "workflow_created", false),
            (9, "workflow_updated", false),
            (10, "workflow_deleted", false),
            (11, "workflow_run_started", false),
            (12, "workflow_run_completed", false),
            (13, "avatar.deleted", false),
        ],
        "the next free ids; a label already there stays as the admin left it"
    );
}
