//! The writer: one loop owns the process's hot writes. Each beat commits,
//! in ONE transaction, every publish and every attempt record (finished,
//! or given back unsent) that arrived while the last beat ran: one commit
//! (one fsync on SQLite) per beat, whatever the mix, so publishes and
//! records never queue behind each other's commits. A beat that cannot
//! commit is written item by item, so one bad item costs the others nothing.

mod beat;

pub(super) use beat::{Beat, Record};
use herald_store::{
    Db, StoreError, StoreResult,
    events::{PublishRequest, Published},
};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// The most writes one beat takes.
const BEAT_MAX: usize = 1024;

/// A write waiting for its beat, and who waits for its answer.
pub(super) enum Write {
    Publish(Box<PublishRequest>, oneshot::Sender<StoreResult<Published>>),
    /// The record itself comes back when it could not be written.
    Record(Record, oneshot::Sender<Result<(), Record>>),
}

/// The queue in front of the beat. Its loop starts on first use and ends
/// when the writer is gone.
pub(super) struct Writer {
    beat: Arc<Beat>,
    sender: OnceLock<mpsc::UnboundedSender<Write>>,
}

impl Writer {
    pub(super) fn new(beat: Beat) -> Self {
        Self {
            beat: Arc::new(beat),
            sender: OnceLock::new(),
        }
    }

    /// Publishes `request` in the next beat; answers once it has committed.
    pub(super) async fn publish(&self, request: PublishRequest) -> StoreResult<Published> {
        let (answer, answered) = oneshot::channel();
        match self.send(Write::Publish(Box::new(request), answer)) {
            Ok(()) => answered.await.unwrap_or_else(|_| Err(gone())),
            // The loop died: this publish still commits, alone.
            Err(Write::Publish(request, _)) => self.beat.publish_alone(*request).await,
            Err(Write::Record(..)) => Err(gone()),
        }
    }

    /// Records in the next beat. The record comes back if it could not be
    /// written; none if the loop went away with it (the runtime is ending).
    pub(super) async fn record(&self, record: Record) -> Result<(), Option<Record>> {
        let (answer, answered) = oneshot::channel();
        match self.send(Write::Record(record, answer)) {
            Ok(()) => answered.await.map_err(|_| None)?.map_err(Some),
            Err(Write::Record(record, _)) => Err(Some(record)),
            Err(Write::Publish(..)) => Err(None),
        }
    }

    /// What a beat writes with, for writes made alone.
    pub(super) fn beat(&self) -> &Beat {
        &self.beat
    }

    fn send(&self, write: Write) -> Result<(), Write> {
        let sender = self.sender.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            spawn_write_loop(self.beat.db(), run(Arc::clone(&self.beat), receiver));
            sender
        });
        sender
            .send(write)
            .map_err(|mpsc::error::SendError(write)| write)
    }
}

fn gone() -> StoreError {
    StoreError::Database(sqlx::Error::PoolClosed)
}

/// Beats until the writer is gone: whatever waits goes into the next one,
/// except that a beat with publishes in it takes at most
/// [`RECORDS_BESIDE_PUBLISHES`] records; the others wait, oldest first,
/// for the next beat. A publish's answer waits for its whole beat, and
/// records are what a busy beat is made of.
async fn run(beat: Arc<Beat>, mut queue: mpsc::UnboundedReceiver<Write>) {
    let mut waiting = Vec::with_capacity(BEAT_MAX);
    loop {
        if waiting.is_empty() {
            if queue.recv_many(&mut waiting, BEAT_MAX).await == 0 {
                return;
            }
        } else {
            while waiting.len() < BEAT_MAX
                && let Ok(write) = queue.try_recv()
            {
                waiting.push(write);
            }
        }
        let writes = next_beat(&mut waiting);
        beat.commit_or_alone(writes).await;
    }
}

/// Records one beat takes beside publishes.
const RECORDS_BESIDE_PUBLISHES: usize = 64;

/// What the next beat writes, taken out of `waiting`: every publish, and
/// records up to [`RECORDS_BESIDE_PUBLISHES`] when there are publishes
/// (all of them otherwise).
fn next_beat(waiting: &mut Vec<Write>) -> Vec<Write> {
    let publishes = waiting
        .iter()
        .filter(|write| matches!(write, Write::Publish(..)))
        .count();
    if publishes == 0 || waiting.len() - publishes <= RECORDS_BESIDE_PUBLISHES {
        return std::mem::take(waiting);
    }
    let mut records = 0;
    let (beat, later): (Vec<Write>, Vec<Write>) =
        std::mem::take(waiting).into_iter().partition(|write| {
            matches!(write, Write::Publish(..)) || {
                records += 1;
                records <= RECORDS_BESIDE_PUBLISHES
            }
        });
    *waiting = later;
    beat
}

impl Beat {
    /// Commits `writes` as one beat, or item by item when it cannot.
    async fn commit_or_alone(&self, writes: Vec<Write>) {
        let size = writes.len();
        if let Err((error, writes)) = self.commit(writes).await {
            tracing::warn!(%error, size, "a beat could not commit; one by one");
            for write in writes {
                self.commit_alone(write).await;
            }
        }
    }
}

/// Starts `task`, the loop that drives the writer. On SQLite it runs on a
/// thread of its own: every statement is a hand-off to the connection's
/// thread and back, and on the main runtime the way back waited behind
/// every request and delivery task (measured: the writer's statements took
/// a third longer, deliveries/s 15-25 % fewer). PostgreSQL's connections
/// are sockets of the main runtime: there the loop stays on it.
fn spawn_write_loop<F>(db: &Db, task: F)
where
    F: Future<Output = ()> + Send + 'static,
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
/// first use, never ended (its loops end with their writers).
fn writer_runtime() -> &'static tokio::runtime::Handle {
    static WRITER: OnceLock<tokio::runtime::Handle> = OnceLock::new();
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
