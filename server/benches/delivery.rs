//! Micro-benchmarks of the delivery hot path, so regressions show:
//! signing a message (one and two secrets), and the queue queries (the
//! due look-up and a claim of a batch, given back after) on SQLite with
//! 2,000 pending deliveries. Run with `cargo bench -p server`.

use criterion::{Criterion, criterion_group, criterion_main};
use herald_engine::clock::Clock;
use herald_engine::sign::signature_header;
use herald_model::{EventIn, EventRef, Scope, WebhookIn};
use herald_service::{NewApiKey, Service};
use herald_store::{Db, claims, queue_upkeep};
use server::{
    config::{Config, LogFormat, Settings, SqliteSync},
    startup,
};
use std::hint::black_box;

const PENDING: usize = 2_000;
const BATCH: usize = 64;

fn signing(c: &mut Criterion) {
    let body = vec![b'x'; 1024];
    let one = [[7_u8; 32]];
    let two = [[7_u8; 32], [9_u8; 32]];
    c.bench_function("sign 1 KiB, one secret", |b| {
        b.iter(|| signature_header(black_box(&one), "msg_1", 1_700_000_000, black_box(&body)))
    });
    c.bench_function("sign 1 KiB, two secrets (after a rotation)", |b| {
        b.iter(|| signature_header(black_box(&two), "msg_1", 1_700_000_000, black_box(&body)))
    });
}

/// A fresh SQLite Herald with one webhook and `PENDING` pending deliveries.
async fn queue_with_pending(dir: &std::path::Path) -> Db {
    let settings = Settings {
        addr: "127.0.0.1:0".parse().expect("an address"),
        data_dir: dir.to_owned(),
        database_url: None,
        master_key: None,
        log_format: LogFormat::Text,
        public_url: None,
        site_root: None,
        sqlite_sync: SqliteSync::Normal,
        circuit_threshold: 5,
        egress: server::config::Egress::Any,
        shutdown_grace: 10,
        retention_days: 30,
        proxy: None,
        request_timeout: 30,
        header_timeout: 10,
        api_rate_limit: None,
        portal_frame_ancestors: "'none'".to_owned(),
    };
    let config = Config::load(settings).expect("a configuration");
    let herald = startup::build_with_clock(&config, Clock::manual())
        .await
        .expect("a Herald");
    let caller = admin(&herald.service).await;
    let webhook = WebhookIn::new("https://example.com/hook".to_owned(), vec![EventRef::Id(3)]);
    herald
        .service
        .create_webhook(&caller, webhook)
        .await
        .expect("a webhook");
    for n in 0..PENDING {
        let event = EventIn {
            event_type: EventRef::Id(3),
            company_id: None,
            data: serde_json::json!({"n": n}),
            idempotency_key: None,
            account_id: None,
        };
        herald
            .service
            .publish_event(&caller, event)
            .await
            .expect("published");
    }
    herald.db
}

async fn admin(service: &Service) -> herald_service::Principal {
    let account = service.ensure_account("bench").await.expect("an account");
    let request = NewApiKey {
        name: "bench".into(),
        scopes: vec![Scope::Admin],
        company_id: None,
    };
    let key = service
        .create_api_key(&account, request)
        .await
        .expect("a key")
        .key;
    service.authenticate(&key).await.expect("a principal")
}

fn queue(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = std::env::temp_dir().join(format!("herald-cargo-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a data directory");
    let db = runtime.block_on(queue_with_pending(&dir));
    let now = Clock::system().now_ms() + 1_000;
    c.bench_function("due: 256 of 2,000 pending", |b| {
        b.to_async(&runtime)
            .iter(|| async { claims::due(&db, &[], now, 256).await.expect("due") })
    });
    c.bench_function("claim 64 and release them", |b| {
        b.to_async(&runtime).iter(|| async {
            let due = claims::due(&db, &[], now, BATCH as i64).await.expect("due");
            let ids: Vec<String> = due.into_iter().map(|(id, ..)| id).collect();
            let claimed = claims::claim(&db, &ids, "bench", now, herald_engine::LEASE, || {
                uuid::Uuid::new_v4().to_string()
            })
            .await
            .expect("claimed");
            queue_upkeep::release(&db, "bench", now)
                .await
                .expect("released");
            claimed.len()
        })
    });
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, signing, queue);
criterion_main!(benches);
