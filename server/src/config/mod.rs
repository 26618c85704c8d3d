//! Typed configuration from flags and `HERALD_*` variables, validated at start.

mod urls;

use clap::{Args, ValueEnum};
use herald_engine::crypto::{MasterKey, MasterKeyError};
use std::{fmt, net::SocketAddr, path::PathBuf};
use urls::{parse_proxy, redact_url_password};

/// Settings shared by every command, so the CLI works on the same database as `serve`.
#[derive(Args, Debug, Clone)]
pub struct Settings {
    /// Address the console and REST API listen on.
    #[arg(
        long,
        env = "HERALD_ADDR",
        default_value = "127.0.0.1:3000",
        global = true
    )]
    pub addr: SocketAddr,
    /// Directory for the SQLite database and the generated master key.
    #[arg(long, env = "HERALD_DATA_DIR", default_value = "./data", global = true)]
    pub data_dir: PathBuf,
    /// A postgres:// URL to use PostgreSQL instead of SQLite.
    #[arg(long, env = "DATABASE_URL", hide_env_values = true, global = true)]
    pub database_url: Option<String>,
    /// 64 hex characters; generated into the data directory when absent.
    #[arg(long, env = "HERALD_MASTER_KEY", hide_env_values = true, global = true)]
    pub master_key: Option<String>,
    /// Log format on stderr.
    #[arg(
        long,
        env = "HERALD_LOG_FORMAT",
        value_enum,
        default_value = "text",
        global = true
    )]
    pub log_format: LogFormat,
    /// The URL users reach Herald at; https makes the session cookie Secure.
    #[arg(long, env = "HERALD_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// Where the console's built assets (pkg/, favicon) live; found next to the binary by default.
    #[arg(long, env = "HERALD_SITE_ROOT", global = true)]
    pub site_root: Option<PathBuf>,
    /// SQLite durability: `full` (a 202 is on disk) or `normal` (faster, not power-loss safe).
    #[arg(
        long,
        env = "HERALD_SQLITE_SYNC",
        value_enum,
        default_value = "full",
        global = true
    )]
    pub sqlite_sync: SqliteSync,
    /// Failed attempts in a row that open a webhook's circuit.
    #[arg(long, env = "HERALD_CIRCUIT_THRESHOLD", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub circuit_threshold: u32,
    /// `public-only` refuses loopback, private, link-local and other
    /// non-public destinations.
    #[arg(
        long,
        env = "HERALD_EGRESS",
        value_enum,
        default_value = "any",
        global = true
    )]
    pub egress: Egress,
    /// On SIGTERM, attempts in flight may run on this many seconds before
    /// their deliveries are given back to the queue.
    #[arg(
        long,
        env = "HERALD_SHUTDOWN_GRACE",
        default_value_t = 10,
        global = true
    )]
    pub shutdown_grace: u64,
    /// Deliveries and their attempts are kept this many days.
    #[arg(long, env = "HERALD_RETENTION_DAYS", default_value_t = 30, value_parser = clap::value_parser!(u32).range(1..), global = true)]
    pub retention_days: u32,
    /// Deliveries go through this proxy (`http://`, `https://` or
    /// `socks5://`, credentials in the URL); proxies named in the
    /// environment (`HTTP_PROXY`, ...) are never used.
    #[arg(long, env = "HERALD_PROXY", global = true)]
    pub proxy: Option<String>,
    /// Seconds a request may take before it is answered 503.
    #[arg(long, env = "HERALD_REQUEST_TIMEOUT", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub request_timeout: u64,
    /// Seconds a connection may take to send a request's headers (idle
    /// keep-alive connections included) before it is closed.
    #[arg(long, env = "HERALD_HEADER_TIMEOUT", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub header_timeout: u64,
    /// Requests per second each API key may make; unset for no limit.
    #[arg(long, env = "HERALD_API_RATE_LIMIT", global = true)]
    pub api_rate_limit: Option<std::num::NonZeroU32>,
    /// The sites that may show the customer portal in a frame: its CSP
    /// `frame-ancestors` (`'self' https://app.example.com`); no site by default.
    #[arg(
        long,
        env = "HERALD_PORTAL_FRAME_ANCESTORS",
        default_value = "'none'",
        global = true
    )]
    pub portal_frame_ancestors: String,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Egress {
    /// Any destination.
    Any,
    /// Public addresses only.
    PublicOnly,
}

#[derive(ValueEnum, Debug, Clone, Copy, PartialEq, Eq)]
pub enum SqliteSync {
    Full,
    Normal,
}

impl From<SqliteSync> for herald_store::Synchronous {
    fn from(sync: SqliteSync) -> Self {
        match sync {
            SqliteSync::Full => Self::Full,
            SqliteSync::Normal => Self::Normal,
        }
    }
}

pub use herald_store::Database;

/// The validated configuration every command runs with.
#[derive(Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub data_dir: PathBuf,
    pub database: Database,
    pub master_key: MasterKey,
    pub log_format: LogFormat,
    pub public_url: Option<String>,
    pub site_root: Option<PathBuf>,
    pub sqlite_sync: SqliteSync,
    pub circuit_threshold: u32,
    pub egress: Egress,
    /// The proxy every delivery goes through, when one is set.
    pub proxy: Option<url::Url>,
    pub shutdown_grace: std::time::Duration,
    pub retention_days: u32,
    pub request_timeout: std::time::Duration,
    pub header_timeout: std::time::Duration,
    pub api_rate_limit: Option<std::num::NonZeroU32>,
    /// The customer portal's CSP `frame-ancestors` sources, checked.
    pub portal_frame_ancestors: String,
    /// The console's assets compiled into the binary, when it carries them
    /// (set by `main`; `--site-root` still wins).
    pub embedded_site: Option<EmbeddedSite>,
}

/// The console's built files compiled into the binary: a path under the
/// site (`pkg/herald.js`) → the file, `None` for one it does not carry.
pub type EmbeddedSite = fn(&str) -> Option<SiteFile>;

/// One of the console's built files.
pub struct SiteFile {
    pub bytes: std::borrow::Cow<'static, [u8]>,
    /// A strong validator: the quoted hex SHA-256 of `bytes`.
    pub etag: String,
}

impl SiteFile {
    /// The file with its ETag computed.
    pub fn new(bytes: std::borrow::Cow<'static, [u8]>) -> Self {
        use sha2::Digest as _;
        let etag = format!("\"{}\"", hex::encode(sha2::Sha256::digest(&bytes)));
        Self { bytes, etag }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error(
        "DATABASE_URL must start with postgres:// or postgresql:// (leave it unset for SQLite)"
    )]
    UnsupportedDatabaseUrl,
    #[error("HERALD_PUBLIC_URL must start with http:// or https://")]
    PublicUrl,
    #[error("HERALD_PROXY must be an http://, https:// or socks5:// URL with a host")]
    Proxy,
    #[error("cannot create the data directory {path}: {source}")]
    DataDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "HERALD_PORTAL_FRAME_ANCESTORS must be 'none', or sources separated by spaces \
         ('self', https://app.example.com, https://*.example.com)"
    )]
    FrameAncestors,
    #[error(transparent)]
    MasterKey(#[from] MasterKeyError),
}

impl Config {
    /// Validates the settings, creating the data directory and, when no key
    /// is given, loading or generating the master key file in it.
    pub fn load(settings: Settings) -> Result<Self, ConfigError> {
        std::fs::create_dir_all(&settings.data_dir).map_err(|source| ConfigError::DataDir {
            path: settings.data_dir.clone(),
            source,
        })?;
        let database = match settings.database_url.filter(|url| !url.is_empty()) {
            None => Database::Sqlite(settings.data_dir.join("herald.db")),
            Some(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
                Database::Postgres(url)
            }
            Some(_) => return Err(ConfigError::UnsupportedDatabaseUrl),
        };
        if let Some(url) = &settings.public_url
            && !(url.starts_with("http://") || url.starts_with("https://"))
        {
            return Err(ConfigError::PublicUrl);
        }
        let portal_frame_ancestors = urls::frame_ancestors(&settings.portal_frame_ancestors)
            .ok_or(ConfigError::FrameAncestors)?;
        let proxy = settings
            .proxy
            .filter(|url| !url.is_empty())
            .map(|raw| parse_proxy(&raw))
            .transpose()?;
        let master_key = match settings.master_key.filter(|key| !key.is_empty()) {
            Some(hex) => MasterKey::from_hex(&hex)?,
            None => MasterKey::load_or_generate(&settings.data_dir.join("master.key"))?,
        };
        Ok(Self {
            addr: settings.addr,
            data_dir: settings.data_dir,
            database,
            master_key,
            log_format: settings.log_format,
            public_url: settings.public_url,
            site_root: settings.site_root,
            sqlite_sync: settings.sqlite_sync,
            circuit_threshold: settings.circuit_threshold,
            egress: settings.egress,
            proxy,
            shutdown_grace: std::time::Duration::from_secs(settings.shutdown_grace),
            retention_days: settings.retention_days,
            request_timeout: std::time::Duration::from_secs(settings.request_timeout),
            header_timeout: std::time::Duration::from_secs(settings.header_timeout),
            api_rate_limit: settings.api_rate_limit,
            portal_frame_ancestors,
            embedded_site: None,
        })
    }

    /// The address browsers reach Herald at: `HERALD_PUBLIC_URL`, else the listening address.
    pub fn public_base_url(&self) -> String {
        self.public_url
            .clone()
            .unwrap_or_else(|| format!("http://{}", self.addr))
    }

    /// Whether cookies must be `Secure`: Herald is reached over https.
    pub fn secure_cookies(&self) -> bool {
        self.public_url
            .as_deref()
            .is_some_and(|url| url.starts_with("https://"))
    }
}

/// Printed at start: every setting, secrets redacted.
impl fmt::Display for Config {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let database = match &self.database {
            Database::Sqlite(path) => format!("sqlite {}", path.display()),
            Database::Postgres(url) => format!("postgres {}", redact_url_password(url)),
        };
        write!(
            f,
            "addr={} data_dir={} database={} master_key={} log_format={:?} public_url={} sqlite_sync={:?} circuit_threshold={} egress={:?} proxy={} retention_days={} request_timeout={}s header_timeout={}s api_rate_limit={} portal_frame_ancestors={}",
            self.addr,
            self.data_dir.display(),
            database,
            self.master_key.origin(),
            self.log_format,
            self.public_url.as_deref().unwrap_or("-"),
            self.sqlite_sync,
            self.circuit_threshold,
            self.egress,
            self.proxy
                .as_ref()
                .map_or_else(|| "-".to_owned(), |url| redact_url_password(url.as_str())),
            self.retention_days,
            self.request_timeout.as_secs(),
            self.header_timeout.as_secs(),
            self.api_rate_limit
                .map_or_else(|| "-".to_owned(), |rate| format!("{rate}/s")),
            self.portal_frame_ancestors,
        )
    }
}
