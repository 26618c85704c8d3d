//! All SQL lives here, one module per table group. SQLite and PostgreSQL run
//! the same statements (`$n` placeholders work on both) through typed pools;
//! where their SQL must differ, a module matches on [`Db`] itself.

pub mod accounts;
pub mod api_keys;
pub mod companies;
pub mod deliveries;
pub mod event_types;
pub mod events;
pub mod sessions;
pub mod webhooks;
pub mod workers;

use crate::config::{Database, SqliteSync};
use sqlx::{
    PgPool, SqlitePool,
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::time::Duration;

/// A connection pool to whichever database Herald was configured with.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the typed pool of either backend, so
/// one SQL string serves both without `AnyPool`'s type limits.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite($pool) => $body,
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// Opens a transaction that will write. On SQLite it takes the write lock at
/// once (`BEGIN IMMEDIATE`): a transaction that reads first could otherwise
/// fail to upgrade when another writer got in between.
pub(crate) trait BeginWrite {
    type Database: sqlx::Database;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, Self::Database>, sqlx::Error>;
}

impl BeginWrite for SqlitePool {
    type Database = sqlx::Sqlite;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.begin_with("BEGIN IMMEDIATE").await
    }
}

impl BeginWrite for PgPool {
    type Database = sqlx::Postgres;
    async fn begin_write(&self) -> Result<sqlx::Transaction<'static, sqlx::Postgres>, sqlx::Error> {
        self.begin().await
    }
}

/// `$from, $from+1, ...`: `count` numbered placeholders, comma-separated.
pub(crate) fn placeholders(from: usize, count: usize) -> String {
    (from..from + count)
        .map(|n| format!("${n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[source] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("a row with the same unique value already exists")]
    UniqueViolation,
    /// PostgreSQL refuses U+0000 in text; the adapters reject it first, this
    /// keeps any path that did not a 400 rather than a 500.
    #[error("Text must not contain NUL characters")]
    NulInText,
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        match error.as_database_error() {
            Some(db_error) if db_error.is_unique_violation() => StoreError::UniqueViolation,
            // 22021: character_not_in_repertoire, what a NUL in text raises.
            Some(db_error) if db_error.code().as_deref() == Some("22021") => StoreError::NulInText,
            _ => StoreError::Database(error),
        }
    }
}

/// What every store function returns.
pub type StoreResult<T> = Result<T, StoreError>;

const BUSY_TIMEOUT: Duration = Duration::from_secs(5);

impl Db {
    /// Opens the pool: SQLite in WAL mode with foreign keys and a busy
    /// timeout (the file is created when missing), or PostgreSQL.
    pub async fn connect(database: &Database, sync: SqliteSync) -> StoreResult<Self> {
        match database {
            Database::Sqlite(path) => {
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(BUSY_TIMEOUT)
                    .synchronous(match sync {
                        SqliteSync::Full => SqliteSynchronous::Full,
                        SqliteSync::Normal => SqliteSynchronous::Normal,
                    });
                let pool = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options)
                    .await?;
                Ok(Db::Sqlite(pool))
            }
            Database::Postgres(url) => {
                let pool = PgPoolOptions::new()
                    .max_connections(16)
                    .acquire_timeout(BUSY_TIMEOUT)
                    .connect(url)
                    .await?;
                Ok(Db::Postgres(pool))
            }
        }
    }

    /// Applies the embedded migrations of this backend (idempotent).
    pub async fn migrate(&self) -> StoreResult<()> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("./migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("./migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    /// A round trip to the database.
    pub async fn ping(&self) -> StoreResult<()> {
        on_pool!(self, pool => sqlx::query("SELECT 1").execute(pool).await.map(|done| done.rows_affected()))?;
        Ok(())
    }

    /// Closes every connection; used at shutdown (and by tests to cut the database off).
    pub async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

/// Timestamps are stored as Unix milliseconds (BIGINT on both backends).
pub fn now_ms() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
