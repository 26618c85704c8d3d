//! Prometheus metrics (SPEC §6): attempts and deliveries by outcome and the
//! attempt latency histogram, counted as they happen; queue depth and open
//! circuits read from the database when scraped. Each engine keeps its own
//! recorder (no process-global state), so every Herald in one process, as
//! in the tests, counts only its own work.

use herald_store::{self, StoreResult, deliveries::QueueStats};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusRecorder};

const ATTEMPT_SECONDS: &str = "herald_attempt_duration_seconds";
const BUCKETS: [f64; 12] = [
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];

/// This engine's metrics.
pub struct Metrics {
    recorder: PrometheusRecorder,
}

impl Default for Metrics {
    fn default() -> Self {
        let recorder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(ATTEMPT_SECONDS.to_owned()), &BUCKETS)
            .expect("the buckets are not empty")
            .build_recorder();
        Self { recorder }
    }
}

impl Metrics {
    /// One finished attempt; `final_outcome` when it ended its delivery.
    pub fn attempt(&self, succeeded: bool, seconds: f64, final_outcome: Option<&'static str>) {
        metrics::with_local_recorder(&self.recorder, || {
            let outcome = if succeeded { "succeeded" } else { "failed" };
            metrics::counter!("herald_attempts_total", "outcome" => outcome).increment(1);
            metrics::histogram!(ATTEMPT_SECONDS).record(seconds);
            if let Some(outcome) = final_outcome {
                metrics::counter!("herald_deliveries_total", "outcome" => outcome).increment(1);
            }
        });
    }

    /// The Prometheus text: counters since start, and the queue as it is now.
    pub async fn render(&self, db: &herald_store::Db) -> StoreResult<String> {
        let QueueStats {
            by_status,
            open_circuits,
        } = herald_store::deliveries::queue_stats(db).await?;
        metrics::with_local_recorder(&self.recorder, || {
            for status in ["pending", "delivering", "held"] {
                let count = by_status.get(status).copied().unwrap_or(0);
                metrics::gauge!("herald_queue_depth", "status" => status).set(count as f64);
            }
            metrics::gauge!("herald_open_circuits").set(open_circuits as f64);
        });
        Ok(self.recorder.handle().render())
    }
}
