//! Portal sessions: opened from a live link, lasting no longer than it,
//! ended by its revocation or expiry (and by revoking the key that made it).

use crate::{Principal, Service, ServiceError, ServiceResult, iso8601};
use herald_engine::crypto;
use herald_model::{PortalView, validate::portal::is_link_token};
use herald_store::portal::{self, LiveLinkRow};

const UNKNOWN_LINK: &str = "This portal link does not exist. Check that it was copied whole.";
const DEAD_LINK: &str = "This portal link has expired or was revoked. Ask for a new one.";
const SESSION_ENDED: &str = "Your portal session has ended: its link expired or was revoked.";
const READ_ONLY: &str = "This portal link is read-only: it can change nothing.";

/// A session opened from a link: its token (for the browser's cookie only)
/// and when it ends, which is when the link does.
#[derive(Debug, Clone)]
pub struct OpenedPortal {
    pub session_token: String,
    pub expires_at_ms: i64,
    /// Seconds from now to the end, for the cookie's `Max-Age`.
    pub lifetime_seconds: i64,
}

/// What a portal call is about to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortalAccess {
    Read,
    Write,
}

impl Service {
    /// Opens a portal session from the token of a link's URL: 404 for a
    /// token that never was a link's, 403 for one expired or revoked.
    #[tracing::instrument(skip_all)]
    pub async fn open_portal(&self, link_token: &str) -> ServiceResult<OpenedPortal> {
        let unknown = || ServiceError::NotFound(UNKNOWN_LINK.to_owned());
        if !is_link_token(link_token) {
            return Err(unknown());
        }
        let token_hash = crypto::sha256_hex(link_token);
        let now = self.clock.now_ms();
        let Some(live) = portal::find_live_by_token(&self.db, &token_hash, now).await? else {
            return Err(if portal::token_exists(&self.db, &token_hash).await? {
                ServiceError::AccessDenied(DEAD_LINK)
            } else {
                unknown()
            });
        };
        portal::delete_expired_sessions(&self.db, now).await?;
        let session_token = crypto::generate_session_token();
        let expires_at_ms = live.link.expires_at;
        let session_hash = crypto::sha256_hex(&session_token);
        portal::insert_session(&self.db, &session_hash, &live.link.id, now, expires_at_ms).await?;
        Ok(OpenedPortal {
            session_token,
            expires_at_ms,
            lifetime_seconds: (expires_at_ms - now).div_euclid(1000).max(1),
        })
    }

    /// The principal a portal session acts as, checked now: its link live,
    /// and for `Write` not read-only. It is bound to the link's company and
    /// holds only the webhook and delivery scopes the link grants.
    pub async fn portal_caller(
        &self,
        session_token: &str,
        access: PortalAccess,
    ) -> ServiceResult<Principal> {
        let live = self.live_portal_link(session_token).await?;
        if access == PortalAccess::Write && live.link.read_only {
            return Err(ServiceError::AccessDenied(READ_ONLY));
        }
        Ok(portal_principal(live))
    }

    /// What the portal's pages show of the session: the account as it
    /// wants to be shown, the company, the rights and the end.
    pub async fn portal_view(&self, session_token: &str) -> ServiceResult<PortalView> {
        let live = self.live_portal_link(session_token).await?;
        Ok(PortalView {
            account_name: live.display_name.unwrap_or(live.account_name),
            accent_color: live.accent_color,
            company_name: live.link.company_name,
            read_only: live.link.read_only,
            scopes: super::granted_scopes(live.link.read_only),
            expires_at: iso8601(live.link.expires_at),
        })
    }

    async fn live_portal_link(&self, session_token: &str) -> ServiceResult<LiveLinkRow> {
        let token_hash = crypto::sha256_hex(session_token);
        portal::find_session_link(&self.db, &token_hash, self.clock.now_ms())
            .await?
            .ok_or(ServiceError::Unauthorized(SESSION_ENDED))
    }
}

fn portal_principal(live: LiveLinkRow) -> Principal {
    let scopes = super::granted_scopes(live.link.read_only);
    Principal {
        key_name: format!("portal link for {}", live.link.company_name),
        key_id: live.link.api_key_id,
        key_prefix: live.key_prefix,
        account_id: live.link.account_id,
        account_name: live.account_name,
        company_id: Some(live.link.company_id),
        scopes,
    }
}
