//! Wire types shared by the console, the server functions and the REST API.

mod error;
mod event_type;
mod scope;
mod session;
mod webhook;

pub use error::{AppError, ErrorCode};
pub use event_type::{ALL_EVENTS, EventRef, EventType};
pub use scope::{Scope, ScopeParseError};
pub use session::ConsoleUser;
pub use webhook::{
    HeaderIn, HeaderOut, Page, WebhookIn, WebhookOut, WebhookPatch, WebhookWithSecret,
};
