//! One file per route.

mod not_found;
mod sign_in;
mod webhooks;

pub use not_found::NotFoundPage;
pub use sign_in::SignInPage;
pub use webhooks::WebhooksPage;
