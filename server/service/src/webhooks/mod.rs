//! Webhook configurations (SPEC §3): list, read, create, update, delete,
//! reset the circuit, rotate the secret. Every operation checks the scope,
//! the account and the company restriction of the calling key.

mod profiles;
mod rotation;
mod row_mapping;

pub use profiles::ProfileWebhook;

use super::{
    ListQuery, Principal, Service, ServiceError, ServiceResult,
    paging::{self, Paging},
};
use herald_engine::crypto::SigningSecret;
use herald_model::{
    Page, Scope, WebhookIn, WebhookOut, WebhookPatch, WebhookWithSecret,
    validate::{
        DeliverySettings, EventSelection, WebhookUrl, validate_description, validate_headers,
        validate_name,
    },
};
use herald_store::{self, webhooks, webhooks::WebhookRow};
use row_mapping::{patch_settings, split_selection, subscriptions_of};
use std::sync::Arc;

const NOT_FOUND: &str = "Webhook configuration not found";
const ACCESS_DENIED: &str = "Access denied to this webhook configuration";

impl Service {
    /// The caller's webhooks (or, for an admin, another account's), newest
    /// first. Shared with the read cache: a hit copies nothing.
    #[tracing::instrument(skip(self, caller))]
    pub async fn list_webhooks(
        &self,
        caller: &Principal,
        query: ListQuery,
    ) -> ServiceResult<Arc<Page<WebhookOut>>> {
        caller.require(Scope::ReadWebhooks)?;
        let account = self
            .target_account(caller, query.account_id.as_deref())
            .await?;
        let paging = Paging::parse(&query)?;
        let company_id = Self::restrict_company(caller, query.company_id)?;
        let filter = webhooks::ListFilter {
            account_id: &account.id,
            company_id: company_id.as_deref(),
            limit: paging.limit,
            offset: paging.offset,
        };
        let key = (
            account.id.clone(),
            company_id.clone(),
            paging.limit,
            paging.offset,
        );
        self.read_caches
            .webhook_pages
            .get_or_read(key, self.read_webhook_page(&filter))
            .await
    }

    async fn read_webhook_page(
        &self,
        filter: &webhooks::ListFilter<'_>,
    ) -> ServiceResult<Arc<Page<WebhookOut>>> {
        let (rows, total) = webhooks::list(&self.db, filter).await?;
        let mut subscriptions = subscriptions_of(&self.db, &rows).await?;
        let catalog = self.event_types().await?;
        let data = rows
            .iter()
            .map(|row| {
                let type_ids = subscriptions.remove(&row.id).unwrap_or_default();
                self.webhook_out(row, type_ids, &catalog)
            })
            .collect::<ServiceResult<_>>()?;
        Ok(Arc::new(Page {
            data,
            total: paging::total(total),
        }))
    }

    /// One webhook the caller may see.
    pub async fn get_webhook(&self, caller: &Principal, id: &str) -> ServiceResult<WebhookOut> {
        caller.require(Scope::ReadWebhooks)?;
        let row = self.visible_webhook(caller, id).await?;
        self.present(&row).await
    }

    /// Creates a webhook; its signing secret is returned this once.
    #[tracing::instrument(skip_all)]
    pub async fn create_webhook(
        &self,
        caller: &Principal,
        input: WebhookIn,
    ) -> ServiceResult<WebhookWithSecret> {
        caller.require(Scope::WriteWebhooks)?;
        let account = self
            .target_account(caller, input.account_id.as_deref())
            .await?;
        let company_id = Self::restrict_company(caller, input.company_id)?;
        if let Some(company_id) = &company_id {
            self.company_of(&account, company_id).await?;
        }
        let url = self.deliverable_url(&input.url)?;
        validate_name(input.name.as_deref())?;
        validate_description(input.description.as_deref())?;
        let catalog = self.event_types().await?;
        let selection = EventSelection::parse(&input.events, &catalog)?;
        let headers = validate_headers(&input.headers, &[])?;
        let defaults = DeliverySettings::default();
        let settings = DeliverySettings {
            max_retries: input.max_retries.unwrap_or(defaults.max_retries),
            timeout_ms: input.timeout_ms.unwrap_or(defaults.timeout_ms),
            retry_backoff_seconds: input
                .retry_backoff_seconds
                .unwrap_or(defaults.retry_backoff_seconds),
            rate_limit_per_second: input.rate_limit_per_second,
        };
        settings.validate()?;

        let id = uuid::Uuid::new_v4().to_string();
        let secret = SigningSecret::generate();
        let now = self.clock.now_ms();
        let (all_events, type_ids) = split_selection(selection);
        let row = WebhookRow {
            headers: self.seal_headers(&id, &headers),
            signing_secret: self.seal_secret(&id, &secret),
            id,
            interactly_id: herald_store::new_interactly_id(),
            account_id: account.id,
            api_key_id: caller.key_id.clone(),
            company_id,
            url: url.as_str().to_owned(),
            name: input.name,
            description: input.description,
            all_events,
            is_active: input.is_active.unwrap_or(true),
            disabled_reason: None,
            max_retries: settings.max_retries.into(),
            timeout_ms: settings.timeout_ms.into(),
            retry_backoff_seconds: settings.retry_backoff_seconds.into(),
            rate_limit_per_second: settings.rate_limit_per_second.map(Into::into),
            consecutive_failures: 0,
            circuit_opened_at: None,
            previous_signing_secret: None,
            previous_secret_expires_at: None,
            created_at: now,
            updated_at: now,
        };
        webhooks::insert(&self.db, &row, &type_ids).await?;
        let webhook = self.webhook_out(&row, type_ids, &catalog)?;
        Ok(Self::with_secret(webhook, &secret))
    }

    /// Changes only the fields present; `headers` replaces the list; the secret never changes.
    #[tracing::instrument(skip(self, caller, patch))]
    pub async fn update_webhook(
        &self,
        caller: &Principal,
        id: &str,
        patch: WebhookPatch,
    ) -> ServiceResult<WebhookOut> {
        caller.require(Scope::WriteWebhooks)?;
        let row = self.visible_webhook(caller, id).await?;
        self.apply_patch(caller, row, patch).await?;
        let row = self.visible_webhook(caller, id).await?;
        self.present(&row).await
    }

    /// Validates `patch` against the webhook as read (`row`) and stores it.
    async fn apply_patch(
        &self,
        caller: &Principal,
        mut row: WebhookRow,
        patch: WebhookPatch,
    ) -> ServiceResult<()> {
        patch_settings(&mut row, &patch)?;
        if let Some(url) = patch.url {
            row.url = self.deliverable_url(&url)?.as_str().to_owned();
        }
        if let Some(name) = patch.name {
            validate_name(name.as_deref())?;
            row.name = name;
        }
        if let Some(description) = patch.description {
            validate_description(description.as_deref())?;
            row.description = description;
        }
        if let Some(company_id) = patch.company_id {
            row.company_id = self
                .patched_company(caller, &row.account_id, company_id)
                .await?;
        }
        let mut new_type_ids = None;
        if let Some(events) = patch.events {
            let (all_events, type_ids) =
                split_selection(EventSelection::parse(&events, &self.event_types().await?)?);
            row.all_events = all_events;
            new_type_ids = Some(type_ids);
        }
        if let Some(headers) = patch.headers {
            let headers = validate_headers(&headers, &self.open_headers(&row)?)?;
            row.headers = self.seal_headers(&row.id, &headers);
        }
        row.updated_at = self.clock.now_ms();
        let updated =
            webhooks::update(&self.db, &row, patch.is_active, new_type_ids.as_deref()).await?;
        if !updated {
            return Err(ServiceError::NotFound(NOT_FOUND.to_owned()));
        }
        // What this process claimed under the old settings is claimed
        // again under the new; reactivated, the deliveries that waited are due.
        self.engine.webhook_changed(&row.id);
        self.engine.wake_everywhere();
        Ok(())
    }

    /// Deletes the webhook (its pending deliveries are cancelled with it).
    #[tracing::instrument(skip(self, caller))]
    pub async fn delete_webhook(&self, caller: &Principal, id: &str) -> ServiceResult<()> {
        caller.require(Scope::WriteWebhooks)?;
        self.visible_webhook(caller, id).await?;
        webhooks::soft_delete(&self.db, id, self.clock.now_ms()).await?;
        self.engine.webhook_changed(id);
        Ok(())
    }

    /// Closes the circuit, zeroes `consecutiveFailures` and makes every held
    /// delivery due at once (keeping its attempt count).
    #[tracing::instrument(skip(self, caller))]
    pub async fn reset_circuit(&self, caller: &Principal, id: &str) -> ServiceResult<WebhookOut> {
        caller.require(Scope::WriteWebhooks)?;
        self.visible_webhook(caller, id).await?;
        webhooks::reset_circuit(&self.db, id, self.clock.now_ms()).await?;
        self.engine.wake_everywhere();
        let row = self.visible_webhook(caller, id).await?;
        self.present(&row).await
    }

    /// A valid webhook URL that this server's egress rule would send to:
    /// under `public-only` an IP literal outside the public ranges is
    /// refused here rather than at every delivery.
    fn deliverable_url(&self, raw: &str) -> ServiceResult<WebhookUrl> {
        let url = WebhookUrl::parse(raw)?;
        if let Some(refused) = self.engine.refuses_destination(url.as_str()) {
            let message = format!(
                "url must reach a public address: {} is not one (HERALD_EGRESS=public-only)",
                refused.host
            );
            return Err(herald_model::validate::FieldError::new("url", message).into());
        }
        Ok(url)
    }

    /// The webhook `id` if it exists (404) and the caller may see it (403).
    pub(super) async fn visible_webhook(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<WebhookRow> {
        let not_found = || ServiceError::NotFound(NOT_FOUND.to_owned());
        uuid::Uuid::parse_str(id).map_err(|_| not_found())?;
        let row = webhooks::find(&self.db, id).await?.ok_or_else(not_found)?;
        if !caller.can_see(&row.account_id, row.company_id.as_deref()) {
            return Err(ServiceError::AccessDenied(ACCESS_DENIED));
        }
        Ok(row)
    }

    async fn present(&self, row: &WebhookRow) -> ServiceResult<WebhookOut> {
        let type_ids = webhooks::subscriptions(&self.db, &[row.id.as_str()]).await?;
        let type_ids = type_ids.into_iter().map(|(_, type_id)| type_id).collect();
        self.webhook_out(row, type_ids, &self.event_types().await?)
    }

    /// A new `companyId` for a webhook: one of its account's companies, or
    /// `null` (global), which a company-restricted key may not choose.
    async fn patched_company(
        &self,
        caller: &Principal,
        account_id: &str,
        company_id: Option<String>,
    ) -> ServiceResult<Option<String>> {
        if company_id.is_none() && caller.company_id.is_some() && !caller.is_admin() {
            return Err(ServiceError::AccessDenied(
                "Access denied to global webhooks",
            ));
        }
        let company_id = match company_id {
            Some(id) => Self::restrict_company(caller, Some(id))?,
            None => None,
        };
        if let Some(id) = &company_id {
            let account = self.target_account(caller, Some(account_id)).await?;
            self.company_of(&account, id).await?;
        }
        Ok(company_id)
    }
}
