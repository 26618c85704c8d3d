//! Publishing: an event goes into the writer's next beat, with the other
//! publishes and the attempt records that arrived meanwhile, so
//! `synchronous=FULL` (a 202 means on disk) costs one fsync per beat, not
//! per event. The deliveries a beat claimed for this process go out once
//! it has committed.

use super::Engine;
use herald_store::{
    StoreResult,
    events::{PublishRequest, Published},
};

/// Publishes through the engine's writer. Clones share it.
#[derive(Clone)]
pub struct Publisher {
    engine: Engine,
}

impl Publisher {
    /// A publisher whose beats `engine` takes the deliveries of that it has
    /// room for at once.
    pub fn new(engine: Engine) -> Self {
        Self { engine }
    }

    /// Publishes `request` in the writer's next beat; answers once its
    /// transaction has committed.
    pub async fn publish(&self, request: PublishRequest) -> StoreResult<Published> {
        self.engine.inner.writer.publish(request).await
    }
}
