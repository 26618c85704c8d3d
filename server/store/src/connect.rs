//! Opening the database: SQLite's reader and writer pools (and the WAL
//! checkpoints beside them) or PostgreSQL's pool, and the migrations.

use super::{StoreResult, on_pool};
use sqlx::{
    PgPool, SqlitePool,
    postgres::PgPoolOptions,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{sync::Arc, time::Duration};

/// Where data is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Database {
    Sqlite(std::path::PathBuf),
    Postgres(String),
}

/// When a SQLite commit returns: `Full` once it is on disk (a 202 means
/// stored), `Normal` once it is in the WAL (a power cut may lose the last ones).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Synchronous {
    Full,
    Normal,
}

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
    pub async fn connect(database: &Database, sync: Synchronous) -> StoreResult<Self> {
        match database {
            Database::Sqlite(path) => {
                let options = SqliteConnectOptions::new()
                    .filename(path)
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .foreign_keys(true)
                    .busy_timeout(BUSY_TIMEOUT)
                    .synchronous(match sync {
                        Synchronous::Full => SqliteSynchronous::Full,
                        Synchronous::Normal => SqliteSynchronous::Normal,
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
