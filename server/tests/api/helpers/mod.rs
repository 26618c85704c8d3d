//! `TestApp`: a Herald on a free port with its own database and data directory.

mod postgres;
pub mod process;
pub mod receiver;
mod script;
pub mod stored;

pub use receiver::{Receiver, Reply};
pub use script::{curl_answers, run_script};

use herald_engine::clock::Clock;
use herald_model::Scope;
use reqwest::{Response, StatusCode, header};
use serde_json::Value;
use server::{
    config::{Config, LogFormat, Settings, SqliteSync},
    startup,
};

use herald_service::{NewApiKey, Service};
use herald_store::Db;
use std::path::PathBuf;
use tempfile::TempDir;

/// The longest one test may run, waiting its turn for [`heavy`] included
/// (the four heavy tests take about a minute each). A hung test fails with
/// its name instead of holding the suite.
const TEST_TIME_LIMIT: std::time::Duration = std::time::Duration::from_secs(600);

/// Held by the tests that load the machine and measure time (many
/// processes, thousands of requests): they run one at a time, each beside
/// light tests only, so that one's load is not another's missed deadline.
pub async fn heavy() -> tokio::sync::MutexGuard<'static, ()> {
    static HEAVY: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());
    HEAVY.lock().await
}

/// Runs one test under [`TEST_TIME_LIMIT`].
pub async fn within_time_limit(test: impl Future<Output = ()>) {
    if tokio::time::timeout(TEST_TIME_LIMIT, test).await.is_err() {
        panic!("the test ran past its {TEST_TIME_LIMIT:?} limit");
    }
}

#[derive(Clone, Copy, Debug)]
pub enum Backend {
    Sqlite,
    Postgres,
}

pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub service: Service,
    pub db: Db,
    pub data_dir: PathBuf,
    pub database_url: Option<String>,
    /// Moved by hand: time-window rules (secret rotation) without sleeping.
    pub clock: Clock,
    /// Stops the delivery worker when the app is dropped.
    _worker: tokio_util::sync::DropGuard,
    _data_dir: TempDir,
}

/// Settings as `herald` would read them, for a fresh data directory.
pub async fn fresh_settings(backend: Backend, data_dir: &std::path::Path) -> Settings {
    let database_url = match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some(postgres::fresh_database().await),
    };
    Settings {
        addr: "127.0.0.1:0".parse().unwrap(),
        data_dir: data_dir.to_owned(),
        database_url,
        master_key: None,
        log_format: LogFormat::Text,
        public_url: None,
        site_root: None,
        sqlite_sync: SqliteSync::Full,
        circuit_threshold: 5,
        egress: server::config::Egress::Any,
        shutdown_grace: 10,
        retention_days: 30,
        proxy: None,
        request_timeout: 30,
        header_timeout: 10,
        api_rate_limit: None,
        portal_frame_ancestors: "'none'".to_owned(),
    }
}

impl TestApp {
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Spawns with settings adjusted by `adjust` (e.g. a public URL).
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_inner(backend, adjust, true).await
    }

    /// An app whose deliveries are stored but never sent: for fuzzers that
    /// create webhooks with arbitrary URLs (tests send only to loopback).
    pub async fn spawn_without_worker(backend: Backend) -> Self {
        Self::spawn_inner(backend, |_| {}, false).await
    }

    async fn spawn_inner(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
        worker: bool,
    ) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let mut settings = fresh_settings(backend, dir.path()).await;
        adjust(&mut settings);
        let database_url = settings.database_url.clone();
        let config = Config::load(settings).unwrap();
        let clock = Clock::manual();
        let herald = startup::build_with_clock(&config, clock.clone())
            .await
            .unwrap();
        let stop = tokio_util::sync::CancellationToken::new();
        let role = if worker {
            herald_engine::WorkerRole::Deliver
        } else {
            herald_engine::WorkerRole::HeartbeatOnly
        };
        tokio::spawn(herald_engine::run_worker(
            herald.engine.clone(),
            role,
            stop.clone(),
            std::time::Duration::from_secs(5),
        ));
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(server::listener::serve(
            listener,
            herald.router,
            config.header_timeout,
            std::future::pending(),
        ));
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            address,
            client,
            service: herald.service,
            db: herald.db,
            data_dir: dir.path().to_owned(),
            database_url,
            clock,
            _worker: stop.drop_guard(),
            _data_dir: dir,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    /// A GET with the session cookie, as a browser would send it.
    pub async fn get_with_session(&self, path: &str, session: &str) -> Response {
        self.client
            .get(self.url(path))
            .header(header::COOKIE, format!("herald_session={session}"))
            .send()
            .await
            .unwrap()
    }

    /// Calls a console server function, optionally with a session cookie.
    pub async fn server_fn(
        &self,
        name: &str,
        form: &[(&str, &str)],
        session: Option<&str>,
    ) -> Response {
        let mut request = self
            .client
            .post(self.url(&format!("/console/fn/{name}")))
            .form(form);
        if let Some(session) = session {
            request = request.header(header::COOKIE, format!("herald_session={session}"));
        }
        request.send().await.unwrap()
    }

    /// Signs in and returns the session token from the cookie.
    pub async fn sign_in(&self, api_key: &str) -> String {
        let response = self
            .server_fn("sign_in", &[("api_key", api_key)], None)
            .await;
        assert_eq!(response.status(), StatusCode::OK, "sign-in failed");
        session_from(&response).expect("sign-in sets the session cookie")
    }

    /// An admin key, made through the service as the bootstrap would.
    pub async fn admin_key(&self) -> String {
        self.service
            .bootstrap()
            .await
            .unwrap()
            .expect("a fresh database has no key")
            .key
    }

    /// A REST call with a bearer key; returns the status and the JSON body (null for none).
    pub async fn call(
        &self,
        method: &str,
        path: &str,
        key: Option<&str>,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut request = self.client.request(method, self.url(path));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        let json = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON: {text}"))
        };
        (status, json)
    }

    /// A key of the `default` account made through the service.
    pub async fn key(&self, scopes: &[Scope]) -> String {
        self.key_in("default", scopes, None).await
    }

    pub async fn key_in(
        &self,
        account: &str,
        scopes: &[Scope],
        company_id: Option<&str>,
    ) -> String {
        let account = self.service.ensure_account(account).await.unwrap();
        let request = NewApiKey {
            name: "test".into(),
            scopes: scopes.to_vec(),
            company_id: company_id.map(Into::into),
        };
        self.service
            .create_api_key(&account, request)
            .await
            .unwrap()
            .key
    }

    pub async fn company(&self, account: &str, name: &str) -> String {
        let account = self.service.ensure_account(account).await.unwrap();
        self.service
            .create_company(&account, name)
            .await
            .unwrap()
            .id
    }

    /// Runs the real `herald` binary against this app's data directory and database.
    pub fn cli(&self, args: &[&str]) -> std::process::Output {
        let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_herald"));
        command
            .args(args)
            .env_clear()
            .env("HERALD_DATA_DIR", &self.data_dir);
        if let Some(url) = &self.database_url {
            command.env("DATABASE_URL", url);
        }
        command.output().unwrap()
    }
}

/// The session token a response's `Set-Cookie` carries.
pub fn session_from(response: &Response) -> Option<String> {
    response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .find_map(|cookie| cookie.strip_prefix("herald_session="))
        .map(|rest| rest.split(';').next().unwrap_or_default().to_owned())
        .filter(|token| !token.is_empty())
}

pub fn set_cookie(response: &Response) -> String {
    response
        .headers()
        .get(header::SET_COOKIE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

pub fn location(response: &Response) -> &str {
    response
        .headers()
        .get(header::LOCATION)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
}

/// A well-formed key that no database holds.
pub fn unknown_key() -> String {
    format!("sk_{}", "ab".repeat(32))
}
