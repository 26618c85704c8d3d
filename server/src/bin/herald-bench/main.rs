//! `herald-bench`: Herald's delivery throughput against the loopback
//! ceiling, publish-to-receive latency, API load and memory, measured on a
//! real `herald serve` child process. SQLite on a fresh data directory, or
//! PostgreSQL when `DATABASE_URL` is set.

mod load;
mod receiver;
mod server_process;

use clap::Parser;
use serde_json::json;
use server_process::HeraldProcess;
use std::{
    process::ExitCode,
    sync::{Arc, atomic::Ordering},
    time::{Duration, Instant},
};

/// `interview.completed`: the ten-webhook type.
const TEN_WEBHOOKS_TYPE: i64 = 3;
/// `interview.failed`: the one-webhook type (latency too).
const ONE_WEBHOOK_TYPE: i64 = 4;
const PUBLISHERS: u64 = 32;
const RAW_CONCURRENCY: usize = 64;
const API_CONNECTIONS: usize = 64;
const LATENCY_RATE: u64 = 1_000;

#[derive(Parser, Debug)]
#[command(about = "Measure Herald: throughput, latency, API load, memory")]
struct Args {
    /// A small run (under a minute).
    #[arg(long)]
    quick: bool,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
    /// Events per throughput phase (default 20,000; 1,000 with --quick).
    #[arg(long)]
    events: Option<u64>,
    /// SQLite durability of the server under test: full or normal.
    #[arg(long, default_value = "full")]
    sqlite_sync: String,
}

struct Plan {
    events: u64,
    raw_for: Duration,
    latency_for: Duration,
    api_for: Duration,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let runtime = tokio::runtime::Runtime::new().expect("a tokio runtime");
    match runtime.block_on(run(&args)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("herald-bench: {error}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: &Args) -> Result<(), String> {
    let plan = if args.quick {
        Plan {
            events: args.events.unwrap_or(1_000),
            raw_for: Duration::from_secs(2),
            latency_for: Duration::from_secs(2),
            api_for: Duration::from_secs(2),
        }
    } else {
        Plan {
            events: args.events.unwrap_or(20_000),
            raw_for: Duration::from_secs(5),
            latency_for: Duration::from_secs(10),
            api_for: Duration::from_secs(5),
        }
    };
    let database_url = std::env::var("DATABASE_URL")
        .ok()
        .filter(|url| !url.is_empty());
    let backend = if database_url.is_some() {
        "postgres"
    } else {
        "sqlite"
    };
    let (receiver_url, received) = receiver::start().await.map_err(|e| e.to_string())?;
    progress(args, "raw POST ceiling");
    let raw = load::raw_posts_per_s(
        &format!("{receiver_url}/raw"),
        RAW_CONCURRENCY,
        plan.raw_for,
    )
    .await;

    let herald = HeraldProcess::start(database_url.as_deref(), &args.sqlite_sync)?;
    create_webhooks(&herald, &receiver_url).await?;
    let cpu_before = herald.cpu_seconds();
    progress(args, "throughput, one webhook per event");
    let one = throughput(&herald, &received, ONE_WEBHOOK_TYPE, 1, plan.events).await?;
    progress(args, "throughput, ten webhooks per event");
    let ten = throughput(&herald, &received, TEN_WEBHOOKS_TYPE, 10, plan.events).await?;
    // Both phases: 11 deliveries per event.
    let cpu_per_1000 = herald
        .cpu_seconds()
        .zip(cpu_before)
        .map(|(after, before)| (after - before) / (plan.events * 11) as f64 * 1000.0);
    progress(args, "latency at 1,000 events/s");
    let mut latencies = latency(&herald, &received, plan.latency_for).await?;
    progress(args, "GET /webhooks at 64 connections");
    let (api_per_s, mut api_latencies) = load::get_load(
        &format!("{}/webhooks", herald.base_url),
        &herald.api_key,
        API_CONNECTIONS,
        plan.api_for,
    )
    .await;
    let report = json!({
        "backend": backend,
        "sqlite_sync": if backend == "sqlite" { Some(args.sqlite_sync.as_str()) } else { None },
        "events": plan.events,
        "raw_posts_per_s": raw.round(),
        "deliveries_per_s": ten.deliveries_per_s.round(),
        "deliveries_per_s_one_webhook": one.deliveries_per_s.round(),
        "publish_per_s": ten.published_per_s.round(),
        "publish_per_s_one_webhook": one.published_per_s.round(),
        "ratio_to_raw": (ten.deliveries_per_s / raw * 1000.0).round() / 1000.0,
        "latency_ms": {
            "p50": round2(load::quantile_ms(&mut latencies, 0.50)),
            "p95": round2(load::quantile_ms(&mut latencies, 0.95)),
            "p99": round2(load::quantile_ms(&mut latencies, 0.99)),
            "p999": round2(load::quantile_ms(&mut latencies, 0.999)),
        },
        "cpu_s_per_1000_deliveries": cpu_per_1000.map(|cpu| (cpu * 1000.0).round() / 1000.0),
        "api_get_per_s": api_per_s.round(),
        "api_get_p99_ms": round2(load::quantile_ms(&mut api_latencies, 0.99)),
        "peak_rss_mib": herald.peak_rss_mib().map(|mib| (mib * 10.0).round() / 10.0),
    });
    if args.json {
        println!("{report}");
    } else {
        print_table(&report);
    }
    Ok(())
}

fn progress(args: &Args, step: &str) {
    if !args.json {
        eprintln!("… {step}");
    }
}

fn round2(value: f64) -> f64 {
    (value * 100.0).round() / 100.0
}

/// One webhook for the one-webhook type, ten for the other.
async fn create_webhooks(herald: &HeraldProcess, receiver: &str) -> Result<(), String> {
    let client = load::client();
    let mut hooks = vec![(format!("{receiver}/one"), ONE_WEBHOOK_TYPE)];
    hooks.extend((0..10).map(|n| (format!("{receiver}/ten/{n}"), TEN_WEBHOOKS_TYPE)));
    for (url, event_type) in hooks {
        let response = client
            .post(format!("{}/webhooks", herald.base_url))
            .bearer_auth(&herald.api_key)
            .json(&json!({"url": url, "events": [event_type], "timeoutMs": 5000}))
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if response.status() != reqwest::StatusCode::CREATED {
            return Err(format!(
                "creating a webhook: {}",
                response.text().await.unwrap_or_default()
            ));
        }
    }
    Ok(())
}

/// What a throughput phase measured.
struct Throughput {
    /// Deliveries per second from the first publish to the last delivery.
    deliveries_per_s: f64,
    /// Events accepted (202) per second while publishing.
    published_per_s: f64,
}

async fn throughput(
    herald: &HeraldProcess,
    received: &Arc<receiver::Received>,
    event_type: i64,
    fan_out: u64,
    events: u64,
) -> Result<Throughput, String> {
    let before = received.count.load(Ordering::SeqCst);
    let expected = events * fan_out;
    let started = Instant::now();
    load::publish_all(
        &herald.base_url,
        &herald.api_key,
        event_type,
        events,
        PUBLISHERS,
        received,
    )
    .await?;
    let published = started.elapsed();
    let finished = received
        .wait_for(before + expected, Duration::from_secs(600))
        .await?;
    Ok(Throughput {
        deliveries_per_s: expected as f64 / (finished - started).as_secs_f64(),
        published_per_s: events as f64 / published.as_secs_f64(),
    })
}

/// Publish-to-receive latencies at a fixed rate.
async fn latency(
    herald: &HeraldProcess,
    received: &Arc<receiver::Received>,
    duration: Duration,
) -> Result<Vec<Duration>, String> {
    let before = received.count.load(Ordering::SeqCst);
    received.record_latencies(true);
    let sent = load::publish_at_rate(
        &herald.base_url,
        &herald.api_key,
        ONE_WEBHOOK_TYPE,
        LATENCY_RATE,
        duration,
        received,
    )
    .await?;
    received
        .wait_for(before + sent, Duration::from_secs(120))
        .await?;
    received.record_latencies(false);
    Ok(received.take_latencies())
}

fn print_table(report: &serde_json::Value) {
    let rows = [
        (
            "backend",
            report["backend"].as_str().unwrap_or_default().to_owned(),
        ),
        (
            "raw POST ceiling (posts/s)",
            report["raw_posts_per_s"].to_string(),
        ),
        (
            "deliveries/s, 10 webhooks per event",
            report["deliveries_per_s"].to_string(),
        ),
        (
            "deliveries/s, 1 webhook per event",
            report["deliveries_per_s_one_webhook"].to_string(),
        ),
        ("ratio to raw", report["ratio_to_raw"].to_string()),
        (
            "events accepted/s while publishing (10 / 1 webhooks)",
            format!(
                "{} / {}",
                report["publish_per_s"], report["publish_per_s_one_webhook"]
            ),
        ),
        (
            "latency p50 / p95 / p99 / p99.9 (ms)",
            format!(
                "{} / {} / {} / {}",
                report["latency_ms"]["p50"],
                report["latency_ms"]["p95"],
                report["latency_ms"]["p99"],
                report["latency_ms"]["p999"]
            ),
        ),
        (
            "CPU seconds per 1,000 deliveries",
            report["cpu_s_per_1000_deliveries"].to_string(),
        ),
        ("GET /webhooks (req/s)", report["api_get_per_s"].to_string()),
        (
            "GET /webhooks p99 (ms)",
            report["api_get_p99_ms"].to_string(),
        ),
        ("peak RSS (MiB)", report["peak_rss_mib"].to_string()),
    ];
    println!("| measure | value |\n|---|---|");
    for (name, value) in rows {
        println!("| {name} | {value} |");
    }
}
