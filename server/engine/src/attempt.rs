//! One attempt of one claimed delivery: open its secrets, wait for the rate
//! limit, send, decide what comes next, record it all.

use super::{Engine, schedule, send, writer::Record};
use crate::crypto::{self, CryptoError, SigningSecret};
use herald_model::validate::CustomHeader;
use herald_store::{
    StoreError,
    claims::ClaimedRow,
    finished_attempts::{CircuitEffect, FinishedAttempt, NextStep},
};
use std::{num::NonZeroU32, sync::Arc, time::Duration};

pub type RateLimiter = governor::DefaultDirectRateLimiter;

/// How often a finished attempt's record is tried before the lease is left
/// to run out.
const RECORD_TRIES: u32 = 5;
const UNREADABLE_SECRETS: &str =
    "The webhook's secrets cannot be opened with this server's master key";

/// Why an attempt could not be made or recorded.
#[derive(Debug, thiserror::Error)]
pub enum DeliveryError {
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The attempt's task ended without an answer (it panicked or the
    /// runtime is shutting down).
    #[error("the attempt did not finish: {0}")]
    Task(#[from] tokio::task::JoinError),
}

/// What an attempt did, for the test ping's answer.
#[derive(Debug, Clone)]
pub struct AttemptReport {
    pub delivery_id: String,
    pub observed: send::Observed,
}

impl Engine {
    /// Sends one claimed delivery and records the outcome, its next step
    /// and its effect on the webhook's circuit.
    #[tracing::instrument(skip_all, fields(delivery = %row.delivery_id, attempt = row.attempt_number))]
    pub async fn attempt(&self, row: ClaimedRow) -> Result<AttemptReport, DeliveryError> {
        let observed = self.observe(&row).await;
        self.conclude(&row, &observed).await?;
        Ok(AttemptReport {
            delivery_id: row.delivery_id,
            observed,
        })
    }

    /// Opens the row's secrets (only now, at send time), waits for the
    /// webhook's rate limit and sends; what came of it.
    pub(super) async fn observe(&self, row: &ClaimedRow) -> send::Observed {
        match self.sealed_parts(row) {
            Ok((secrets, headers)) => self.send(row, &secrets, &headers).await,
            Err(CryptoError) => send::Observed::unsendable(UNREADABLE_SECRETS),
        }
    }

    /// Records what an attempt observed, with its next step, and counts it.
    pub(super) async fn conclude(
        &self,
        row: &ClaimedRow,
        observed: &send::Observed,
    ) -> Result<(), StoreError> {
        let finished = self.finished(row, observed);
        let next = finished.next.clone();
        self.record(Record::Finished(Box::new(finished))).await?;
        let final_outcome = match next {
            NextStep::Succeeded => Some("succeeded"),
            NextStep::Failed | NextStep::Gone(_) => Some("failed"),
            NextStep::RetryAt(_) => None,
        };
        self.inner.metrics.attempt(
            observed.succeeded,
            observed.duration.as_secs_f64(),
            final_outcome,
        );
        tracing::debug!(succeeded = observed.succeeded, status = ?observed.http_status, "attempt finished");
        Ok(())
    }

    /// Runs [`Engine::attempt`] in a task of its own, so that the caller
    /// going away (a client that hangs up on a test ping) cannot cut the
    /// attempt short between the send and its record.
    pub async fn attempt_detached(&self, row: ClaimedRow) -> Result<AttemptReport, DeliveryError> {
        let engine = self.clone();
        tokio::spawn(async move { engine.attempt(row).await }).await?
    }

    /// The secrets and custom headers, opened only now, at send time.
    fn sealed_parts(
        &self,
        row: &ClaimedRow,
    ) -> Result<(Vec<[u8; 32]>, Vec<CustomHeader>), CryptoError> {
        Ok((self.live_secrets(row)?, self.custom_headers(row)?))
    }

    async fn send(
        &self,
        row: &ClaimedRow,
        secrets: &[[u8; 32]],
        headers: &[CustomHeader],
    ) -> send::Observed {
        self.wait_for_rate_limit(row).await;
        let outgoing = send::Outgoing {
            url: &row.url,
            event_id: &row.event_id,
            body: &row.body,
            secrets,
            custom_headers: headers,
            timeout: Duration::from_millis(u64::try_from(row.timeout_ms).unwrap_or(30_000)),
            public_only: self.inner.settings.public_only,
            proxied: self.inner.settings.proxy.is_some(),
        };
        send::send(&self.inner.client, &outgoing).await
    }

    /// Stores a record with the others that came meanwhile (one commit for
    /// them all); should that fail, alone, trying again for a while when
    /// the database is briefly unavailable. If it stays so, the lease runs
    /// out and the delivery returns to the queue with this attempt
    /// `interrupted`.
    pub(super) async fn record(&self, record: Record) -> Result<(), StoreError> {
        let record = match self.inner.writer.record(record).await {
            Ok(()) => return Ok(()),
            Err(Some(record)) => record,
            // The runtime is going away with the writer.
            Err(None) => return Err(StoreError::Database(sqlx::Error::PoolClosed)),
        };
        let beat = self.inner.writer.beat();
        let mut pause = Duration::from_millis(100);
        for _ in 1..RECORD_TRIES {
            match beat.record_alone(&record).await {
                Ok(()) => return Ok(()),
                Err(error) => {
                    tracing::warn!(%error, "recording an attempt failed; trying again");
                    tokio::time::sleep(pause).await;
                    pause *= 2;
                }
            }
        }
        beat.record_alone(&record).await
    }

    /// The current secret, and the previous one while it is still live.
    fn live_secrets(&self, row: &ClaimedRow) -> Result<Vec<[u8; 32]>, CryptoError> {
        let key = &self.inner.master_key;
        let current = key.open(
            &row.signing_secret,
            &crypto::webhook_secret_context(&row.webhook_id),
        )?;
        let mut secrets = vec![
            *SigningSecret::from_bytes(&current)
                .ok_or(CryptoError)?
                .bytes(),
        ];
        let live = row
            .previous_secret_expires_at
            .is_some_and(|expires| expires > self.inner.clock.now_ms());
        if let (true, Some(sealed)) = (live, &row.previous_signing_secret) {
            let previous = key.open(
                sealed,
                &crypto::webhook_previous_secret_context(&row.webhook_id),
            )?;
            secrets.push(
                *SigningSecret::from_bytes(&previous)
                    .ok_or(CryptoError)?
                    .bytes(),
            );
        }
        Ok(secrets)
    }

    /// The webhook's custom headers, decrypted only now, at send time.
    fn custom_headers(&self, row: &ClaimedRow) -> Result<Vec<CustomHeader>, CryptoError> {
        let json = self.inner.master_key.open(
            &row.headers,
            &crypto::webhook_headers_context(&row.webhook_id),
        )?;
        serde_json::from_slice(&json).map_err(|_| CryptoError)
    }

    async fn wait_for_rate_limit(&self, row: &ClaimedRow) {
        let Some(rate) = row.rate_limit_per_second.filter(|rate| *rate > 0) else {
            return;
        };
        let limiter = {
            let mut limiters = self
                .inner
                .limiters
                .lock()
                .expect("the limiter map is never poisoned");
            let entry = limiters
                .entry(row.webhook_id.clone())
                .or_insert_with(|| (rate, limiter(rate)));
            if entry.0 != rate {
                *entry = (rate, limiter(rate));
            }
            Arc::clone(&entry.1)
        };
        limiter.until_ready().await;
    }

    fn finished(&self, row: &ClaimedRow, observed: &send::Observed) -> FinishedAttempt {
        let now = self.inner.clock.now_ms();
        let (next, circuit) = self.next_step(row, observed, now);
        FinishedAttempt {
            delivery_id: row.delivery_id.clone(),
            attempt_id: row.attempt_id.clone(),
            attempt_number: row.attempt_number,
            webhook_id: row.webhook_id.clone(),
            worker_id: self.inner.worker_id.clone(),
            finished_at: now,
            succeeded: observed.succeeded,
            duration_ms: i64::try_from(observed.duration.as_millis()).unwrap_or(i64::MAX),
            url: row.url.clone(),
            http_status: observed.http_status.map(i64::from),
            error_kind: observed.error_kind.map(str::to_owned),
            error_message: observed.error_message.as_deref().map(storable),
            request_headers: serde_json::to_string(&observed.request_headers).unwrap_or_default(),
            response_headers: serde_json::to_string(&observed.response_headers).unwrap_or_default(),
            response_body: observed.response_body.as_deref().map(storable),
            next,
            circuit,
        }
    }

    /// Success ends it; a 410 ends it and deactivates the webhook; a test
    /// ping is never retried and never moves the circuit; anything else is
    /// retried while retries remain, and counts toward the circuit.
    fn next_step(
        &self,
        row: &ClaimedRow,
        observed: &send::Observed,
        now: i64,
    ) -> (NextStep, CircuitEffect) {
        let circuit = |effect| {
            if row.is_test {
                CircuitEffect::None
            } else {
                effect
            }
        };
        if observed.succeeded {
            return (NextStep::Succeeded, circuit(CircuitEffect::Success));
        }
        if observed.error_kind == Some(send::UNSENDABLE) {
            // Retrying cannot help, and the receiver is not at fault.
            return (NextStep::Failed, CircuitEffect::None);
        }
        if observed.http_status == Some(410) && !row.is_test {
            let reason = format!(
                "The receiver answered 410 Gone on {}",
                crate::clock::iso8601(now)
            );
            return (NextStep::Gone(reason), CircuitEffect::None);
        }
        let failure = circuit(CircuitEffect::Failure {
            threshold: i64::from(self.inner.settings.circuit_threshold),
        });
        if row.is_test || row.attempt_number > row.max_retries {
            return (NextStep::Failed, failure);
        }
        let retry = u32::try_from(row.attempt_number).unwrap_or(u32::MAX);
        let backoff = u32::try_from(row.retry_backoff_seconds).unwrap_or(30);
        let wait = schedule::retry_delay(
            backoff,
            retry,
            schedule::random_jitter(),
            observed.retry_after,
        );
        let wait_ms = i64::try_from(wait.as_millis()).unwrap_or(i64::MAX);
        (NextStep::RetryAt(now + wait_ms), failure)
    }
}

fn limiter(rate: i64) -> Arc<RateLimiter> {
    let rate = NonZeroU32::new(u32::try_from(rate).unwrap_or(u32::MAX)).unwrap_or(NonZeroU32::MIN);
    // A burst of one: never more than `rate` requests in any second.
    let quota = governor::Quota::per_second(rate).allow_burst(NonZeroU32::MIN);
    Arc::new(governor::RateLimiter::direct(quota))
}

/// Text as a database column takes it: PostgreSQL refuses NUL characters,
/// which a receiver's body may well contain.
fn storable(text: &str) -> String {
    text.replace('\0', "\u{FFFD}")
}
