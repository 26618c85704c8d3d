//! Herald's model: the wire types shared by the console, the server
//! functions and the REST API, and the validation that both the browser
//! (compiled to wasm) and the server run. No Leptos, no HTTP, no SQL.

mod dashboard;
mod delivery;
mod error;
mod event_type;
mod portal;
pub mod profiles;
mod scope;
mod session;
mod tenancy;
pub mod validate;
mod webhook;

pub use dashboard::{Dashboard, MinuteVolume, WebhookHealth};
pub use delivery::{
    AttemptOut, DeliveryDetail, DeliveryOut, DeliveryStatus, EventAccepted, EventIn, HeaderPair,
    TestResult,
};
pub use error::{AppError, ErrorCode};
pub use event_type::{ALL_EVENTS, EventRef, EventType, EventTypeIn};
pub use portal::{AccountPatch, PortalLinkCreated, PortalLinkIn, PortalLinkOut, PortalView};
pub use scope::{Scope, ScopeParseError};
pub use session::ConsoleUser;
pub use tenancy::{
    AccountIn, AccountOut, ApiKeyCreated, ApiKeyIn, ApiKeyOut, CompanyIn, CompanyOut,
};
pub use webhook::{
    ConsoleWebhook, HeaderIn, HeaderOut, Page, WebhookIn, WebhookOut, WebhookPatch,
    WebhookWithSecret,
};
