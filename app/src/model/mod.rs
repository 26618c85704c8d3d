//! Wire types shared by the console, the server functions and the REST API.

mod error;
mod scope;
mod session;

pub use error::{AppError, ErrorCode};
pub use scope::{Scope, ScopeParseError};
pub use session::ConsoleUser;
