//! Publishing events (SPEC §4): the event and one delivery per matching
//! webhook are committed in one transaction before the 202.

use super::{Principal, Service, ServiceError, ServiceResult, iso8601};
use herald_engine::crypto;
use herald_model::{EventAccepted, EventIn, EventRef, EventType, Scope, validate::FieldError};
use herald_store::{
    self, StoreError,
    events::{self, IdempotencyKey, NewEvent, Published},
};
use serde_json::{Value, json};

/// How long an idempotency key answers the same.
const IDEMPOTENCY_WINDOW_MS: i64 = 24 * 60 * 60 * 1000;
const MAX_IDEMPOTENCY_KEY_CHARS: usize = 255;

impl Service {
    /// Stores the event and a pending delivery for each matching webhook
    /// (active, subscribed, same account, global or of the event's company)
    /// in one transaction, then wakes the worker. A repeated idempotency key
    /// answers as the first time; reused with another request it is 409.
    #[tracing::instrument(skip_all)]
    pub async fn publish_event(
        &self,
        caller: &Principal,
        input: EventIn,
    ) -> ServiceResult<EventAccepted> {
        caller.require(Scope::WriteEvents)?;
        let account = self
            .target_account(caller, input.account_id.as_deref())
            .await?;
        let company_id = Self::restrict_company(caller, input.company_id)?;
        if let Some(id) = &company_id {
            self.company_of(&account, id).await?;
        }
        let event_type = self.published_type(&input.event_type).await?;
        let key = input
            .idempotency_key
            .as_deref()
            .map(validate_idempotency_key)
            .transpose()?;
        let now = self.clock.now_ms();
        let id = herald_store::new_row_id();
        let body = json!({
            "id": id,
            "type": event_type.label,
            "timestamp": iso8601(now),
            "companyId": company_id,
            "data": input.data,
        });
        let request_hash = request_hash(event_type.id, company_id.as_deref(), &body["data"]);
        let body = body.to_string();
        let event = NewEvent {
            id: &id,
            account_id: &account.id,
            company_id: company_id.as_deref(),
            event_type_id: event_type.id,
            body: &body,
            created_at: now,
        };
        let idempotency = key.map(|key| IdempotencyKey {
            key,
            request_hash: &request_hash,
            fresh_after: now - IDEMPOTENCY_WINDOW_MS,
        });
        let request = || events::PublishRequest::new(&event, idempotency.as_ref());
        let published = match self.publisher.publish(request()).await {
            // Another request with the same key committed first: answer as it did.
            Err(StoreError::UniqueViolation) => self.publisher.publish(request()).await?,
            other => other?,
        };
        match published {
            // The deliveries this process had room for are on their way;
            // the others wait for a lane to empty (or another process).
            Published::New { deliveries } => Ok(EventAccepted { id, deliveries }),
            Published::Repeated {
                event_id,
                deliveries,
            } => Ok(EventAccepted {
                id: event_id,
                deliveries,
            }),
            Published::KeyReused => Err(ServiceError::Conflict(
                "idempotencyKey was already used with a different request".to_owned(),
            )),
        }
    }

    /// The catalog type an event names (a retired type may still be published:
    /// its existing subscribers still want it).
    async fn published_type(&self, named: &EventRef) -> ServiceResult<EventType> {
        let catalog = self.event_types().await?;
        let found = catalog.iter().find(|known| match named {
            EventRef::Id(id) => known.id == *id,
            EventRef::Label(label) => known.label == *label,
        });
        found.cloned().ok_or_else(|| {
            let provided = match named {
                EventRef::Id(id) => json!([id]),
                EventRef::Label(label) => json!([label]),
            };
            let allowed: Vec<i64> = catalog
                .iter()
                .filter(|t| !t.retired)
                .map(|t| t.id)
                .collect();
            let mut error = FieldError::new("type", "Invalid event type");
            let mut details = serde_json::Map::new();
            details.insert("provided".into(), provided);
            details.insert("allowed".into(), json!(allowed));
            error.details = Some(details);
            error.into()
        })
    }
}

fn validate_idempotency_key(key: &str) -> ServiceResult<&str> {
    let length = key.chars().count();
    if length == 0 || length > MAX_IDEMPOTENCY_KEY_CHARS {
        let message = format!("idempotencyKey must be 1 to {MAX_IDEMPOTENCY_KEY_CHARS} characters");
        return Err(FieldError::new("idempotencyKey", message).into());
    }
    Ok(key)
}

/// What makes two publishes with one idempotency key "the same request".
fn request_hash(type_id: i64, company_id: Option<&str>, data: &Value) -> String {
    crypto::sha256_hex(&json!([type_id, company_id, data]).to_string())
}
