//! The console's backend: each operation resolves the session to its
//! principal and calls the same service method the REST API calls, so the
//! scopes hold whatever the page showed.

use super::{DeliveryQuery, ListQuery, Principal, Service};
use app::{
    backend::{Backend, SignedIn},
    model::{
        AppError, CompanyOut, ConsoleUser, Dashboard, DeliveryDetail, DeliveryOut, EventAccepted,
        EventIn, EventType, Page, Scope, TestResult, WebhookIn, WebhookOut, WebhookPatch,
        WebhookWithSecret,
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

impl Service {
    async fn caller(&self, session: &str) -> Result<Principal, AppError> {
        Ok(self.session_principal(session).await?)
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

    async fn session_user(&self, session_token: &str) -> Result<ConsoleUser, AppError> {
        Ok(console_user(self.session_principal(session_token).await?))
    }

    async fn sign_out(&self, session_token: &str) -> Result<(), AppError> {
        Ok(self.end_session(session_token).await?)
    }

    fn secure_cookies(&self) -> bool {
        self.secure_cookies
    }

    async fn event_types(&self, session: &str) -> Result<Vec<EventType>, AppError> {
        self.caller(session).await?;
        Ok(Service::event_types(self).await?)
    }

    async fn companies(&self, session: &str) -> Result<Vec<CompanyOut>, AppError> {
        let caller = self.caller(session).await?;
        if !caller.scopes.contains(&Scope::ManageAccount) && !caller.is_admin() {
            return Ok(Vec::new());
        }
        let query = ListQuery {
            limit: Some(CONSOLE_PAGE.to_owned()),
            ..Default::default()
        };
        Ok(self.list_companies(&caller, query).await?.data)
    }

    async fn webhooks(
        &self,
        session: &str,
        company_id: Option<String>,
    ) -> Result<Page<WebhookOut>, AppError> {
        let caller = self.caller(session).await?;
        let query = ListQuery {
            company_id,
            limit: Some(CONSOLE_PAGE.to_owned()),
            ..Default::default()
        };
        Ok(self.list_webhooks(&caller, query).await?)
    }

    async fn webhook(&self, session: &str, id: &str) -> Result<WebhookOut, AppError> {
        Ok(self.get_webhook(&self.caller(session).await?, id).await?)
    }

    async fn create_webhook(
        &self,
        session: &str,
        input: WebhookIn,
    ) -> Result<WebhookWithSecret, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::create_webhook(self, &caller, input).await?)
    }

    async fn update_webhook(
        &self,
        session: &str,
        id: &str,
        patch: WebhookPatch,
    ) -> Result<WebhookOut, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::update_webhook(self, &caller, id, patch).await?)
    }

    async fn delete_webhook(&self, session: &str, id: &str) -> Result<(), AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::delete_webhook(self, &caller, id).await?)
    }

    async fn test_webhook(&self, session: &str, id: &str) -> Result<TestResult, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::test_webhook(self, &caller, id).await?)
    }

    async fn reset_circuit(&self, session: &str, id: &str) -> Result<WebhookOut, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::reset_circuit(self, &caller, id).await?)
    }

    async fn rotate_secret(&self, session: &str, id: &str) -> Result<WebhookWithSecret, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::rotate_secret(self, &caller, id).await?)
    }

    async fn deliveries(
        &self,
        session: &str,
        webhook_id: &str,
    ) -> Result<Page<DeliveryOut>, AppError> {
        let caller = self.caller(session).await?;
        let query = DeliveryQuery {
            limit: Some(CONSOLE_PAGE.to_owned()),
            ..Default::default()
        };
        Ok(self.list_deliveries(&caller, webhook_id, query).await?)
    }

    async fn delivery(&self, session: &str, id: &str) -> Result<DeliveryDetail, AppError> {
        Ok(self.get_delivery(&self.caller(session).await?, id).await?)
    }

    async fn retry_delivery(&self, session: &str, id: &str) -> Result<DeliveryOut, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::retry_delivery(self, &caller, id).await?)
    }

    async fn dashboard(&self, session: &str) -> Result<Dashboard, AppError> {
        Ok(Service::dashboard(self, &self.caller(session).await?).await?)
    }

    async fn publish_event(
        &self,
        session: &str,
        input: EventIn,
    ) -> Result<EventAccepted, AppError> {
        let caller = self.caller(session).await?;
        Ok(Service::publish_event(self, &caller, input).await?)
    }
}
