//! The load each measurement applies.

use super::receiver::Received;
use serde_json::json;
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// About 1 KiB of event data, with the send time for the latency phase.
pub fn payload(received: &Received, n: u64) -> serde_json::Value {
    json!({"n": n, "sentAtUs": received.now_us(), "pad": "x".repeat(960)})
}

/// A client as a load generator wants it: many pooled connections.
pub fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(256)
        .tcp_nodelay(true)
        .build()
        .expect("a valid client")
}

/// The ceiling: bare POSTs of the same size to the receiver, no database,
/// from `concurrency` tasks for `duration`. Posts per second.
pub async fn raw_posts_per_s(url: &str, concurrency: usize, duration: Duration) -> f64 {
    let client = client();
    let body = serde_json::to_vec(&json!({"pad": "x".repeat(1000)})).expect("serializable");
    let done = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let tasks: Vec<_> = (0..concurrency)
        .map(|_| {
            let (client, body, done, url) = (
                client.clone(),
                body.clone(),
                Arc::clone(&done),
                url.to_owned(),
            );
            tokio::spawn(async move {
                while started.elapsed() < duration {
                    let sent = client
                        .post(&url)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await;
                    if sent.is_ok() {
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                }
            })
        })
        .collect();
    for task in tasks {
        let _ = task.await;
    }
    done.load(Ordering::Relaxed) as f64 / started.elapsed().as_secs_f64()
}

/// Publishes `events` events of `event_type` from `publishers` tasks;
/// fails on any answer but 202.
pub async fn publish_all(
    herald: &str,
    key: &str,
    event_type: i64,
    events: u64,
    publishers: u64,
    received: &Arc<Received>,
) -> Result<(), String> {
    let client = client();
    let next = Arc::new(AtomicU64::new(0));
    let tasks: Vec<_> = (0..publishers)
        .map(|_| {
            let (client, next, received) =
                (client.clone(), Arc::clone(&next), Arc::clone(received));
            let (url, auth) = (format!("{herald}/events"), format!("Bearer {key}"));
            tokio::spawn(async move {
                loop {
                    let n = next.fetch_add(1, Ordering::Relaxed);
                    if n >= events {
                        return Ok::<(), String>(());
                    }
                    let body = json!({"type": event_type, "data": payload(&received, n)});
                    publish(&client, &url, &auth, &body).await?;
                }
            })
        })
        .collect();
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(())
}

async fn publish(
    client: &reqwest::Client,
    url: &str,
    auth: &str,
    body: &serde_json::Value,
) -> Result<(), String> {
    let response = client
        .post(url)
        .header("authorization", auth)
        .json(body)
        .send()
        .await
        .map_err(|e| e.to_string())?;
    if response.status() != reqwest::StatusCode::ACCEPTED {
        let status = response.status();
        return Err(format!(
            "POST /events: {status} {}",
            response.text().await.unwrap_or_default()
        ));
    }
    Ok(())
}

/// Publishes at a fixed open-loop `rate` per second for `duration`: each
/// event leaves on its tick whether or not earlier ones were answered.
pub async fn publish_at_rate(
    herald: &str,
    key: &str,
    event_type: i64,
    rate: u64,
    duration: Duration,
    received: &Arc<Received>,
) -> Result<u64, String> {
    let client = client();
    let (url, auth) = (format!("{herald}/events"), format!("Bearer {key}"));
    let mut ticks =
        tokio::time::interval(Duration::from_secs(1) / u32::try_from(rate).unwrap_or(1000));
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Burst);
    let started = Instant::now();
    let mut tasks = Vec::new();
    let mut n = 0;
    while started.elapsed() < duration {
        ticks.tick().await;
        let body = json!({"type": event_type, "data": payload(received, n)});
        let (client, url, auth) = (client.clone(), url.clone(), auth.clone());
        tasks.push(tokio::spawn(async move {
            publish(&client, &url, &auth, &body).await
        }));
        n += 1;
    }
    for task in tasks {
        task.await.map_err(|e| e.to_string())??;
    }
    Ok(n)
}

/// `GET path` from `connections` tasks for `duration`: requests per second
/// and every latency.
pub async fn get_load(
    url: &str,
    key: &str,
    connections: usize,
    duration: Duration,
) -> (f64, Vec<Duration>) {
    let client = client();
    let auth = format!("Bearer {key}");
    let started = Instant::now();
    let tasks: Vec<_> = (0..connections)
        .map(|_| {
            let (client, url, auth) = (client.clone(), url.to_owned(), auth.clone());
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                while started.elapsed() < duration {
                    let sent = Instant::now();
                    let ok = client
                        .get(&url)
                        .header("authorization", &auth)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().is_success());
                    if ok {
                        latencies.push(sent.elapsed());
                    }
                }
                latencies
            })
        })
        .collect();
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap_or_default());
    }
    let per_s = all.len() as f64 / started.elapsed().as_secs_f64();
    (per_s, all)
}

/// The `q` quantile (0..=1) of `samples`, in milliseconds.
pub fn quantile_ms(samples: &mut [Duration], q: f64) -> f64 {
    if samples.is_empty() {
        return f64::NAN;
    }
    samples.sort_unstable();
    let index = ((samples.len() - 1) as f64 * q).round() as usize;
    samples[index].as_secs_f64() * 1000.0
}
