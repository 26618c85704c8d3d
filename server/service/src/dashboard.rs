//! The console dashboard: an hour of delivery volume and each webhook's health.

use super::{Principal, Service, ServiceResult, iso8601};
use herald_model::{Dashboard, MinuteVolume, Scope, WebhookHealth};
use herald_store::{self, deliveries, webhooks};
use std::collections::HashMap;

const MINUTE_MS: i64 = 60_000;
const MINUTES_SHOWN: i64 = 60;
/// The health table's length at most (newest webhooks first).
const WEBHOOKS_SHOWN: i64 = 200;

impl Service {
    /// Deliveries per minute over the last hour (by where each stands now),
    /// the hour's success rate, and every visible webhook's health.
    #[tracing::instrument(skip(self, caller))]
    pub async fn dashboard(&self, caller: &Principal) -> ServiceResult<Dashboard> {
        caller
            .require(Scope::ReadDeliveries)
            .or_else(|_| caller.require(Scope::ReadWebhooks))?;
        let now_minute = self.clock.now_ms().div_euclid(MINUTE_MS);
        let first_minute = now_minute - (MINUTES_SHOWN - 1);
        let rows = deliveries::volume_since(
            &self.db,
            &caller.account_id,
            caller.company_id.as_deref(),
            first_minute * MINUTE_MS,
        )
        .await?;
        let mut minutes: Vec<MinuteVolume> = (first_minute..=now_minute)
            .map(|minute| MinuteVolume {
                minute: iso8601(minute * MINUTE_MS),
                ..Default::default()
            })
            .collect();
        let mut per_webhook: HashMap<&str, MinuteVolume> = HashMap::new();
        for row in &rows {
            let count = u64::try_from(row.count).unwrap_or(0);
            let index = usize::try_from(row.minute - first_minute).ok();
            let targets = [
                index.and_then(|index| minutes.get_mut(index)),
                Some(per_webhook.entry(row.webhook_id.as_str()).or_default()),
            ];
            for target in targets.into_iter().flatten() {
                match row.status.as_str() {
                    "succeeded" => target.succeeded += count,
                    "failed" => target.failed += count,
                    _ => target.other += count,
                }
            }
        }
        let succeeded: u64 = minutes.iter().map(|m| m.succeeded).sum();
        let finished = succeeded + minutes.iter().map(|m| m.failed).sum::<u64>();
        let success_rate = (finished > 0).then(|| succeeded as f64 / finished as f64);
        let filter = webhooks::ListFilter {
            account_id: &caller.account_id,
            company_id: caller.company_id.as_deref(),
            limit: WEBHOOKS_SHOWN,
            offset: 0,
        };
        let (rows, _) = webhooks::list(&self.db, &filter).await?;
        let webhooks = rows
            .into_iter()
            .map(|webhook| {
                let volume = per_webhook.remove(webhook.id.as_str()).unwrap_or_default();
                WebhookHealth {
                    name: webhook.name.unwrap_or(webhook.url),
                    id: webhook.id,
                    is_active: webhook.is_active,
                    circuit_open: webhook.circuit_opened_at.is_some(),
                    consecutive_failures: u32::try_from(webhook.consecutive_failures)
                        .unwrap_or(u32::MAX),
                    succeeded: volume.succeeded,
                    failed: volume.failed,
                    other: volume.other,
                }
            })
            .collect();
        Ok(Dashboard {
            minutes,
            success_rate,
            webhooks,
        })
    }
}
