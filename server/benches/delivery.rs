//! Micro-benchmarks of the delivery hot path, so regressions show:
//! signing a message (one and two secrets), the queue queries (the due
//! look-up and a claim of a batch, given back after) on SQLite with 2,000
//! pending deliveries, and one beat of the writer as the throughput phase
//! of `herald-bench` sees it. Run with `cargo bench -p server`.

use criterion::{Criterion, criterion_group, criterion_main};
use herald_engine::clock::Clock;
use herald_engine::sign::signature_header;
use herald_model::{EventIn, EventRef, Scope, WebhookIn};
use herald_service::{NewApiKey, Service};
use herald_store::{
    Db, WriteTx, claims,
    events::{self, LocalClaimer, PublishRequest},
    finished_attempts::{self, CircuitEffect, FinishedAttempt, NextStep},
    queue_upkeep,
};
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

/// A fresh SQLite Herald with `webhooks` webhooks of event type 3 and
/// `events` events of that type published (a pending delivery each per
/// webhook); its database and the account.
async fn queue_with_pending(dir: &std::path::Path, webhooks: usize, events: usize) -> (Db, String) {
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
    for n in 0..webhooks {
        let url = format!("https://example.com/hook/{n}");
        let webhook = WebhookIn::new(url, vec![EventRef::Id(3)]);
        herald
            .service
            .create_webhook(&caller, webhook)
            .await
            .expect("a webhook");
    }
    for n in 0..events {
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
    (herald.db, caller.account_id)
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
    let (db, _) = runtime.block_on(queue_with_pending(&dir, 1, PENDING));
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

/// Publishes and finished attempts of one beat, in the proportions of the
/// throughput phase with 10 webhooks per event.
const BEAT_PUBLISHES: usize = 15;
const BEAT_RECORDS: usize = 30;

/// One beat of the writer: `BEAT_RECORDS` finished attempts and
/// `BEAT_PUBLISHES` publishes to 10 webhooks each, in one transaction.
fn beat(c: &mut Criterion) {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime");
    let dir = std::env::temp_dir().join(format!("herald-cargo-bench-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).expect("a data directory");
    let (db, account_id) = runtime.block_on(queue_with_pending(&dir, 10, BEAT_RECORDS * 2));
    let (db, account_id) = (&db, account_id.as_str());
    c.bench_function(
        "beat: 15 publishes to 10 webhooks and 30 attempt records",
        |b| {
            // Each beat's inputs are made untimed, on the bench's runtime
            // (criterion's batched setup would block inside it).
            b.to_async(&runtime).iter_custom(|beats| async move {
                let mut took = std::time::Duration::ZERO;
                for _ in 0..beats {
                    let (requests, finished) = beat_writes(db, account_id).await;
                    let started = std::time::Instant::now();
                    black_box(one_beat(db, &requests, &finished).await);
                    took += started.elapsed();
                }
                took
            })
        },
    );
    drop(runtime);
    let _ = std::fs::remove_dir_all(&dir);
}

/// What the writer does in one beat: the records, then the publishes, in
/// one transaction.
async fn one_beat(db: &Db, requests: &[PublishRequest], finished: &[FinishedAttempt]) -> usize {
    let now = Clock::system().now_ms();
    let requests: Vec<&PublishRequest> = requests.iter().collect();
    let finished: Vec<&FinishedAttempt> = finished.iter().collect();
    let mut tx = WriteTx::begin(db).await.expect("a transaction");
    finished_attempts::finish_in(&mut tx, &finished, &[], now)
        .await
        .expect("recorded");
    let no_claimer: Option<&dyn LocalClaimer<Ticket = ()>> = None;
    let published = events::publish_in(
        &mut tx,
        &requests,
        no_claimer,
        now,
        herald_store::new_row_id,
    )
    .await
    .expect("published");
    tx.commit().await.expect("committed");
    published.committed().answers.len()
}

/// A beat's writes: deliveries claimed now and their attempts finished
/// (each beat's publishes leave more pending than the next one records),
/// and new events.
async fn beat_writes(db: &Db, account_id: &str) -> (Vec<PublishRequest>, Vec<FinishedAttempt>) {
    let now = Clock::system().now_ms();
    let due = claims::due(db, &[], now, BEAT_RECORDS as i64)
        .await
        .expect("due");
    let ids: Vec<String> = due.into_iter().map(|(id, ..)| id).collect();
    let claimed = claims::claim(
        db,
        &ids,
        "bench",
        now,
        herald_engine::LEASE,
        herald_store::new_row_id,
    )
    .await
    .expect("claimed");
    let finished = claimed
        .into_iter()
        .map(|row| FinishedAttempt {
            delivery_id: row.delivery_id,
            attempt_id: row.attempt_id,
            attempt_number: row.attempt_number,
            webhook_id: row.webhook_id,
            worker_id: "bench".to_owned(),
            finished_at: now,
            succeeded: true,
            duration_ms: 2,
            url: row.url,
            http_status: Some(200),
            error_kind: None,
            error_message: None,
            request_headers: r#"{"content-type":"application/json"}"#.to_owned(),
            response_headers: r#"{"content-length":"2"}"#.to_owned(),
            response_body: Some("ok".to_owned()),
            next: NextStep::Succeeded,
            circuit: CircuitEffect::Success,
        })
        .collect();
    let body = format!(r#"{{"data":"{}"}}"#, "x".repeat(1000));
    let requests = (0..BEAT_PUBLISHES)
        .map(|_| {
            let id = herald_store::new_row_id();
            let event = events::NewEvent {
                id: &id,
                account_id,
                company_id: None,
                event_type_id: 3,
                body: &body,
                created_at: now,
            };
            PublishRequest::new(&event, None)
        })
        .collect();
    (requests, finished)
}

criterion_group!(benches, signing, queue, beat);
criterion_main!(benches);
