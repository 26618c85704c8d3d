//! On SQLite one process delivers. It holds an exclusive lock on a file
//! beside the database while it runs: a second one is refused at start, and
//! holding the lock proves that every other delivering process on record is
//! gone, so their work is taken back at once rather than after the
//! staleness window. (Processes that only serve hold no lock and stay.)

use super::Engine;
use herald_store::{self, StoreError, queue_upkeep, workers};
use std::{
    fs::{File, OpenOptions, TryLockError},
    path::{Path, PathBuf},
};

/// The lock, held until dropped (or the process ends, however it ends).
#[derive(Debug)]
pub struct SoleWorker {
    _file: File,
}

/// Why this process may not deliver from the SQLite database.
#[derive(Debug, thiserror::Error)]
pub enum SoleWorkerError {
    #[error(
        "another herald process is delivering from {0} (on SQLite only one may; several need PostgreSQL)"
    )]
    Taken(PathBuf),
    #[error("cannot lock {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl SoleWorker {
    /// Takes the lock of the SQLite database at `database`, or says who has it.
    pub fn claim(database: &Path) -> Result<Self, SoleWorkerError> {
        let mut path = database.as_os_str().to_owned();
        path.push(".worker-lock");
        let path = PathBuf::from(path);
        let io = |source| SoleWorkerError::Io {
            path: path.clone(),
            source,
        };
        let file = OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(io)?;
        match file.try_lock() {
            Ok(()) => Ok(Self { _file: file }),
            Err(TryLockError::WouldBlock) => Err(SoleWorkerError::Taken(database.to_owned())),
            Err(TryLockError::Error(source)) => Err(io(source)),
        }
    }
}

impl Engine {
    /// With the [`SoleWorker`] lock held: forgets the other delivering
    /// processes on record (they are gone) and puts what they held back in
    /// the queue.
    /// Returns how many deliveries went back.
    pub async fn take_over_as_sole_worker(&self, _lock: &SoleWorker) -> Result<u64, StoreError> {
        let db = &self.inner.db;
        workers::beat(db, self.worker_id(), self.inner.clock.now_ms()).await?;
        workers::forget_other_deliverers(db, self.worker_id()).await?;
        let requeued = queue_upkeep::reclaim_abandoned(db, self.inner.clock.now_ms()).await?;
        if requeued > 0 {
            tracing::info!(requeued, "took back deliveries of a stopped process");
        }
        Ok(requeued)
    }
}
