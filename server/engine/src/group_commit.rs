//! The group commit both write queues use (publishes and attempt records):
//! whatever arrived while the last commit ran goes into the next one, so a
//! busy process pays one commit (one fsync on SQLite) for a batch, not one
//! per item. A batch that cannot commit is written item by item, so one bad
//! item costs the others nothing.

use herald_store::{Db, StoreError};
use std::sync::{Arc, OnceLock};
use tokio::sync::{mpsc, oneshot};

/// What one queue writes, and how.
pub(crate) trait Batch: Send + Sync + 'static {
    type Item: Send + Sync + 'static;
    type Answer: Send + 'static;
    /// The most items one commit takes.
    const MAX: usize;
    /// Writes `items` in one transaction: one answer each, in order.
    fn commit(
        &self,
        items: &[&Self::Item],
    ) -> impl Future<Output = Result<Vec<Self::Answer>, StoreError>> + Send;
    /// Writes `item` alone, after its batch could not commit.
    fn commit_alone(&self, item: Self::Item) -> impl Future<Output = Self::Answer> + Send;
}

/// An item waiting for its commit, and who waits for the answer.
struct Queued<B: Batch> {
    item: B::Item,
    answer: oneshot::Sender<B::Answer>,
}

/// The queue of a [`Batch`]: its loop starts on first use, inside the
/// runtime, and ends when the last clone of the queue is gone.
pub(crate) struct Queue<B: Batch> {
    batch: Arc<B>,
    db: Db,
    sender: OnceLock<mpsc::UnboundedSender<Queued<B>>>,
}

impl<B: Batch> Queue<B> {
    pub(crate) fn new(db: Db, batch: B) -> Self {
        Self {
            batch: Arc::new(batch),
            db,
            sender: OnceLock::new(),
        }
    }

    /// Writes `item` with whatever else is waiting; answers once its
    /// transaction has committed. `Err` gives the item back when the loop
    /// is gone (the runtime is ending).
    pub(crate) async fn write(&self, item: B::Item) -> Result<B::Answer, Option<B::Item>> {
        let sender = self.sender.get_or_init(|| {
            let (sender, receiver) = mpsc::unbounded_channel();
            spawn_write_loop(
                &self.db,
                commit_in_batches(Arc::clone(&self.batch), receiver),
            );
            sender
        });
        let (answer, answered) = oneshot::channel();
        if let Err(mpsc::error::SendError(queued)) = sender.send(Queued { item, answer }) {
            return Err(Some(queued.item));
        }
        answered.await.map_err(|_| None)
    }

    /// What the queue writes with.
    pub(crate) fn batch(&self) -> &B {
        &self.batch
    }
}

async fn commit_in_batches<B: Batch>(batch: Arc<B>, mut queue: mpsc::UnboundedReceiver<Queued<B>>) {
    let mut queued = Vec::with_capacity(B::MAX);
    while queue.recv_many(&mut queued, B::MAX).await > 0 {
        let items: Vec<&B::Item> = queued.iter().map(|waiting| &waiting.item).collect();
        let committed = batch.commit(&items).await;
        drop(items);
        match committed {
            Ok(answers) => {
                for (waiting, answer) in queued.drain(..).zip(answers) {
                    let _ = waiting.answer.send(answer);
                }
            }
            Err(error) => {
                tracing::warn!(%error, size = queued.len(), "a batch could not commit; one by one");
                for waiting in queued.drain(..) {
                    let answer = batch.commit_alone(waiting.item).await;
                    let _ = waiting.answer.send(answer);
                }
            }
        }
    }
}

/// Starts `task`, a loop that drives the writer. On SQLite it runs on a
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
/// first use, never ended (its loops end with their queues).
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
