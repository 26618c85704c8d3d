//! One file per route.

mod dashboard;
mod delivery_detail;
mod not_found;
mod send_event;
mod sign_in;
mod webhook_detail;
mod webhook_new;
mod webhooks;

pub use dashboard::DashboardPage;
pub use delivery_detail::DeliveryDetailPage;
pub use not_found::NotFoundPage;
pub use send_event::SendEventPage;
pub use sign_in::SignInPage;
pub use webhook_detail::WebhookDetailPage;
pub use webhook_new::NewWebhookPage;
pub use webhooks::WebhooksPage;
