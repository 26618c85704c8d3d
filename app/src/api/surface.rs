//! Where a shared page is shown: the console or the customer portal. The
//! pages both show are generic over it, so each calls its own surface's
//! server functions and each bundle holds only its own surface's calls.

use super::{ConsoleError, portal as p};
use herald_model::{
    CompanyOut, ConsoleWebhook, DeliveryDetail, DeliveryOut, EventType, Page, TestResult,
    WebhookIn, WebhookOut, WebhookPatch, WebhookWithSecret,
};
use std::future::Future;

type Answer<T> = Result<T, ConsoleError>;

/// The calls a shared page makes, and where its links point.
/// Each method takes the surface's value, a unit struct the page was given.
pub trait Surface: Copy + Send + Sync + 'static {
    /// Where the surface's pages live, `/console` or `/portal`.
    const BASE: &'static str;
    /// The console shows what only the account needs (ids of other
    /// systems, the company a webhook belongs to); the portal does not.
    const ACCOUNT_DETAILS: bool;

    fn event_types(self) -> impl Future<Output = Answer<Vec<EventType>>> + Send;
    fn companies(self) -> impl Future<Output = Answer<Vec<CompanyOut>>> + Send;
    fn list_webhooks(
        self,
        company_id: Option<String>,
    ) -> impl Future<Output = Answer<Page<WebhookOut>>> + Send;
    fn get_webhook(self, id: String) -> impl Future<Output = Answer<ConsoleWebhook>> + Send;
    fn create_webhook(
        self,
        input: WebhookIn,
    ) -> impl Future<Output = Answer<WebhookWithSecret>> + Send;
    fn update_webhook(
        self,
        id: String,
        patch: WebhookPatch,
    ) -> impl Future<Output = Answer<WebhookOut>> + Send;
    fn delete_webhook(self, id: String) -> impl Future<Output = Answer<()>> + Send;
    fn test_webhook(self, id: String) -> impl Future<Output = Answer<TestResult>> + Send;
    fn reset_circuit(self, id: String) -> impl Future<Output = Answer<WebhookOut>> + Send;
    fn rotate_secret(self, id: String) -> impl Future<Output = Answer<WebhookWithSecret>> + Send;
    fn list_deliveries(
        self,
        webhook_id: String,
    ) -> impl Future<Output = Answer<Page<DeliveryOut>>> + Send;
    fn get_delivery(self, id: String) -> impl Future<Output = Answer<DeliveryDetail>> + Send;
    fn retry_delivery(self, id: String) -> impl Future<Output = Answer<DeliveryOut>> + Send;

    /// Where the surface's pages live.
    fn base(self) -> &'static str {
        Self::BASE
    }

    /// `rest` (`/webhooks/…`) under the surface.
    fn path(self, rest: &str) -> String {
        format!("{}{rest}", Self::BASE)
    }
}

/// The console, signed in with an API key.
#[derive(Clone, Copy)]
pub struct Console;

/// The customer portal, opened from a link for one company.
#[derive(Clone, Copy)]
pub struct Portal;

/// Each surface's calls are its server functions of the same name.
macro_rules! calls {
    ($($name:ident = $fn:path, ($($arg:ident: $ty:ty),*) -> $out:ty;)*) => {
        $(fn $name(self, $($arg: $ty),*) -> impl Future<Output = Answer<$out>> + Send { $fn($($arg),*) })*
    };
}

impl Surface for Console {
    const BASE: &'static str = "/console";
    const ACCOUNT_DETAILS: bool = true;
    calls! {
        event_types = super::event_types, () -> Vec<EventType>;
        companies = super::companies, () -> Vec<CompanyOut>;
        list_webhooks = super::list_webhooks, (company_id: Option<String>) -> Page<WebhookOut>;
        get_webhook = super::get_webhook, (id: String) -> ConsoleWebhook;
        create_webhook = super::create_webhook, (input: WebhookIn) -> WebhookWithSecret;
        update_webhook = super::update_webhook, (id: String, patch: WebhookPatch) -> WebhookOut;
        delete_webhook = super::delete_webhook, (id: String) -> ();
        test_webhook = super::test_webhook, (id: String) -> TestResult;
        reset_circuit = super::reset_circuit, (id: String) -> WebhookOut;
        rotate_secret = super::rotate_secret, (id: String) -> WebhookWithSecret;
        list_deliveries = super::list_deliveries, (webhook_id: String) -> Page<DeliveryOut>;
        get_delivery = super::get_delivery, (id: String) -> DeliveryDetail;
        retry_delivery = super::retry_delivery, (id: String) -> DeliveryOut;
    }
}

impl Surface for Portal {
    const BASE: &'static str = "/portal";
    const ACCOUNT_DETAILS: bool = false;
    fn list_webhooks(
        self,
        _: Option<String>,
    ) -> impl Future<Output = Answer<Page<WebhookOut>>> + Send {
        p::portal_list_webhooks()
    }
    calls! {
        event_types = p::portal_event_types, () -> Vec<EventType>;
        companies = p::portal_companies, () -> Vec<CompanyOut>;
        get_webhook = p::portal_get_webhook, (id: String) -> ConsoleWebhook;
        create_webhook = p::portal_create_webhook, (input: WebhookIn) -> WebhookWithSecret;
        update_webhook = p::portal_update_webhook, (id: String, patch: WebhookPatch) -> WebhookOut;
        delete_webhook = p::portal_delete_webhook, (id: String) -> ();
        test_webhook = p::portal_test_webhook, (id: String) -> TestResult;
        reset_circuit = p::portal_reset_circuit, (id: String) -> WebhookOut;
        rotate_secret = p::portal_rotate_secret, (id: String) -> WebhookWithSecret;
        list_deliveries = p::portal_list_deliveries, (webhook_id: String) -> Page<DeliveryOut>;
        get_delivery = p::portal_get_delivery, (id: String) -> DeliveryDetail;
        retry_delivery = p::portal_retry_delivery, (id: String) -> DeliveryOut;
    }
}
