//! The operations the console needs, in model types. The server implements
//! this trait over its service layer and provides it to the server functions
//! through Leptos context, so no server function touches storage itself.
//! Every operation after sign-in names the session it acts for; the service
//! checks that session's scopes whatever the page showed.

use crate::{
    model::{
        AccountIn, AccountOut, ApiKeyCreated, ApiKeyIn, ApiKeyOut, AppError, CompanyIn, CompanyOut,
        ConsoleUser, ConsoleWebhook, Dashboard, DeliveryDetail, DeliveryOut, EventAccepted,
        EventIn, EventType, EventTypeIn, Page, TestResult, WebhookIn, WebhookOut, WebhookPatch,
        WebhookWithSecret,
    },
    validate::ApiKeyInput,
};
use std::sync::Arc;

/// The console session a request carries: its token and, for an `admin`
/// key, the account chosen in the account switcher.
#[derive(Clone, Debug)]
pub struct ConsoleSession {
    pub token: String,
    pub account_id: Option<String>,
}

/// A new console session: the token for the cookie and who it belongs to.
pub struct SignedIn {
    pub session_token: String,
    pub user: ConsoleUser,
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    /// Checks the API key and opens a session for it.
    async fn sign_in(&self, api_key: ApiKeyInput) -> Result<SignedIn, AppError>;
    /// The user of a live session (extending it), in the account it acts in,
    /// or `Unauthorized`.
    async fn session_user(&self, session: &ConsoleSession) -> Result<ConsoleUser, AppError>;
    /// Ends the session server-side; unknown tokens are ignored.
    async fn sign_out(&self, session_token: &str) -> Result<(), AppError>;
    /// Whether the session cookie must carry `Secure` (the public URL is https).
    fn secure_cookies(&self) -> bool;

    /// The event-type catalog.
    async fn event_types(&self, session: &ConsoleSession) -> Result<Vec<EventType>, AppError>;
    /// The companies the session may pick from (none without `manage:account`).
    async fn companies(&self, session: &ConsoleSession) -> Result<Vec<CompanyOut>, AppError>;
    /// The session's webhooks, optionally of one company only.
    async fn webhooks(
        &self,
        session: &ConsoleSession,
        company_id: Option<String>,
    ) -> Result<Page<WebhookOut>, AppError>;
    /// One webhook, with its Interactly id.
    async fn webhook(&self, session: &ConsoleSession, id: &str)
    -> Result<ConsoleWebhook, AppError>;
    /// Creates a webhook; its secret is in the answer, this once.
    async fn create_webhook(
        &self,
        session: &ConsoleSession,
        input: WebhookIn,
    ) -> Result<WebhookWithSecret, AppError>;
    /// Changes the fields present in `patch`.
    async fn update_webhook(
        &self,
        session: &ConsoleSession,
        id: &str,
        patch: WebhookPatch,
    ) -> Result<WebhookOut, AppError>;
    /// Deletes a webhook, cancelling its pending deliveries.
    async fn delete_webhook(&self, session: &ConsoleSession, id: &str) -> Result<(), AppError>;
    /// Sends a signed test ping and waits for the answer.
    async fn test_webhook(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<TestResult, AppError>;
    /// Closes an open circuit and releases the held deliveries.
    async fn reset_circuit(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<WebhookOut, AppError>;
    /// A new signing secret, returned this once.
    async fn rotate_secret(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<WebhookWithSecret, AppError>;
    /// A webhook's delivery log, newest first.
    async fn deliveries(
        &self,
        session: &ConsoleSession,
        webhook_id: &str,
    ) -> Result<Page<DeliveryOut>, AppError>;
    /// One delivery with its payload and attempts.
    async fn delivery(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<DeliveryDetail, AppError>;
    /// Sends a finished delivery again.
    async fn retry_delivery(
        &self,
        session: &ConsoleSession,
        id: &str,
    ) -> Result<DeliveryOut, AppError>;
    /// The dashboard's numbers.
    async fn dashboard(&self, session: &ConsoleSession) -> Result<Dashboard, AppError>;
    /// Every account (`admin`).
    async fn accounts(&self, session: &ConsoleSession) -> Result<Vec<AccountOut>, AppError>;
    /// A new account (`admin`).
    async fn add_account(
        &self,
        session: &ConsoleSession,
        input: AccountIn,
    ) -> Result<AccountOut, AppError>;
    /// Checks that an `admin` key may act in `account_id` (`None`: its own)
    /// and returns the user as it will then be.
    async fn switch_account(
        &self,
        session: &ConsoleSession,
        account_id: Option<String>,
    ) -> Result<ConsoleUser, AppError>;
    /// A new company (`manage:account`).
    async fn add_company(
        &self,
        session: &ConsoleSession,
        input: CompanyIn,
    ) -> Result<CompanyOut, AppError>;
    /// The account's API keys (`manage:account`).
    async fn api_keys(&self, session: &ConsoleSession) -> Result<Vec<ApiKeyOut>, AppError>;
    /// A new API key, shown this once (`manage:account`).
    async fn create_api_key(
        &self,
        session: &ConsoleSession,
        input: ApiKeyIn,
    ) -> Result<ApiKeyCreated, AppError>;
    /// Revokes a key at once (`manage:account`).
    async fn revoke_api_key(&self, session: &ConsoleSession, id: &str) -> Result<(), AppError>;
    /// Adds a type to the catalog (`admin`).
    async fn add_event_type(
        &self,
        session: &ConsoleSession,
        input: EventTypeIn,
    ) -> Result<EventType, AppError>;
    /// Retires a type of the catalog (`admin`).
    async fn retire_event_type(&self, session: &ConsoleSession, id: i64) -> Result<(), AppError>;
    /// Publishes an event, as `POST /events` does.
    async fn publish_event(
        &self,
        session: &ConsoleSession,
        input: EventIn,
    ) -> Result<EventAccepted, AppError>;
}

/// How the backend is shared through Leptos context.
pub type SharedBackend = Arc<dyn Backend>;
