//! Answers read from memory for a moment. The hottest reads (the caller's
//! key, the event-type catalog, a page of webhooks) are read again only
//! after a write of this process or a second, whichever comes first: this
//! process's changes show at once, another process's within the second.

use std::{
    collections::HashMap,
    hash::Hash,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// How long another process's change may go unseen.
const FRESH_FOR: Duration = Duration::from_secs(1);
/// Entries one cache keeps; past that it starts afresh.
const MAX_ENTRIES: usize = 4096;

struct Entry<V> {
    value: V,
    read_at: Instant,
    /// [`herald_store::local_writes`] when the value was read.
    writes: u64,
}

/// A read-through cache; clones share it.
pub(super) struct ReadCache<K, V>(Arc<Mutex<HashMap<K, Entry<V>>>>);

impl<K, V> Clone for ReadCache<K, V> {
    fn clone(&self) -> Self {
        Self(Arc::clone(&self.0))
    }
}

impl<K, V> Default for ReadCache<K, V> {
    fn default() -> Self {
        Self(Arc::new(Mutex::new(HashMap::new())))
    }
}

impl<K: Hash + Eq, V: Clone> ReadCache<K, V> {
    /// The value for `key`: from memory while fresh, else from `read`.
    pub async fn get_or_read<E, F>(&self, key: K, read: F) -> Result<V, E>
    where
        F: Future<Output = Result<V, E>>,
    {
        // Counted before reading: a write that lands during the read makes
        // the entry stale at once.
        let writes = herald_store::local_writes();
        if let Some(value) = self.fresh(&key, writes) {
            return Ok(value);
        }
        let value = read.await?;
        let mut entries = self.lock();
        if entries.len() >= MAX_ENTRIES {
            entries.clear();
        }
        let entry = Entry {
            value: value.clone(),
            read_at: Instant::now(),
            writes,
        };
        entries.insert(key, entry);
        Ok(value)
    }

    fn fresh(&self, key: &K, writes: u64) -> Option<V> {
        self.lock()
            .get(key)
            .filter(|entry| entry.writes == writes && entry.read_at.elapsed() < FRESH_FOR)
            .map(|entry| entry.value.clone())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<K, Entry<V>>> {
        self.0.lock().expect("the cache is never poisoned")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_fresh_entry_is_served_from_memory() {
        let cache: ReadCache<&str, u32> = ReadCache::default();
        let first: Result<u32, ()> = cache.get_or_read("k", async { Ok(1) }).await;
        let second: Result<u32, ()> = cache.get_or_read("k", async { Ok(2) }).await;
        assert_eq!((first, second), (Ok(1), Ok(1)));
    }

    #[tokio::test]
    async fn a_write_of_this_process_makes_it_stale() {
        let cache: ReadCache<&str, u32> = ReadCache::default();
        let _: Result<u32, ()> = cache.get_or_read("k", async { Ok(1) }).await;
        drop(herald_store::CountedWrite);
        let again: Result<u32, ()> = cache.get_or_read("k", async { Ok(2) }).await;
        assert_eq!(again, Ok(2));
    }

    #[tokio::test]
    async fn a_failed_read_is_not_kept() {
        let cache: ReadCache<&str, u32> = ReadCache::default();
        let failed: Result<u32, &str> = cache.get_or_read("k", async { Err("down") }).await;
        let read: Result<u32, &str> = cache.get_or_read("k", async { Ok(3) }).await;
        assert_eq!((failed, read), (Err("down"), Ok(3)));
    }
}
