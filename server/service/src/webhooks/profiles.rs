//! What the compatibility profiles (SPEC §7) read beside the main API's
//! webhook: the Interactly id, whether a bearer token is set, and the
//! secret that the Konpro API returns on every answer.

use super::{NOT_FOUND, row_mapping::subscriptions_of};
use crate::paging::MAX_LIMIT;
use crate::{Principal, Service, ServiceError, ServiceResult};
use herald_model::{
    ConsoleWebhook, Scope, WebhookIn, WebhookOut, WebhookPatch, validate::is_bearer_header,
};
use herald_store::webhooks::{self, ListFilter, WebhookRow};

/// A webhook as the compatibility profiles show it: the main API's view
/// and the facts those profiles add.
#[derive(Clone, Debug)]
pub struct ProfileWebhook {
    /// The webhook as the main API shows it.
    pub webhook: WebhookOut,
    /// The 24-hex id the Interactly profile knows it by.
    pub interactly_id: String,
    /// Whether an `Authorization: Bearer …` header is set.
    pub has_bearer_token: bool,
    /// The signing secret in `whsec_` form.
    pub standard_secret: String,
}

impl Service {
    /// One webhook the caller may see, with what the profiles add to it.
    #[tracing::instrument(skip(self, caller))]
    pub async fn profile_webhook(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<ProfileWebhook> {
        caller.require(Scope::ReadWebhooks)?;
        self.profile_view_of(caller, id).await
    }

    /// The UUID of the webhook with this Interactly id, for a caller about
    /// to use `scope` on it: refused without that scope before anything is
    /// looked up, then 404 when there is none, 403 when it may not see it.
    #[tracing::instrument(skip(self, caller))]
    pub async fn webhook_id_for_interactly_id(
        &self,
        caller: &Principal,
        interactly_id: &str,
        scope: Scope,
    ) -> ServiceResult<String> {
        caller.require(scope)?;
        let row = webhooks::find_by_interactly_id(&self.db, interactly_id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(NOT_FOUND.to_owned()))?;
        if !caller.can_see(&row.account_id, row.company_id.as_deref()) {
            return Err(ServiceError::AccessDenied(super::ACCESS_DENIED));
        }
        Ok(row.id)
    }

    /// Every webhook of the caller's account that it may see, newest
    /// first: the profiles' lists have no pages.
    #[tracing::instrument(skip_all)]
    pub async fn all_profile_webhooks(
        &self,
        caller: &Principal,
    ) -> ServiceResult<Vec<ProfileWebhook>> {
        caller.require(Scope::ReadWebhooks)?;
        let company_id = Self::restrict_company(caller, None)?;
        let mut rows = Vec::new();
        loop {
            let filter = ListFilter {
                account_id: &caller.account_id,
                company_id: company_id.as_deref(),
                limit: MAX_LIMIT as i64,
                offset: i64::try_from(rows.len()).unwrap_or(i64::MAX),
            };
            let (chunk, _) = webhooks::list(&self.db, &filter).await?;
            let last = chunk.len() < MAX_LIMIT;
            rows.extend(chunk);
            if last {
                break;
            }
        }
        self.profile_views(rows).await
    }

    async fn profile_views(&self, rows: Vec<WebhookRow>) -> ServiceResult<Vec<ProfileWebhook>> {
        let catalog = self.event_types().await?;
        let mut subscriptions = subscriptions_of(&self.db, &rows).await?;
        let mut views = Vec::with_capacity(rows.len());
        for row in rows {
            let type_ids = subscriptions.remove(&row.id).unwrap_or_default();
            let has_bearer_token = self.open_headers(&row)?.iter().any(is_bearer_header);
            views.push(ProfileWebhook {
                webhook: self.webhook_out(&row, type_ids, &catalog)?,
                standard_secret: self.open_secret(&row)?.to_standard(),
                has_bearer_token,
                interactly_id: row.interactly_id,
            });
        }
        Ok(views)
    }
}

impl Service {
    /// Creates a webhook and answers with what the profiles show of it.
    #[tracing::instrument(skip_all)]
    pub async fn create_profile_webhook(
        &self,
        caller: &Principal,
        input: WebhookIn,
    ) -> ServiceResult<ProfileWebhook> {
        let created = self.create_webhook(caller, input).await?;
        self.profile_view_of(caller, &created.webhook.id).await
    }

    /// Updates a webhook with the patch `edit` makes from its current
    /// state (a profile's field that maps onto part of a list, as a bearer
    /// token onto the headers), and answers with what the profiles show.
    #[tracing::instrument(skip(self, caller, edit))]
    pub async fn update_profile_webhook(
        &self,
        caller: &Principal,
        id: &str,
        edit: impl FnOnce(&WebhookOut) -> WebhookPatch + Send,
    ) -> ServiceResult<ProfileWebhook> {
        caller.require(Scope::WriteWebhooks)?;
        let current = self.visible_webhook(caller, id).await?;
        let patch = edit(&self.present(&current).await?);
        self.apply_patch(caller, current, patch).await?;
        self.profile_view_of(caller, id).await
    }

    /// Deletes a webhook as [`Service::delete_webhook`] does, answering with
    /// what the profiles showed of it.
    #[tracing::instrument(skip(self, caller))]
    pub async fn delete_profile_webhook(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<ProfileWebhook> {
        caller.require(Scope::WriteWebhooks)?;
        let view = self.profile_view_of(caller, id).await?;
        self.delete_webhook(caller, id).await?;
        Ok(view)
    }

    /// One webhook the caller may see, with its Interactly id, for the console.
    #[tracing::instrument(skip(self, caller))]
    pub async fn console_webhook(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<ConsoleWebhook> {
        caller.require(Scope::ReadWebhooks)?;
        let row = self.visible_webhook(caller, id).await?;
        Ok(ConsoleWebhook {
            webhook: self.present(&row).await?,
            interactly_id: row.interactly_id,
        })
    }

    /// The view of a webhook the caller just wrote (no read scope needed).
    async fn profile_view_of(&self, caller: &Principal, id: &str) -> ServiceResult<ProfileWebhook> {
        let row = self.visible_webhook(caller, id).await?;
        let mut views = self.profile_views(vec![row]).await?;
        Ok(views.remove(0))
    }
}
