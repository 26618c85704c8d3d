//! Console sessions (SPEC §2): a random token in a cookie, its hash in the
//! database, a 12 h sliding expiry, ended by sign-out or key revocation.

use super::{Principal, Service, ServiceError, ServiceResult, auth::principal_from_row};
use crate::{
    crypto,
    store::{self, sessions},
};
use app::validate::ApiKeyInput;

const SESSION_LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// Extending on every request would write on every page view; once a minute is enough.
const EXTEND_AFTER_MS: i64 = 60 * 1000;

impl Service {
    /// Opens a session for a valid key; returns the token (shown to the browser only).
    #[tracing::instrument(skip_all)]
    pub async fn start_session(&self, api_key: &ApiKeyInput) -> ServiceResult<(String, Principal)> {
        let principal = self.authenticate(api_key.as_str()).await?;
        let now = store::now_ms();
        sessions::delete_expired(&self.db, now).await?;
        let token = crypto::generate_session_token();
        let token_hash = crypto::sha256_hex(&token);
        sessions::insert(
            &self.db,
            &token_hash,
            &principal.key_id,
            now,
            now + SESSION_LIFETIME_MS,
        )
        .await?;
        Ok((token, principal))
    }

    /// The principal of a live session, whose expiry slides forward with use.
    pub async fn session_principal(&self, token: &str) -> ServiceResult<Principal> {
        let token_hash = crypto::sha256_hex(token);
        let now = store::now_ms();
        let session = sessions::find_live(&self.db, &token_hash, now)
            .await?
            .ok_or(ServiceError::Unauthorized(
                "You are signed out. Sign in again.",
            ))?;
        let renewed = now + SESSION_LIFETIME_MS;
        if renewed - session.expires_at > EXTEND_AFTER_MS {
            sessions::set_expiry(&self.db, &token_hash, renewed).await?;
        }
        Ok(principal_from_row(session.key))
    }

    /// Deletes the session server-side, so its cookie is refused from now on.
    pub async fn end_session(&self, token: &str) -> ServiceResult<()> {
        Ok(sessions::delete(&self.db, &crypto::sha256_hex(token)).await?)
    }
}
