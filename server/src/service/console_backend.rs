//! The console's backend: each operation resolves the session to its
//! principal and calls the same service method the REST API calls, so the
//! scopes hold whatever the page showed.

use super::{DeliveryQuery, ListQuery, Principal, Service};
use app::{
    backend::{Backend, ConsoleSession, SignedIn},
    model::{
        AccountIn, AccountOut, ApiKeyCreated, ApiKeyIn, ApiKeyOut, AppError, CompanyIn, CompanyOut,
        ConsoleUser, ConsoleWebhook, Dashboard, DeliveryDetail, DeliveryOut, EventAccepted,
        EventIn, EventType, EventTypeIn, Page, Scope, TestResult, WebhookIn, WebhookOut,
        WebhookPatch, WebhookWithSecret,
    },
    validate::ApiKeyInput,
};

/// The most rows a console list shows; its search and filters work on these.
const CONSOLE_PAGE: &str = "200";

fn console_user(principal: Principal) -> ConsoleUser {
    ConsoleUser {
        account_id: principal.account_id,
        account_name: principal.account_name,
        key_name: principal.key_name,
        key_prefix: principal.key_prefix,
        scopes: principal.scopes,
    }
}

fn first_page() -> ListQuery {
    ListQuery {
        limit: Some(CONSOLE_PAGE.to_owned()),
        ..Default::default()
    }
}

impl Service {
    /// The session's principal, acting in the account the switcher chose
    /// when the key is `admin` (an admin may act in any account); a chosen
    /// account that no longer exists is ignored.
    async fn caller(&self, session: &ConsoleSession) -> Result<Principal, AppError> {
        let mut principal = self.session_principal(&session.token).await?;
        let chosen = session
            .account_id
            .as_deref()
            .filter(|id| principal.is_admin() && *id != principal.account_id);
        if let Some(account_id) = chosen
            && let Ok(account) = self.target_account(&principal, Some(account_id)).await
        {
            principal.account_id = account.id;
            principal.account_name = account.name;
        }
        Ok(principal)
    }
}

#[async_trait::async_trait]
impl Backend for Service {
    async fn sign_in(&self, api_key: ApiKeyInput) -> Result<SignedIn, AppError> {
        let (session_token, principal) = self.start_session(&api_key).await?;
        Ok(SignedIn {
            session_token,
            user: console_user(principal),
        })
    }

    async fn session_user(&self, session: &ConsoleSession) -> Result<ConsoleUser, AppError> {
        Ok(console_user(self.caller(session).await?))
    }

    async fn sign_out(&self, session_token: &str) -> Result<(), AppError> {
        Ok(self.end_session(session_token).await?)
    }

    fn secure_cookies(&self) -> bool {
        self.secure_cookies
    }

    async fn event_types(&self, session: &ConsoleSession) -> Result<Vec<EventType>, AppError> {
        self.caller(session).await?;
        Ok(Service::event_types(self).await?)
    }

    async fn companies(&self, session: &ConsoleSession) -> Result<Vec<CompanyOut>, AppError> {
        let caller = self.caller(session).await?;
        if !caller.scopes.contains(&Scope::ManageAccount) && !caller.is_admin() {
            return Ok(Vec::new());
        }
        Ok(self.list_companies(&caller, first_page()).await?.data)
    }

    async fn webhooks(
        &self,
        session: &ConsoleSession,
        company_id: Option<String>,
    ) -> Result<Page<WebhookOut>, AppError> {
        let caller = self.caller(session).await?;
        let query = ListQuery {
            company_id,
            ..first_page()
        };
        let page = self.list_webhooks(&caller, query).await?;
        Ok(std::sync::Arc::unwrap_or_clone(page))
    }

    async fn webhook(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<ConsoleWebhook, AppError> {
        Ok(self
            .console_webhook(&self.caller(session).await?, id)
            .await?)
    }

    async fn create_webhook(
        &self,
        session: &ConsoleSession,
        input: WebhookIn,
    ) -> Result<WebhookWithSecret, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::create_webhook(self, &caller, input).await?)
    }

    async fn update_webhook(
        &self,
        session: &ConsoleSession,
        id: &str,
        patch: WebhookPatch,
    ) -> Result<WebhookOut, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::update_webhook(self, &caller, id, patch).await?)
    }

    async fn delete_webhook(&self, session: &ConsoleSession, id: &str) -> Result<(), AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::delete_webhook(self, &caller, id).await?)
    }

    async fn test_webhook(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<TestResult, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::test_webhook(self, &caller, id).await?)
    }

    async fn reset_circuit(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<WebhookOut, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::reset_circuit(self, &caller, id).await?)
    }

    async fn rotate_secret(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<WebhookWithSecret, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::rotate_secret(self, &caller, id).await?)
    }

    async fn deliveries(
        &self,
        session: &ConsoleSession,
        webhook_id: &str,
    ) -> Result<Page<DeliveryOut>, AppError> {
        let caller = self.caller(session).await?;
        let query = DeliveryQuery {
            limit: Some(CONSOLE_PAGE.to_owned()),
            ..Default::default()
        };
        Ok(self.list_deliveries(&caller, webhook_id, query).await?)
    }

    async fn delivery(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<DeliveryDetail, AppError> {
        Ok(self.get_delivery(&self.caller(session).await?, id).await?)
    }

    async fn retry_delivery(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<DeliveryOut, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::retry_delivery(self, &caller, id).await?)
    }

    async fn dashboard(&self, session: &ConsoleSession) -> Result<Dashboard, AppError> {
        Ok(Service::dashboard(self, &self.caller(session).await?).await?)
    }

    async fn accounts(&self, session: &ConsoleSession) -> Result<Vec<AccountOut>, AppError> {
        let caller = self.caller(session).await?;
        Ok(self.list_accounts(&caller, first_page()).await?.data)
    }

    async fn add_account(
        &self,
        session: &ConsoleSession,
        input: AccountIn,
    ) -> Result<AccountOut, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::add_account(self, &caller, input).await?)
    }

    async fn switch_account(
        &self,
        session: &ConsoleSession,
        account_id: Option<String>,
    ) -> Result<ConsoleUser, AppError> {
        let home = self.session_principal(&session.token).await?;
        let Some(account_id) = account_id else {
            return Ok(console_user(home));
        };
        home.require(Scope::Admin)?;
        let account = self.target_account(&home, Some(&account_id)).await?;
        Ok(console_user(Principal {
            account_id: account.id,
            account_name: account.name,
            ..home
        }))
    }

    async fn add_company(
        &self,
        session: &ConsoleSession,
        input: CompanyIn,
    ) -> Result<CompanyOut, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::add_company(self, &caller, input).await?)
    }

    async fn api_keys(&self, session: &ConsoleSession) -> Result<Vec<ApiKeyOut>, AppError> {
        let caller = self.caller(session).await?;
        Ok(self.list_api_keys(&caller, first_page()).await?.data)
    }

    async fn create_api_key(
        &self,
        session: &ConsoleSession,
        input: ApiKeyIn,
    ) -> Result<ApiKeyCreated, AppError> {
        let caller = self.caller(session).await?;
        Ok(self.issue_api_key(&caller, input).await?)
    }

    async fn revoke_api_key(&self, session: &ConsoleSession, id: &str) -> Result<(), AppError> {
        let caller = self.caller(session).await?;
        Ok(self.revoke_api_key_for(&caller, id).await?)
    }

    async fn add_event_type(
        &self,
        session: &ConsoleSession,
        input: EventTypeIn,
    ) -> Result<EventType, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::add_event_type(self, &caller, input).await?)
    }

    async fn retire_event_type(&self, session: &ConsoleSession, id: i64) -> Result<(), AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::retire_event_type(self, &caller, &id.to_string()).await?)
    }

    async fn publish_event(
        &self,
        session: &ConsoleSession,
        input: EventIn,
    ) -> Result<EventAccepted, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::publish_event(self, &caller, input).await?)
    }
}
