//! The console's server functions, served under `/console/fn/`. Each one
//! takes the session's caller, calls the service (from Leptos context, as
//! the server provides it) and maps the error; none holds business rules.

mod admin;
mod deliveries;
mod error;
mod load;
mod session;
#[cfg(feature = "ssr")]
mod ssr;
mod webhooks;

pub use admin::*;
pub use deliveries::*;
pub use error::ConsoleError;
pub use load::{JsonBytes, load};
pub use session::{CurrentUser, SignIn, SignOut, current_user, sign_in, sign_out};
#[cfg(feature = "ssr")]
pub use ssr::session_token_from_headers;
pub use webhooks::*;
