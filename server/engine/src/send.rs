//! One HTTP attempt: the signed POST and what came back. Redirects are
//! never followed; the whole exchange, body excerpt included, must finish
//! within the webhook's timeout.

use super::{egress, schedule, sign};
use herald_model::{HeaderPair, validate::CustomHeader};
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use std::time::{Duration, Instant, SystemTime};

/// At most this much of a response body is kept.
pub(crate) const BODY_EXCERPT_BYTES: usize = 4096;
const USER_AGENT: &str = concat!("Herald/", env!("CARGO_PKG_VERSION"));
const MASK: &str = "***";
/// The error kind of an attempt that could not be made at all.
pub const UNSENDABLE: &str = "unsendable";

/// A signed request, ready to go.
pub struct Outgoing<'a> {
    pub url: &'a str,
    pub event_id: &'a str,
    pub body: &'a str,
    /// The live signing secrets: the current one first.
    pub secrets: &'a [[u8; 32]],
    pub custom_headers: &'a [CustomHeader],
    pub timeout: Duration,
    /// `HERALD_EGRESS=public-only`: IP literals are checked here, names by
    /// the client's resolver.
    pub public_only: bool,
    /// Sent through `HERALD_PROXY`: the proxy resolves the host, so under
    /// `public_only` Herald resolves it first and refuses a non-public one.
    pub proxied: bool,
}

/// What one attempt observed.
#[derive(Debug, Clone)]
pub struct Observed {
    pub succeeded: bool,
    pub http_status: Option<u16>,
    /// `http`, `redirect`, `timeout`, `connection`, `request`, `egress` or
    /// `unsendable`; none on success.
    pub error_kind: Option<&'static str>,
    /// Readable: `HTTP 500`, `Connection timeout`, `Connection refused` ...
    pub error_message: Option<String>,
    pub retry_after: Option<Duration>,
    pub request_headers: Vec<HeaderPair>,
    pub response_headers: Vec<HeaderPair>,
    pub response_body: Option<String>,
    pub duration: Duration,
}

impl Observed {
    /// An attempt that never left: nothing was sent, for this reason.
    pub fn unsendable(reason: &str) -> Self {
        Self {
            succeeded: false,
            http_status: None,
            error_kind: Some(UNSENDABLE),
            error_message: Some(reason.to_owned()),
            retry_after: None,
            request_headers: Vec::new(),
            response_headers: Vec::new(),
            response_body: None,
            duration: Duration::ZERO,
        }
    }
}

/// The client every attempt shares: pooled connections, HTTP/1.1 and
/// HTTP/2, no redirects, and no proxy from the environment: reqwest would
/// honour `HTTP_PROXY`, `HTTPS_PROXY` and `ALL_PROXY`, and a proxy
/// resolves and connects to whatever a URL names, past the egress guard.
pub fn client(public_only: bool, proxy: Option<&url::Url>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .no_proxy()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(USER_AGENT)
        .pool_idle_timeout(Duration::from_secs(90))
        .tcp_nodelay(true);
    if public_only {
        builder = builder.dns_resolver(std::sync::Arc::new(egress::PublicOnlyResolver));
    }
    if let Some(proxy) = proxy {
        let proxy = reqwest::Proxy::all(proxy.as_str()).expect("the proxy URL was validated");
        builder = builder.proxy(proxy);
    }
    builder
        .build()
        .expect("the HTTP client's settings are valid")
}

/// Sends the request and reports what happened; never fails.
pub async fn send(client: &reqwest::Client, outgoing: &Outgoing<'_>) -> Observed {
    let timestamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let (headers, shown) = request_headers(outgoing, timestamp);
    let started = Instant::now();
    let refused = match (outgoing.public_only, outgoing.proxied) {
        (false, _) => None,
        (true, false) => egress::check_literal(outgoing.url).err(),
        (true, true) => egress::check_before_proxy(outgoing.url).await.err(),
    };
    let exchange = async {
        let response = client
            .post(outgoing.url)
            .headers(headers)
            .body(outgoing.body.to_owned())
            .send()
            .await?;
        let status = response.status();
        let response_headers = header_pairs(response.headers());
        let retry_after = response
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| schedule::parse_retry_after(value, SystemTime::now()));
        let body = excerpt(response).await;
        Ok::<_, reqwest::Error>((status, response_headers, retry_after, body))
    };
    let result = match refused {
        Some(refused) => Ok(Err(Failure::Egress(refused))),
        None => {
            tokio::time::timeout(outgoing.timeout, async {
                exchange.await.map_err(Failure::Http)
            })
            .await
        }
    };
    let mut observed = Observed {
        succeeded: false,
        http_status: None,
        error_kind: None,
        error_message: None,
        retry_after: None,
        request_headers: shown,
        response_headers: Vec::new(),
        response_body: None,
        duration: started.elapsed(),
    };
    match result {
        Ok(Ok((status, response_headers, retry_after, body))) => {
            observed.http_status = Some(status.as_u16());
            observed.response_headers = response_headers;
            observed.retry_after = retry_after;
            observed.response_body = body;
            observed.succeeded = status.is_success();
            if status.is_redirection() {
                observed.error_kind = Some("redirect");
                observed.error_message = Some(format!(
                    "HTTP {} (redirects are not followed)",
                    status.as_u16()
                ));
            } else if !status.is_success() {
                observed.error_kind = Some("http");
                observed.error_message = Some(format!("HTTP {}", status.as_u16()));
            }
        }
        Ok(Err(Failure::Egress(refused))) => {
            observed.error_kind = Some("egress");
            observed.error_message = Some(refused.to_string());
        }
        Ok(Err(Failure::Http(error))) => {
            let (kind, message) = describe(&error);
            observed.error_kind = Some(kind);
            observed.error_message = Some(message);
        }
        Err(_) => {
            observed.error_kind = Some("timeout");
            observed.error_message = Some("Connection timeout".to_owned());
        }
    }
    if observed.error_kind == Some("egress") {
        let reason = observed.error_message.as_deref().unwrap_or_default();
        tracing::warn!(event_id = outgoing.event_id, reason, "delivery not sent");
    }
    observed
}

/// The headers to send, and the same as the log shows them (masked values hidden).
fn request_headers(outgoing: &Outgoing<'_>, timestamp: i64) -> (HeaderMap, Vec<HeaderPair>) {
    let signature = sign::signature_header(
        outgoing.secrets,
        outgoing.event_id,
        timestamp,
        outgoing.body.as_bytes(),
    );
    let standard = [
        ("content-type", "application/json".to_owned()),
        ("user-agent", USER_AGENT.to_owned()),
        ("webhook-id", outgoing.event_id.to_owned()),
        ("webhook-timestamp", timestamp.to_string()),
        ("webhook-signature", signature),
    ];
    let mut headers = HeaderMap::new();
    let mut shown = Vec::new();
    let custom = outgoing
        .custom_headers
        .iter()
        .map(|header| (header.name.as_str(), header.value.clone(), header.masked));
    let all = standard
        .into_iter()
        .map(|(name, value)| (name, value, false))
        .chain(custom);
    for (name, value, masked) in all {
        // Validated when stored; a header that no longer parses is left out.
        let (Ok(header_name), Ok(header_value)) = (
            HeaderName::try_from(name),
            HeaderValue::try_from(value.as_str()),
        ) else {
            continue;
        };
        headers.append(header_name, header_value);
        let value = if masked { MASK.to_owned() } else { value };
        shown.push(HeaderPair {
            name: name.to_owned(),
            value,
        });
    }
    (headers, shown)
}

fn header_pairs(headers: &HeaderMap) -> Vec<HeaderPair> {
    headers
        .iter()
        .map(|(name, value)| HeaderPair {
            name: name.as_str().to_owned(),
            value: String::from_utf8_lossy(value.as_bytes()).into_owned(),
        })
        .collect()
}

/// The first [`BODY_EXCERPT_BYTES`] of the body; the rest is not read.
async fn excerpt(mut response: reqwest::Response) -> Option<String> {
    let mut kept = Vec::new();
    while kept.len() < BODY_EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => kept.extend_from_slice(&chunk),
            Ok(None) | Err(_) => break,
        }
    }
    kept.truncate(BODY_EXCERPT_BYTES);
    (!kept.is_empty()).then(|| String::from_utf8_lossy(&kept).into_owned())
}

enum Failure {
    Egress(egress::EgressRefused),
    Http(reqwest::Error),
}

fn describe(error: &reqwest::Error) -> (&'static str, String) {
    if error.is_timeout() {
        return ("timeout", "Connection timeout".to_owned());
    }
    let mut cause: Option<&dyn std::error::Error> = Some(error);
    let mut deepest = error.to_string();
    while let Some(current) = cause {
        if let Some(refused) = current.downcast_ref::<egress::EgressRefused>() {
            return ("egress", refused.to_string());
        }
        deepest = current.to_string();
        cause = current.source();
    }
    if error.is_connect() {
        let message = if deepest.contains("refused") {
            "Connection refused".to_owned()
        } else {
            format!("Connection failed: {deepest}")
        };
        return ("connection", message);
    }
    ("request", format!("Request failed: {deepest}"))
}
