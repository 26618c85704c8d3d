//! All SQL lives here, one module per table group. SQLite and PostgreSQL run
//! the same statements (`$n` placeholders work on both) through typed pools;
//! where their SQL must differ, a module matches on [`Db`] itself, and the
//! generated multi-row statements write their parameters as [`Params`] says.

pub mod accounts;
pub mod api_keys;
pub mod claims;
pub mod companies;
pub mod deliveries;
pub mod event_types;
pub mod events;
pub mod master_key_check;
pub mod publish_batch;
pub mod publisher;
pub mod records;
pub mod sessions;
pub mod sweeps;
pub mod webhooks;
pub mod workers;

use crate::config::{Database, SqliteSync};
use sqlx::{
    PgPool, SqlitePool,
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{
    sync::{
        Arc,
        atomic::{AtomicU64, Ordering},
    },
    time::Duration,
};

/// A connection pool to whichever database Herald was configured with.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePools),
    Postgres(PgPool),
}

/// SQLite's two pools. Readers share several connections (WAL lets them
/// read while one writes); every write of this process goes through ONE
/// connection, so writers queue in order here instead of failing on the
/// file lock and sleeping in SQLite's busy handler (1, 2, 5, 10 ... ms).
/// Other processes on the same file still meet the busy timeout.
#[derive(Clone, Debug)]
pub struct SqlitePools {
    pub reads: SqlitePool,
    pub writes: SqlitePool,
    /// Stops the WAL checkpoints when the last clone is gone.
    _checkpoints: Arc<Checkpoints>,
}

/// The task that copies the WAL back into the database file, on a reader
/// connection: when the writer checkpoints itself (SQLite's default, every
/// 1,000 pages), the commit that crosses the mark also copies and fsyncs
/// the database file, and every write queued behind it waits.
#[derive(Debug)]
struct Checkpoints(tokio::task::AbortHandle);

impl Checkpoints {
    fn start(reads: SqlitePool) -> Self {
        let task = tokio::spawn(async move {
            let mut every = tokio::time::interval(CHECKPOINT_EVERY);
            every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            while !reads.is_closed() {
                every.tick().await;
                // PASSIVE: copies what no reader still needs, never waits for
                // the writer nor blocks it.
                if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                    .execute(&reads)
                    .await
                {
                    tracing::debug!(%error, "WAL checkpoint skipped");
                }
            }
        });
        Self(task.abort_handle())
    }
}

impl Drop for Checkpoints {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs `$body` with `$pool` bound to the typed pool of either backend, so
/// one SQL string serves both without `AnyPool`'s type limits. Reads only:
/// a statement that writes goes through [`on_writer!`].
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::store::Db::Sqlite(pools) => {
                let $pool = &pools.reads;
                $body
            }
            $crate::store::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// [`on_pool!`] for work that writes: on SQLite, the writer connection.
/// Every write counts in [`local_writes`], however it ends.
macro_rules! on_writer {
    ($db:expr, $pool:ident => $body:expr) => {{
        let _counted = $crate::store::CountedWrite;
        match $db {
            $crate::store::Db::Sqlite(pools) => {
                let $pool = &pools.writes;
                $body
            }
            $crate::store::Db::Postgres($pool) => $body,
        }
    }};
}
pub(crate) use on_writer;

/// How many writes this process has finished, to any database. A read
/// cache that remembers the count its entry was read at never serves it
/// after a write of this process (other processes' writes it cannot see).
static LOCAL_WRITES: AtomicU64 = AtomicU64::new(0);

/// The count of this process's finished writes: see [`LOCAL_WRITES`].
pub fn local_writes() -> u64 {
    LOCAL_WRITES.load(Ordering::Acquire)
}

/// Counts a write when it ends, committed, failed or cut short alike.
pub(crate) struct CountedWrite;

impl Drop for CountedWrite {
    fn drop(&mut self) {
        LOCAL_WRITES.fetch_add(1, Ordering::AcqRel);
    }
}

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

/// How a generated statement writes its parameters. PostgreSQL takes only
/// `$n`. On SQLite, sqlx looks up the name of every parameter it binds, and
/// SQLite finds a name by walking the list of them all: a batch of n
/// numbered parameters costs n²/2 steps (`sqlite3_bind_parameter_name` led
/// the writer's profile for batches of hundreds of rows). Nameless `?`
/// parameters have no names to walk; each occurrence is a parameter of its
/// own, bound in the order the statement shows them. So a generated
/// statement uses each parameter once, in order, on both backends.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Params {
    Numbered,
    Nameless,
}

impl Params {
    /// What `db` takes best.
    pub(crate) fn of(db: &Db) -> Self {
        match db {
            Db::Sqlite(_) => Params::Nameless,
            Db::Postgres(_) => Params::Numbered,
        }
    }

    /// The `n`-th parameter (from 1).
    pub(crate) fn nth(self, n: usize) -> String {
        match self {
            Params::Numbered => format!("${n}"),
            Params::Nameless => "?".to_owned(),
        }
    }

    /// `count` parameters from the `from`-th, comma-separated.
    pub(crate) fn list(self, from: usize, count: usize) -> String {
        (from..from + count)
            .map(|n| self.nth(n))
            .collect::<Vec<_>>()
            .join(", ")
    }
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
/// Prepared statements the SQLite writer keeps.
const WRITER_STATEMENTS: usize = 1024;
/// The SQLite writer's page cache: negative is KiB, here 16 MiB.
const WRITER_CACHE_KIB: &str = "-16384";
/// How often the WAL is checkpointed off the writer: [`Checkpoints`].
const CHECKPOINT_EVERY: Duration = Duration::from_millis(200);
/// WAL pages past which the writer checkpoints itself after all, should
/// the checkpoints fall behind (64 MiB; SQLite's default is 1,000).
const WRITER_AUTOCHECKPOINT_PAGES: &str = "16384";

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
                let reads = SqlitePoolOptions::new()
                    .max_connections(8)
                    .connect_with(options.clone())
                    .await?;
                // Batched statements vary in their number of rows: room
                // for each shape in the statement cache.
                // The writer touches the indexes of every new delivery and
                // attempt (random ids): a larger page cache than SQLite's
                // 2 MB keeps them in memory.
                let writes = SqlitePoolOptions::new()
                    .max_connections(1)
                    .connect_with(
                        options
                            .statement_cache_capacity(WRITER_STATEMENTS)
                            .pragma("cache_size", WRITER_CACHE_KIB)
                            .pragma("wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES),
                    )
                    .await?;
                let checkpoints = Arc::new(Checkpoints::start(reads.clone()));
                Ok(Db::Sqlite(SqlitePools {
                    reads,
                    writes,
                    _checkpoints: checkpoints,
                }))
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
            Db::Sqlite(pools) => {
                sqlx::migrate!("./migrations/sqlite")
                    .run(&pools.writes)
                    .await?
            }
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
        match self {
            Db::Sqlite(pools) => {
                pools.reads.close().await;
                pools.writes.close().await;
            }
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

/// A new id for an event, a delivery or an attempt: time-ordered
/// (UUIDv7), so the rows of a batch land on the last pages of each index
/// instead of one random page per row; each commit then writes a few pages
/// to the WAL, not one per row.
pub fn new_row_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// A new webhook's Interactly id (SPEC §7.1): 12 random bytes as 24
/// lowercase hex characters, unique by the table's index.
pub fn new_interactly_id() -> String {
    hex::encode(rand::random::<[u8; 12]>())
}

/// Starts `task`, a loop that drives the writer (the group commits of
/// publishes and of attempt records). On SQLite it runs on a thread of its
/// own: every statement is a hand-off to the connection's thread and back,
/// and on the main runtime the way back waited behind every request and
/// delivery task (measured: the writer's statements took a third longer,
/// deliveries/s 15-25 % fewer). PostgreSQL's connections are sockets of the
/// main runtime: there the loop stays on it.
pub(crate) fn spawn_write_loop<F>(db: &Db, task: F)
where
    F: std::future::Future<Output = ()> + Send + 'static,
{
    match db {
        Db::Sqlite(_) => {
            writer_runtime().spawn(task);
        }
        Db::Postgres(_) => {
            tokio::spawn(task);
        }
    }
}

/// The runtime of the writer's thread: one for the process, started on
/// first use, never ended (its loops end with their queues).
fn writer_runtime() -> &'static tokio::runtime::Handle {
    static WRITER: std::sync::OnceLock<tokio::runtime::Handle> = std::sync::OnceLock::new();
    WRITER.get_or_init(|| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("the writer's runtime starts");
        let handle = runtime.handle().clone();
        std::thread::Builder::new()
            .name("herald-writer".to_owned())
            .spawn(move || runtime.block_on(std::future::pending::<()>()))
            .expect("the writer's thread starts");
        handle
    })
}

/// Timestamps are stored as Unix milliseconds (BIGINT on both backends).
pub fn now_ms() -> i64 {
    let since_epoch = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    i64::try_from(since_epoch.as_millis()).unwrap_or(i64::MAX)
}
