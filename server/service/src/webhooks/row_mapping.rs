//! Between a stored row and the API's model: sealing and unsealing secrets,
//! labels for event types, ISO 8601 times.

use super::super::{Service, ServiceResult, iso8601, paging};
use herald_engine::crypto::{self, SigningSecret};
use herald_model::{
    EventType, HeaderOut, WebhookOut, WebhookPatch, WebhookWithSecret,
    validate::{CustomHeader, DeliverySettings, EventSelection},
};
use herald_store::{
    Db,
    webhooks::{self, WebhookRow},
};
use std::collections::HashMap;

impl Service {
    pub(super) fn seal_headers(&self, webhook_id: &str, headers: &[CustomHeader]) -> Vec<u8> {
        let json = serde_json::to_vec(headers).expect("headers serialize to JSON");
        self.master_key
            .seal(&json, &crypto::webhook_headers_context(webhook_id))
    }

    pub(super) fn open_headers(&self, row: &WebhookRow) -> ServiceResult<Vec<CustomHeader>> {
        let json = self
            .master_key
            .open(&row.headers, &crypto::webhook_headers_context(&row.id))?;
        serde_json::from_slice(&json).map_err(|_| herald_engine::crypto::CryptoError.into())
    }

    pub(super) fn seal_secret(&self, webhook_id: &str, secret: &SigningSecret) -> Vec<u8> {
        self.master_key
            .seal(secret.bytes(), &crypto::webhook_secret_context(webhook_id))
    }

    pub(super) fn open_secret(&self, row: &WebhookRow) -> ServiceResult<SigningSecret> {
        let bytes = self.master_key.open(
            &row.signing_secret,
            &crypto::webhook_secret_context(&row.id),
        )?;
        SigningSecret::from_bytes(&bytes).ok_or_else(|| herald_engine::crypto::CryptoError.into())
    }

    /// Seals the current secret as the previous one (it keeps signing for a while after a rotation).
    pub(super) fn seal_previous_secret(&self, webhook_id: &str, secret: &SigningSecret) -> Vec<u8> {
        self.master_key.seal(
            secret.bytes(),
            &crypto::webhook_previous_secret_context(webhook_id),
        )
    }

    /// The API's view of a stored webhook; masked header values never leave.
    pub(super) fn webhook_out(
        &self,
        row: &WebhookRow,
        type_ids: Vec<i64>,
        catalog: &[EventType],
    ) -> ServiceResult<WebhookOut> {
        let headers = self
            .open_headers(row)?
            .into_iter()
            .map(|header| HeaderOut {
                value: (!header.masked).then_some(header.value),
                name: header.name,
                is_masked: header.masked,
            })
            .collect();
        let selection = if row.all_events {
            EventSelection::All
        } else {
            EventSelection::Types(type_ids)
        };
        Ok(WebhookOut {
            id: row.id.clone(),
            api_key_id: row.api_key_id.clone(),
            company_id: row.company_id.clone(),
            url: row.url.clone(),
            name: row.name.clone(),
            description: row.description.clone(),
            headers,
            events: selection.labels(catalog),
            is_active: row.is_active,
            disabled_reason: row.disabled_reason.clone(),
            max_retries: to_u32(row.max_retries),
            timeout_ms: to_u32(row.timeout_ms),
            retry_backoff_seconds: to_u32(row.retry_backoff_seconds),
            rate_limit_per_second: row.rate_limit_per_second.map(to_u32),
            consecutive_failures: to_u32(row.consecutive_failures),
            circuit_opened_at: row.circuit_opened_at.map(iso8601),
            created_at: iso8601(row.created_at),
            updated_at: iso8601(row.updated_at),
        })
    }

    pub(super) fn with_secret(webhook: WebhookOut, secret: &SigningSecret) -> WebhookWithSecret {
        WebhookWithSecret {
            webhook,
            signing_secret: secret.to_hex(),
            standard_secret: secret.to_standard(),
        }
    }
}

/// Stored counters and settings were validated into `u32` range on the way in.
fn to_u32(value: i64) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

/// The event types each of `rows` subscribes to, by webhook id, in the order given.
pub(super) async fn subscriptions_of(
    db: &Db,
    rows: &[WebhookRow],
) -> ServiceResult<HashMap<String, Vec<i64>>> {
    let mut subscriptions: HashMap<String, Vec<i64>> = HashMap::new();
    // The store takes at most one page of ids at a time.
    for chunk in rows.chunks(paging::MAX_LIMIT) {
        let ids: Vec<&str> = chunk.iter().map(|row| row.id.as_str()).collect();
        for (webhook_id, type_id) in webhooks::subscriptions(db, &ids).await? {
            subscriptions.entry(webhook_id).or_default().push(type_id);
        }
    }
    Ok(subscriptions)
}

pub(super) fn split_selection(selection: EventSelection) -> (bool, Vec<i64>) {
    match selection {
        EventSelection::All => (true, Vec::new()),
        EventSelection::Types(ids) => (false, ids),
    }
}

pub(super) fn patch_settings(row: &mut WebhookRow, patch: &WebhookPatch) -> ServiceResult<()> {
    let current = DeliverySettings {
        max_retries: to_u32(row.max_retries),
        timeout_ms: to_u32(row.timeout_ms),
        retry_backoff_seconds: to_u32(row.retry_backoff_seconds),
        rate_limit_per_second: row.rate_limit_per_second.map(to_u32),
    };
    let settings = DeliverySettings {
        max_retries: patch.max_retries.unwrap_or(current.max_retries),
        timeout_ms: patch.timeout_ms.unwrap_or(current.timeout_ms),
        retry_backoff_seconds: patch
            .retry_backoff_seconds
            .unwrap_or(current.retry_backoff_seconds),
        rate_limit_per_second: patch
            .rate_limit_per_second
            .unwrap_or(current.rate_limit_per_second),
    };
    settings.validate()?;
    row.max_retries = settings.max_retries.into();
    row.timeout_ms = settings.timeout_ms.into();
    row.retry_backoff_seconds = settings.retry_backoff_seconds.into();
    row.rate_limit_per_second = settings.rate_limit_per_second.map(Into::into);
    Ok(())
}
