//! The delivery log, manual retries and the test ping (SPEC §3, §4).

use super::{
    Principal, Service, ServiceError, ServiceResult, iso8601,
    paging::{self, Paging},
};
use herald_engine::AttemptReport;
use herald_model::{
    AttemptOut, DeliveryDetail, DeliveryOut, DeliveryStatus, EventType, Page, Scope, TestResult,
    validate::FieldError,
};
use herald_store::{
    self,
    deliveries::{self, AttemptRow, DeliveryRow},
    events::NewEvent,
    webhooks::WebhookRow,
};
use serde_json::json;

const NOT_FOUND: &str = "Delivery not found";
/// The `ping` type every webhook must subscribe to for `/test`.
const PING_TYPE_ID: i64 = 2;
/// The seeds' refusal of a test to a webhook not subscribed to pings.
pub const NOT_SUBSCRIBED_TO_PING: &str = "Webhook is not subscribed to ping events. Add event type 2 (ping) to the webhook configuration.";

/// `?status=&limit=&offset=` of a delivery log.
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// Only deliveries in this state.
    #[param(value_type = Option<DeliveryStatus>)]
    pub status: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64, default = 0)]
    pub offset: Option<String>,
}

impl DeliveryQuery {
    /// The newest deliveries, as many as one page holds.
    pub fn largest_page() -> Self {
        Self {
            limit: Some(paging::MAX_LIMIT.to_string()),
            ..Self::default()
        }
    }
}

impl Service {
    /// A webhook's deliveries, newest first (scope read:deliveries or read:webhooks).
    #[tracing::instrument(skip(self, caller))]
    pub async fn list_deliveries(
        &self,
        caller: &Principal,
        webhook_id: &str,
        query: DeliveryQuery,
    ) -> ServiceResult<Page<DeliveryOut>> {
        require_read(caller)?;
        self.visible_webhook(caller, webhook_id).await?;
        let paging = Paging::parse(&super::ListQuery {
            limit: query.limit,
            offset: query.offset,
            ..Default::default()
        })?;
        let status = match query.status.as_deref() {
            None => None,
            Some(text) => Some(DeliveryStatus::parse(text).ok_or_else(|| {
                let allowed: Vec<&str> = DeliveryStatus::ALL.iter().map(|s| s.as_str()).collect();
                FieldError::new(
                    "status",
                    format!("status must be one of {}", allowed.join(", ")),
                )
            })?),
        };
        let (rows, total) = deliveries::list_for_webhook(
            &self.db,
            webhook_id,
            status.map(DeliveryStatus::as_str),
            paging.limit,
            paging.offset,
        )
        .await?;
        let catalog = self.event_types().await?;
        let data = rows.iter().map(|row| delivery_out(row, &catalog)).collect();
        Ok(Page {
            data,
            total: total.try_into().unwrap_or(0),
        })
    }

    /// One delivery with its payload and every attempt.
    #[tracing::instrument(skip(self, caller))]
    pub async fn get_delivery(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<DeliveryDetail> {
        require_read(caller)?;
        let (row, body) = self.visible_delivery(caller, id).await?;
        let attempts = deliveries::attempts(&self.db, id).await?;
        let catalog = self.event_types().await?;
        Ok(DeliveryDetail {
            delivery: delivery_out(&row, &catalog),
            payload: serde_json::from_str(&body).unwrap_or(serde_json::Value::Null),
            attempts: attempts.into_iter().map(attempt_out).collect(),
        })
    }

    /// Sends a `failed` or `succeeded` delivery again, as a new attempt to
    /// the webhook's current URL.
    #[tracing::instrument(skip(self, caller))]
    pub async fn retry_delivery(&self, caller: &Principal, id: &str) -> ServiceResult<DeliveryOut> {
        caller.require(Scope::WriteWebhooks)?;
        self.visible_delivery(caller, id).await?;
        if !deliveries::retry(&self.db, id, self.clock.now_ms()).await? {
            return Err(ServiceError::Conflict(
                "Only a failed or succeeded delivery can be retried".to_owned(),
            ));
        }
        // Read before the workers are woken: the answer is the delivery as
        // the retry left it (pending), not as a worker took it up.
        let (row, _) = self.visible_delivery(caller, id).await?;
        self.engine.wake_everywhere();
        Ok(delivery_out(&row, &self.event_types().await?))
    }

    /// Sends a signed `ping` now, even while the circuit is open, and waits
    /// for the answer. It is logged but never retried and never counts
    /// toward the circuit.
    #[tracing::instrument(skip(self, caller))]
    pub async fn test_webhook(&self, caller: &Principal, id: &str) -> ServiceResult<TestResult> {
        caller.require(Scope::WriteWebhooks)?;
        let webhook = self.visible_webhook(caller, id).await?;
        if !self.subscribed_to_ping(&webhook).await? {
            return Err(ServiceError::NotSubscribedToPing);
        }
        let now = self.clock.now_ms();
        let event_id = herald_store::new_row_id();
        let body = json!({
            "id": event_id,
            "type": "ping",
            "timestamp": iso8601(now),
            "companyId": webhook.company_id,
            "data": {"message": "Test event from Herald", "webhookId": webhook.id},
        })
        .to_string();
        let event = NewEvent {
            id: &event_id,
            account_id: &webhook.account_id,
            company_id: webhook.company_id.as_deref(),
            event_type_id: PING_TYPE_ID,
            body: &body,
            created_at: now,
        };
        let delivery_id = herald_store::new_row_id();
        let attempt_id = herald_store::new_row_id();
        let claimed = deliveries::insert_test(
            &self.db,
            &event,
            &webhook.id,
            &delivery_id,
            &attempt_id,
            self.engine.worker_id(),
            herald_engine::LEASE,
        )
        .await?;
        let report = self.engine.attempt_detached(claimed).await?;
        Ok(test_result(report))
    }

    async fn subscribed_to_ping(&self, webhook: &WebhookRow) -> ServiceResult<bool> {
        if webhook.all_events {
            return Ok(true);
        }
        let subscriptions =
            herald_store::webhooks::subscriptions(&self.db, &[webhook.id.as_str()]).await?;
        Ok(subscriptions
            .iter()
            .any(|(_, type_id)| *type_id == PING_TYPE_ID))
    }

    /// The delivery `id` if it exists (404) and its webhook is the caller's (403).
    async fn visible_delivery(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<(DeliveryRow, String)> {
        let not_found = || ServiceError::NotFound(NOT_FOUND.to_owned());
        uuid::Uuid::parse_str(id).map_err(|_| not_found())?;
        let (row, body) = deliveries::find(&self.db, id)
            .await?
            .ok_or_else(not_found)?;
        self.visible_webhook(caller, &row.webhook_id).await?;
        Ok((row, body))
    }
}

fn require_read(caller: &Principal) -> ServiceResult<()> {
    caller
        .require(Scope::ReadDeliveries)
        .or_else(|_| caller.require(Scope::ReadWebhooks))
        .map_err(|_| ServiceError::MissingScope(Scope::ReadDeliveries))
}

fn test_result(report: AttemptReport) -> TestResult {
    let observed = report.observed;
    let message = if observed.succeeded {
        "Webhook test successful!".to_owned()
    } else {
        let reason = observed
            .error_message
            .unwrap_or_else(|| "Unknown error".to_owned());
        format!("Webhook test failed: {reason}")
    };
    TestResult {
        success: observed.succeeded,
        delivery_id: Some(report.delivery_id),
        http_status: observed.http_status,
        duration_ms: Some(u64::try_from(observed.duration.as_millis()).unwrap_or(u64::MAX)),
        message,
    }
}

fn delivery_out(row: &DeliveryRow, catalog: &[EventType]) -> DeliveryOut {
    let status = DeliveryStatus::parse(&row.status).unwrap_or(DeliveryStatus::Pending);
    let event_type = catalog
        .iter()
        .find(|t| t.id == row.event_type_id)
        .map_or_else(|| row.event_type_id.to_string(), |t| t.label.clone());
    DeliveryOut {
        id: row.id.clone(),
        event_id: row.event_id.clone(),
        webhook_id: row.webhook_id.clone(),
        event_type,
        status,
        is_test: row.is_test,
        attempt_count: u32::try_from(row.attempt_count).unwrap_or(u32::MAX),
        next_attempt_at: (status == DeliveryStatus::Pending).then(|| iso8601(row.next_attempt_at)),
        last_http_status: row.last_http_status.and_then(|s| u16::try_from(s).ok()),
        last_error: row.last_error.clone(),
        created_at: iso8601(row.created_at),
        updated_at: iso8601(row.updated_at),
    }
}

fn attempt_out(row: AttemptRow) -> AttemptOut {
    let headers = |json: Option<String>| {
        json.and_then(|json| serde_json::from_str(&json).ok())
            .unwrap_or_default()
    };
    AttemptOut {
        number: u32::try_from(row.number).unwrap_or(u32::MAX),
        outcome: row.outcome,
        started_at: iso8601(row.started_at),
        duration_ms: row.duration_ms.and_then(|ms| u64::try_from(ms).ok()),
        url: row.url,
        http_status: row.http_status.and_then(|s| u16::try_from(s).ok()),
        error_kind: row.error_kind,
        error_message: row.error_message,
        request_headers: headers(row.request_headers),
        response_headers: headers(row.response_headers),
        response_body: row.response_body,
    }
}
