//! The loopback receiver: answers 200 at once, counts what arrives and,
//! while asked to, records each delivery's publish-to-receive latency.

use axum::{Router, body::Bytes, extract::State, routing::post};
use std::{
    sync::{
        Arc, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::{Duration, Instant},
};

/// What the receiver has seen.
pub struct Received {
    pub count: AtomicU64,
    started: Instant,
    recording: AtomicBool,
    latencies: Mutex<Vec<Duration>>,
}

impl Received {
    /// Microseconds since the bench started: what publishers put in `sentAtUs`.
    pub fn now_us(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX)
    }

    pub fn record_latencies(&self, on: bool) {
        self.recording.store(on, Ordering::SeqCst);
    }

    pub fn take_latencies(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.latencies.lock().expect("never poisoned"))
    }

    /// Waits until `count` requests arrived in all (or `limit` passes).
    pub async fn wait_for(&self, count: u64, limit: Duration) -> Result<Instant, String> {
        let deadline = Instant::now() + limit;
        loop {
            let seen = self.count.load(Ordering::SeqCst);
            if seen >= count {
                return Ok(Instant::now());
            }
            if Instant::now() > deadline {
                return Err(format!(
                    "only {seen} of {count} deliveries arrived in {limit:?}"
                ));
            }
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
    }
}

/// Starts the receiver; returns its base URL and its record.
pub async fn start() -> std::io::Result<(String, Arc<Received>)> {
    let received = Arc::new(Received {
        count: AtomicU64::new(0),
        started: Instant::now(),
        recording: AtomicBool::new(false),
        latencies: Mutex::new(Vec::new()),
    });
    let app = Router::new()
        .route("/{*path}", post(receive))
        .with_state(Arc::clone(&received));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
    let url = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok((url, received))
}

async fn receive(State(received): State<Arc<Received>>, body: Bytes) -> &'static str {
    received.count.fetch_add(1, Ordering::SeqCst);
    if received.recording.load(Ordering::Relaxed)
        && let Some(sent) = sent_at_us(&body)
    {
        let latency = Duration::from_micros(received.now_us().saturating_sub(sent));
        received
            .latencies
            .lock()
            .expect("never poisoned")
            .push(latency);
    }
    "ok"
}

/// The `sentAtUs` number inside the event's `data`, found without parsing
/// the whole body.
fn sent_at_us(body: &[u8]) -> Option<u64> {
    const KEY: &[u8] = b"\"sentAtUs\":";
    let start = body.windows(KEY.len()).position(|w| w == KEY)? + KEY.len();
    let digits: Vec<u8> = body[start..]
        .iter()
        .copied()
        .take_while(u8::is_ascii_digit)
        .collect();
    std::str::from_utf8(&digits).ok()?.parse().ok()
}
