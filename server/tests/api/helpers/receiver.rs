//! A real HTTP receiver on loopback that records every request and answers
//! as the test tells it: the other end of Herald's deliveries.

use axum::{
    Router,
    body::Bytes,
    extract::{Request, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use std::{
    collections::{HashSet, VecDeque},
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};
use tokio::sync::Notify;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HeaderMap,
    pub body: Bytes,
    pub at: Instant,
}

impl Received {
    pub fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap()
    }
}

/// How to answer: a status, headers, a body, after a delay.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    pub delay: Duration,
}

impl Reply {
    pub fn status(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: String::new(),
            delay: Duration::ZERO,
        }
    }

    pub fn ok() -> Self {
        Self::status(200)
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_owned(), value.to_owned()));
        self
    }

    pub fn body(mut self, body: impl Into<String>) -> Self {
        self.body = body.into();
        self
    }

    pub fn after(mut self, delay: Duration) -> Self {
        self.delay = delay;
        self
    }
}

#[derive(Default)]
struct Shared {
    received: Mutex<Vec<Received>>,
    /// Answers for the next requests, in order; then `usual`.
    next: Mutex<VecDeque<Reply>>,
    usual: Mutex<Option<Reply>>,
    /// The `webhook-id`s of requests not yet answered, and the most
    /// requests ever unanswered at once.
    in_flight: Mutex<(Vec<String>, usize)>,
    /// The `webhook-id`s of requests whose sender hung up before the answer.
    abandoned: Mutex<Vec<String>>,
    arrived: Notify,
}

/// Counts one request in flight until it is answered or dropped: dropped
/// unanswered when its sender hung up (as when it died), it is abandoned.
struct InFlight<'a> {
    shared: &'a Shared,
    webhook_id: String,
    answered: bool,
}

impl<'a> InFlight<'a> {
    fn start(shared: &'a Shared, webhook_id: String) -> Self {
        let mut in_flight = shared.in_flight.lock().unwrap();
        in_flight.0.push(webhook_id.clone());
        in_flight.1 = in_flight.1.max(in_flight.0.len());
        Self {
            shared,
            webhook_id,
            answered: false,
        }
    }
}

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        let mut in_flight = self.shared.in_flight.lock().unwrap();
        if let Some(at) = in_flight.0.iter().position(|id| *id == self.webhook_id) {
            in_flight.0.swap_remove(at);
        }
        if !self.answered {
            let id = std::mem::take(&mut self.webhook_id);
            self.shared.abandoned.lock().unwrap().push(id);
        }
    }
}

/// The receiver; it stops when dropped.
pub struct Receiver {
    pub address: String,
    shared: Arc<Shared>,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Receiver {
    /// Listens on a free loopback port, answering 200 until told otherwise.
    pub async fn start() -> Self {
        let shared = Arc::new(Shared::default());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        let app = Router::new()
            .fallback(answer)
            .with_state(Arc::clone(&shared));
        let server = tokio::spawn(async move {
            axum::serve(listener, app).await.unwrap();
        });
        Self {
            address,
            shared,
            server,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    /// Answers every request from now on with `reply`.
    pub fn always(&self, reply: Reply) {
        *self.shared.usual.lock().unwrap() = Some(reply);
    }

    /// Answers the next requests with `replies`, in order.
    pub fn next(&self, replies: impl IntoIterator<Item = Reply>) {
        self.shared.next.lock().unwrap().extend(replies);
    }

    pub fn received(&self) -> Vec<Received> {
        self.shared.received.lock().unwrap().clone()
    }

    /// The most requests that were ever in flight at once.
    pub fn peak_concurrency(&self) -> usize {
        self.shared.in_flight.lock().unwrap().1
    }

    /// The `webhook-id`s of the requests not answered: those still in
    /// flight, and those abandoned since the last call.
    pub fn take_unanswered(&self) -> HashSet<String> {
        let mut unanswered: HashSet<String> =
            std::mem::take(&mut *self.shared.abandoned.lock().unwrap())
                .into_iter()
                .collect();
        unanswered.extend(self.shared.in_flight.lock().unwrap().0.iter().cloned());
        unanswered
    }

    /// Waits until `count` requests arrived (panics after `within`).
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        self.wait_until(within, |received| received.len() >= count)
            .await
            .unwrap_or_else(|received| {
                panic!(
                    "{} of {count} requests arrived within {within:?}",
                    received.len()
                )
            })
    }

    /// Waits, woken by each arrival, until `done` holds for what arrived:
    /// `Ok` with it then, or `Err` with what arrived once `within` passed.
    pub async fn wait_until(
        &self,
        within: Duration,
        done: impl Fn(&[Received]) -> bool,
    ) -> Result<Vec<Received>, Vec<Received>> {
        let deadline = Instant::now() + within;
        loop {
            let arrived = self.shared.arrived.notified();
            let received = self.received();
            if done(&received) {
                return Ok(received);
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(received);
            }
            let _ = tokio::time::timeout(left, arrived).await;
        }
    }

    /// Waits until no request has arrived for `quiet` (panics if that takes
    /// longer than `within`); returns everything that arrived.
    pub async fn wait_quiet(&self, quiet: Duration, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let arrived = self.shared.arrived.notified();
            let last = self.received().last().map(|r| r.at);
            if last.is_none_or(|at| at.elapsed() >= quiet) {
                return self.received();
            }
            assert!(
                Instant::now() < deadline,
                "requests kept arriving for {within:?}"
            );
            let _ = tokio::time::timeout(quiet, arrived).await;
        }
    }

    /// Asserts that no more than `count` requests arrive before `during`
    /// has passed, failing at the first one too many.
    pub async fn expect_no_more_than(&self, count: usize, during: Duration) {
        if let Ok(received) = self.wait_until(during, |r| r.len() > count).await {
            panic!(
                "{} requests arrived, expected at most {count}: the last to {}",
                received.len(),
                received.last().unwrap().path
            );
        }
    }
}

async fn answer(State(shared): State<Arc<Shared>>, request: Request) -> Response {
    let path = request.uri().path().to_owned();
    let headers = request.headers().clone();
    let body = axum::body::to_bytes(request.into_body(), usize::MAX)
        .await
        .unwrap_or_default();
    let reply = {
        let planned = shared.next.lock().unwrap().pop_front();
        planned
            .or_else(|| shared.usual.lock().unwrap().clone())
            .unwrap_or_else(Reply::ok)
    };
    let webhook_id = headers
        .get("webhook-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let in_flight = InFlight::start(&shared, webhook_id);
    shared.received.lock().unwrap().push(Received {
        path,
        headers,
        body,
        at: Instant::now(),
    });
    shared.arrived.notify_waiters();
    tokio::time::sleep(reply.delay).await;
    let mut in_flight = in_flight;
    in_flight.answered = true;
    drop(in_flight);
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
    for (name, value) in reply.headers {
        response.headers_mut().insert(
            axum::http::HeaderName::try_from(name).unwrap(),
            value.parse().unwrap(),
        );
    }
    response
}
