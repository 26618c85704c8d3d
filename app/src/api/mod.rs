//! The console's server functions, served under `/console/fn/`. Each one
//! takes the session's caller, calls the service (from Leptos context, as
//! the server provides it) and maps the error; none holds business rules.

mod admin;
mod deliveries;
mod error;
mod load;
#[cfg(any(feature = "ssr", feature = "portal"))]
mod portal;
mod portal_links;
mod session;
#[cfg(feature = "ssr")]
mod ssr;
mod surface;
mod webhooks;

pub use admin::*;
pub use deliveries::*;
pub use error::ConsoleError;
pub use load::{JsonBytes, load};
#[cfg(any(feature = "ssr", feature = "portal"))]
pub use portal::*;
pub use portal_links::*;
pub use session::{CurrentUser, SignIn, SignOut, current_user, sign_in, sign_out};
#[cfg(feature = "ssr")]
pub use ssr::{portal_cookie, portal_token_from_headers, session_token_from_headers};
pub use surface::Surface;
pub use webhooks::*;
