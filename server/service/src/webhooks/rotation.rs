//! Rotating a webhook's signing secret (SPEC §3): the new one is returned
//! once, and the old one keeps signing beside it for 24 h.

use super::super::{Principal, Service, ServiceError, ServiceResult};
use herald_engine::crypto::SigningSecret;
use herald_model::{Scope, WebhookWithSecret};
use herald_store::webhooks;

/// How long the previous secret keeps signing after a rotation.
const PREVIOUS_SECRET_TTL_MS: i64 = 24 * 60 * 60 * 1000;
/// How often a rotation that lost a race with another starts over.
const ROTATION_TRIES: usize = 3;

impl Service {
    /// A new signing secret, returned once; the old one keeps signing beside it for 24 h.
    #[tracing::instrument(skip(self, caller))]
    pub async fn rotate_secret(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<WebhookWithSecret> {
        caller.require(Scope::WriteWebhooks)?;
        // Two rotations at once: one wins, the other starts over from it,
        // so the secret each returns stays valid for the 24 h promised.
        for _ in 0..ROTATION_TRIES {
            let row = self.visible_webhook(caller, id).await?;
            let now = self.clock.now_ms();
            let previous = self.open_secret(&row)?;
            let secret = SigningSecret::generate();
            let sealed = self.seal_secret(&row.id, &secret);
            let sealed_previous = self.seal_previous_secret(&row.id, &previous);
            let rotation = webhooks::Rotation {
                id,
                replaced: &row.signing_secret,
                signing_secret: &sealed,
                previous_signing_secret: &sealed_previous,
                previous_secret_expires_at: now + PREVIOUS_SECRET_TTL_MS,
                now,
            };
            if webhooks::rotate_secret(&self.db, &rotation).await? {
                // Unsent claims carry the old secrets only: signed again.
                self.engine.webhook_changed(id);
                let row = self.visible_webhook(caller, id).await?;
                return Ok(Self::with_secret(self.present(&row).await?, &secret));
            }
        }
        Err(ServiceError::Conflict(
            "The secret is being rotated by another request; try again".to_owned(),
        ))
    }
}
