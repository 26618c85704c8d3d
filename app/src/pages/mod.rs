//! One file per route.

mod accounts;
mod api_keys;
mod companies;
mod dashboard;
mod delivery_detail;
mod event_types;
mod not_found;
mod portal_links;
mod send_event;
mod sign_in;
mod webhook_detail;
mod webhook_new;
mod webhooks;

pub use accounts::AccountsPage;
pub use api_keys::ApiKeysPage;
pub use companies::CompaniesPage;
pub use dashboard::DashboardPage;
pub use delivery_detail::DeliveryDetailPage;
pub use event_types::EventTypesPage;
pub use not_found::NotFoundPage;
pub use send_event::SendEventPage;
pub use sign_in::SignInPage;
pub use webhook_detail::WebhookDetailPage;
pub use webhook_new::NewWebhookPage;
pub use webhooks::WebhooksPage;
