//! The console's server functions, served under `/console/fn/`. Each one
//! takes the session's caller, calls the service (from Leptos context, as
//! the server provides it) and maps the error; none holds business rules.

mod admin;
mod deliveries;
mod error;
mod load;
mod portal;
mod session;
#[cfg(feature = "ssr")]
mod ssr;
mod surface;
mod webhooks;

pub use admin::*;
pub use deliveries::*;
pub use error::ConsoleError;
pub use load::{JsonBytes, load};
pub use portal::*;
pub use session::{CurrentUser, SignIn, SignOut, current_user, sign_in, sign_out};
#[cfg(feature = "ssr")]
pub use ssr::{portal_cookie, portal_token_from_headers, session_token_from_headers};
pub use surface::{Console, Portal, Surface};
pub use webhooks::*;
