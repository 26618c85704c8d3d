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
    collections::VecDeque,
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
    in_flight: Mutex<(usize, usize)>,
    arrived: Notify,
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

    /// Waits until `count` requests arrived (panics after `within`).
    pub async fn wait_for(&self, count: usize, within: Duration) -> Vec<Received> {
        let deadline = Instant::now() + within;
        loop {
            let arrived = self.shared.arrived.notified();
            let received = self.received();
            if received.len() >= count {
                return received;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            assert!(
                !left.is_zero(),
                "{} of {count} requests arrived within {within:?}",
                received.len()
            );
            let _ = tokio::time::timeout(left, arrived).await;
        }
    }

    /// Asserts that no more than `count` requests arrive during `during`.
    pub async fn expect_no_more_than(&self, count: usize, during: Duration) {
        tokio::time::sleep(during).await;
        let received = self.received().len();
        assert!(
            received <= count,
            "{received} requests arrived, expected at most {count}"
        );
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
    {
        let mut in_flight = shared.in_flight.lock().unwrap();
        in_flight.0 += 1;
        in_flight.1 = in_flight.1.max(in_flight.0);
    }
    shared.received.lock().unwrap().push(Received {
        path,
        headers,
        body,
        at: Instant::now(),
    });
    shared.arrived.notify_waiters();
    tokio::time::sleep(reply.delay).await;
    shared.in_flight.lock().unwrap().0 -= 1;
    let mut response = (StatusCode::from_u16(reply.status).unwrap(), reply.body).into_response();
    for (name, value) in reply.headers {
        response.headers_mut().insert(
            axum::http::HeaderName::try_from(name).unwrap(),
            value.parse().unwrap(),
        );
    }
    response
}
