//! All SQL lives here, one module per table group. SQLite and PostgreSQL run
//! the same statements (`$n` placeholders work on both) through typed pools;
//! where their SQL must differ, a module matches on [`Db`] itself, and the
//! multi-row statements are built with sqlx's `QueryBuilder`, which writes each
//! parameter as its database takes it ([`push_list`]).

mod account_pages;
pub mod accounts;
pub mod api_keys;
pub mod claims;
pub mod companies;
mod connect;
pub mod deliveries;
pub mod event_types;
pub mod events;
pub mod finished_attempts;
pub mod master_key_check;
pub mod portal;
pub mod publish_batch;
pub mod queue_upkeep;
pub mod revisions;
pub mod sessions;
pub mod webhooks;
pub mod workers;

pub use connect::{Database, Db, SqlitePools, Synchronous};
use sqlx::{PgPool, SqlitePool};
use std::sync::atomic::{AtomicU64, Ordering};

/// Runs `$body` with `$pool` bound to the typed pool of either backend, so
/// one SQL string serves both without `AnyPool`'s type limits. Reads only:
/// a statement that writes goes through [`on_writer!`].
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite(pools) => {
                let $pool = &pools.reads;
                $body
            }
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// [`on_pool!`] for work that writes: on SQLite, the writer connection.
/// Every write counts in [`local_writes`], however it ends.
macro_rules! on_writer {
    ($db:expr, $pool:ident => $body:expr) => {{
        let _counted = $crate::CountedWrite;
        match $db {
            $crate::Db::Sqlite(pools) => {
                let $pool = &pools.writes;
                $body
            }
            $crate::Db::Postgres($pool) => $body,
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
pub struct CountedWrite;

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

/// An open write transaction on either backend, for work that several
/// modules put into one commit (the engine's beat: publishes and attempt
/// records together). Counts in [`local_writes`] when it ends.
pub struct WriteTx {
    tx: TypedTx,
    _counted: CountedWrite,
}

enum TypedTx {
    Sqlite(sqlx::Transaction<'static, sqlx::Sqlite>),
    Postgres(sqlx::Transaction<'static, sqlx::Postgres>),
}

/// Runs `$body` with `$conn` bound to the open transaction's typed
/// connection, so one SQL string serves both backends (as [`on_pool!`]).
macro_rules! in_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match &mut $tx.tx {
            $crate::TypedTx::Sqlite(open) => {
                let $conn: &mut sqlx::SqliteConnection = &mut *open;
                $body
            }
            $crate::TypedTx::Postgres(open) => {
                let $conn: &mut sqlx::PgConnection = &mut *open;
                $body
            }
        }
    };
}
pub(crate) use in_tx;

impl WriteTx {
    /// Opens a write transaction ([`BeginWrite`]: on SQLite, the writer's
    /// connection with the write lock taken).
    pub async fn begin(db: &Db) -> StoreResult<Self> {
        let tx = match db {
            Db::Sqlite(pools) => TypedTx::Sqlite(pools.writes.begin_write().await?),
            Db::Postgres(pool) => TypedTx::Postgres(pool.begin_write().await?),
        };
        Ok(Self {
            tx,
            _counted: CountedWrite,
        })
    }

    fn is_postgres(&self) -> bool {
        matches!(self.tx, TypedTx::Postgres(_))
    }

    /// Commits: one fsync on SQLite for everything written in it.
    pub async fn commit(self) -> StoreResult<()> {
        match self.tx {
            TypedTx::Sqlite(tx) => tx.commit().await?,
            TypedTx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }
}

/// `a, b, c`: one bound parameter each, as an `IN (...)` list takes them.
/// sqlx's `QueryBuilder` writes each parameter as its database takes it
/// best: `$n` on PostgreSQL, a nameless `?` on SQLite (sqlx looks up the
/// name of every parameter it binds, and SQLite finds a name by walking
/// the list of them all: numbered parameters cost a batch of n rows n²/2
/// steps, which led the writer's profile for batches of hundreds of rows).
pub(crate) fn push_list<'t, DB, T>(
    builder: &mut sqlx::QueryBuilder<DB>,
    values: impl IntoIterator<Item = T>,
) where
    DB: sqlx::Database,
    T: sqlx::Encode<'t, DB> + sqlx::Type<DB>,
{
    let mut list = builder.separated(", ");
    for value in values {
        list.push_bind(value);
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
