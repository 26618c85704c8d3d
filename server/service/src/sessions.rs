//! Console sessions (SPEC §2): a random token in a cookie, its hash in the
//! database, a 12 h sliding expiry, ended by sign-out or key revocation.
//! An `admin` key may act in another account, chosen in the switcher and
//! checked again on every request.

use super::{Principal, Service, ServiceError, ServiceResult, auth::principal_from_row};
use herald_engine::crypto;
use herald_model::{ConsoleUser, Scope, validate::ApiKeyInput};
use herald_store::sessions;

const SESSION_LIFETIME_MS: i64 = 12 * 60 * 60 * 1000;
/// Extending on every request would write on every page view; once a minute is enough.
const EXTEND_AFTER_MS: i64 = 60 * 1000;

/// The console session a request carries: its token and, for an `admin`
/// key, the account chosen in the account switcher.
#[derive(Clone, Debug)]
pub struct ConsoleSession {
    pub token: String,
    pub account_id: Option<String>,
}

impl Principal {
    /// The principal as the console shows its user.
    pub fn console_user(self) -> ConsoleUser {
        ConsoleUser {
            account_id: self.account_id,
            account_name: self.account_name,
            key_name: self.key_name,
            key_prefix: self.key_prefix,
            scopes: self.scopes,
        }
    }
}

impl Service {
    /// Whether session cookies must carry `Secure` (the public URL is https).
    pub fn secure_cookies(&self) -> bool {
        self.secure_cookies
    }

    /// Opens a session for a valid key; returns the token (shown to the browser only).
    #[tracing::instrument(skip_all)]
    pub async fn start_session(&self, api_key: &ApiKeyInput) -> ServiceResult<(String, Principal)> {
        let principal = self.authenticate(api_key.as_str()).await?;
        let now = self.clock.now_ms();
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
        let now = self.clock.now_ms();
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

    /// The session's principal, acting in the account the switcher chose
    /// when the key is `admin` (an admin may act in any account); a chosen
    /// account that no longer exists is ignored.
    pub async fn console_caller(&self, session: &ConsoleSession) -> ServiceResult<Principal> {
        let mut principal = self.session_principal(&session.token).await?;
        let chosen = session
            .account_id
            .as_deref()
            .filter(|id| principal.is_admin() && *id != principal.account_id);
        if let Some(account_id) = chosen
            && let Ok(account) = self.target_account(&principal, Some(account_id)).await
        {
            principal.account_id = account.id;
            principal.account_name = account.name;
        }
        Ok(principal)
    }

    /// Checks that the session's `admin` key may act in `account_id`
    /// (`None`: its own) and returns the principal as it will then be.
    pub async fn switch_account(
        &self,
        session: &ConsoleSession,
        account_id: Option<&str>,
    ) -> ServiceResult<Principal> {
        let home = self.session_principal(&session.token).await?;
        let Some(account_id) = account_id else {
            return Ok(home);
        };
        home.require(Scope::Admin)?;
        let account = self.target_account(&home, Some(account_id)).await?;
        Ok(Principal {
            account_id: account.id,
            account_name: account.name,
            ..home
        })
    }

    /// Deletes the session server-side, so its cookie is refused from now on.
    pub async fn end_session(&self, token: &str) -> ServiceResult<()> {
        Ok(sessions::delete(&self.db, &crypto::sha256_hex(token)).await?)
    }
}
