//! What the webhook form holds: its fields as typed, and the configuration
//! they make once the shared validation accepts them.

use crate::{
    components::header_rows::HeaderRow,
    model::{ALL_EVENTS, EventRef, EventType, HeaderIn, WebhookIn, WebhookOut, WebhookPatch},
    validate::{
        CustomHeader, DeliverySettings, FieldError, WebhookUrl, validate_description,
        validate_headers, validate_name,
    },
};
use leptos::prelude::*;

/// What the form produces: a whole webhook configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct WebhookDraft {
    pub url: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub company_id: Option<String>,
    pub events: Vec<EventRef>,
    pub headers: Vec<HeaderIn>,
    pub settings: DeliverySettings,
}

impl WebhookDraft {
    /// As `POST /webhooks` takes it.
    pub fn into_new(self) -> WebhookIn {
        WebhookIn {
            url: self.url,
            events: self.events,
            name: self.name,
            description: self.description,
            company_id: self.company_id,
            headers: self.headers,
            is_active: None,
            max_retries: Some(self.settings.max_retries),
            timeout_ms: Some(self.settings.timeout_ms),
            retry_backoff_seconds: Some(self.settings.retry_backoff_seconds),
            rate_limit_per_second: self.settings.rate_limit_per_second,
            account_id: None,
        }
    }

    /// As `PATCH /webhooks/{id}` takes it: every field, the form shows them all.
    pub fn into_patch(self) -> WebhookPatch {
        WebhookPatch {
            url: Some(self.url),
            events: Some(self.events),
            name: Some(self.name),
            description: Some(self.description),
            company_id: Some(self.company_id),
            headers: Some(self.headers),
            is_active: None,
            max_retries: Some(self.settings.max_retries),
            timeout_ms: Some(self.settings.timeout_ms),
            retry_backoff_seconds: Some(self.settings.retry_backoff_seconds),
            rate_limit_per_second: Some(self.settings.rate_limit_per_second),
        }
    }
}

/// The form's fields, as typed.
#[derive(Clone, Copy)]
pub(super) struct Fields {
    pub(super) url: RwSignal<String>,
    pub(super) name: RwSignal<String>,
    pub(super) description: RwSignal<String>,
    pub(super) company_id: RwSignal<String>,
    pub(super) all_events: RwSignal<bool>,
    pub(super) event_ids: RwSignal<Vec<i64>>,
    pub(super) headers: RwSignal<Vec<HeaderRow>>,
    pub(super) timeout_ms: RwSignal<String>,
    pub(super) max_retries: RwSignal<String>,
    pub(super) backoff: RwSignal<String>,
    pub(super) rate_limit: RwSignal<String>,
}

impl Fields {
    pub(super) fn new(initial: Option<&WebhookOut>, catalog: &[EventType]) -> Self {
        let defaults = DeliverySettings::default();
        let text = |value: Option<&String>| value.cloned().unwrap_or_default();
        let events = initial.map(|w| w.events.clone()).unwrap_or_default();
        let event_ids = catalog
            .iter()
            .filter(|t| events.contains(&t.label))
            .map(|t| t.id)
            .collect();
        Self {
            url: RwSignal::new(initial.map(|w| w.url.clone()).unwrap_or_default()),
            name: RwSignal::new(text(initial.and_then(|w| w.name.as_ref()))),
            description: RwSignal::new(text(initial.and_then(|w| w.description.as_ref()))),
            company_id: RwSignal::new(text(initial.and_then(|w| w.company_id.as_ref()))),
            all_events: RwSignal::new(events.iter().any(|e| e == ALL_EVENTS)),
            event_ids: RwSignal::new(event_ids),
            headers: RwSignal::new(
                initial.map_or_else(Vec::new, |w| HeaderRow::from_stored(&w.headers)),
            ),
            timeout_ms: RwSignal::new(
                initial
                    .map_or(defaults.timeout_ms, |w| w.timeout_ms)
                    .to_string(),
            ),
            max_retries: RwSignal::new(
                initial
                    .map_or(defaults.max_retries, |w| w.max_retries)
                    .to_string(),
            ),
            backoff: RwSignal::new(
                initial
                    .map_or(defaults.retry_backoff_seconds, |w| w.retry_backoff_seconds)
                    .to_string(),
            ),
            rate_limit: RwSignal::new(
                initial
                    .and_then(|w| w.rate_limit_per_second)
                    .map(|rate| rate.to_string())
                    .unwrap_or_default(),
            ),
        }
    }

    pub(super) fn optional(text: RwSignal<String>) -> Option<String> {
        let text = text.get_untracked().trim().to_owned();
        (!text.is_empty()).then_some(text)
    }

    pub(super) fn settings(&self) -> Result<DeliverySettings, FieldError> {
        let number = |field: &str, text: RwSignal<String>| {
            text.get_untracked()
                .trim()
                .parse::<u32>()
                .map_err(|_| FieldError::new(field, format!("{field} must be a whole number")))
        };
        let rate_limit = match Self::optional(self.rate_limit) {
            None => None,
            Some(_) => Some(number("rateLimitPerSecond", self.rate_limit)?),
        };
        let settings = DeliverySettings {
            max_retries: number("maxRetries", self.max_retries)?,
            timeout_ms: number("timeoutMs", self.timeout_ms)?,
            retry_backoff_seconds: number("retryBackoffSeconds", self.backoff)?,
            rate_limit_per_second: rate_limit,
        };
        settings.validate()?;
        Ok(settings)
    }

    fn events(&self) -> Result<Vec<EventRef>, FieldError> {
        if self.all_events.get_untracked() {
            return Ok(vec![EventRef::Label(ALL_EVENTS.to_owned())]);
        }
        let ids = self.event_ids.get_untracked();
        if ids.is_empty() {
            return Err(FieldError::new("events", "Choose at least one event type"));
        }
        Ok(ids.into_iter().map(EventRef::Id).collect())
    }

    fn headers(&self) -> Result<Vec<HeaderIn>, FieldError> {
        let rows = self.headers.get_untracked();
        let headers: Vec<HeaderIn> = rows.iter().map(|row| row.to_input()).collect();
        // Stored secrets are checked on the server, which knows their values.
        let stored: Vec<CustomHeader> = rows
            .iter()
            .filter(|row| row.stored_secret)
            .map(|row| CustomHeader {
                name: row.name.get_untracked(),
                value: "stored".to_owned(),
                masked: true,
            })
            .collect();
        validate_headers(&headers, &stored)?;
        Ok(headers)
    }

    /// Every field checked; the first error of each field is collected.
    pub(super) fn draft(&self) -> Result<WebhookDraft, Vec<FieldError>> {
        let url = WebhookUrl::parse(self.url.get_untracked().trim());
        let name = Self::optional(self.name);
        let description = Self::optional(self.description);
        let checks = [
            url.clone().err(),
            validate_name(name.as_deref()).err(),
            validate_description(description.as_deref()).err(),
            self.events().err(),
            self.headers().err(),
            self.settings().err(),
        ];
        let errors: Vec<FieldError> = checks.into_iter().flatten().collect();
        if !errors.is_empty() {
            return Err(errors);
        }
        let (Ok(url), Ok(events), Ok(headers), Ok(settings)) =
            (url, self.events(), self.headers(), self.settings())
        else {
            return Err(Vec::new());
        };
        Ok(WebhookDraft {
            url: url.as_str().to_owned(),
            name,
            description,
            company_id: Self::optional(self.company_id),
            events,
            headers,
            settings,
        })
    }
}
