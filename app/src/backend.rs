//! The operations the console needs, in model types. The server implements
//! this trait over its service layer and provides it to the server functions
//! through Leptos context, so no server function touches storage itself.

use crate::{
    model::{AppError, ConsoleUser},
    validate::ApiKeyInput,
};
use std::sync::Arc;

/// A new console session: the token for the cookie and who it belongs to.
pub struct SignedIn {
    pub session_token: String,
    pub user: ConsoleUser,
}

#[async_trait::async_trait]
pub trait Backend: Send + Sync + 'static {
    /// Checks the API key and opens a session for it.
    async fn sign_in(&self, api_key: ApiKeyInput) -> Result<SignedIn, AppError>;
    /// The user of a live session (extending it), or `Unauthorized`.
    async fn session_user(&self, session_token: &str) -> Result<ConsoleUser, AppError>;
    /// Ends the session server-side; unknown tokens are ignored.
    async fn sign_out(&self, session_token: &str) -> Result<(), AppError>;
    /// Whether the session cookie must carry `Secure` (the public URL is https).
    fn secure_cookies(&self) -> bool;
}

/// How the backend is shared through Leptos context.
pub type SharedBackend = Arc<dyn Backend>;
