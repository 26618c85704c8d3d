//! Authentication: which key is calling, and its account.

use super::{Service, ServiceError, ServiceResult};
use herald_engine::crypto;
use herald_model::{Scope, validate::ApiKeyInput};
use herald_store::api_keys;

/// Who is calling: an authenticated, unrevoked API key and its account.
#[derive(Debug, Clone)]
pub struct Principal {
    pub key_id: String,
    pub key_name: String,
    pub key_prefix: String,
    pub account_id: String,
    pub account_name: String,
    pub company_id: Option<String>,
    pub scopes: Vec<Scope>,
}

impl Service {
    /// The principal of a presented key; `Unauthorized` when it is
    /// malformed, unknown or revoked (a revocation by this process counts
    /// at once, by another within a second).
    pub async fn authenticate(&self, presented: &str) -> ServiceResult<Principal> {
        let invalid = || ServiceError::Unauthorized("Invalid API key");
        let key = ApiKeyInput::parse(presented).map_err(|_| invalid())?;
        let hash = crypto::sha256_hex(key.as_str());
        let read = async {
            let row = api_keys::find_active_by_hash(&self.db, &hash)
                .await?
                .ok_or_else(invalid)?;
            Ok(principal_from_row(row))
        };
        // A revocation here is a write: the next call reads again.
        self.read_caches.keys.get_or_read(hash.clone(), read).await
    }
}

pub(super) fn principal_from_row(row: api_keys::ActiveKeyRow) -> Principal {
    let scopes = super::api_keys::parse_scopes(&row.scopes);
    Principal {
        key_id: row.id,
        key_name: row.name,
        key_prefix: row.key_prefix,
        account_id: row.account_id,
        account_name: row.account_name,
        company_id: row.company_id,
        scopes,
    }
}
