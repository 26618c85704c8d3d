//! API keys: creation, authentication, revocation.

use super::{Account, Service, ServiceError, ServiceResult, validate_name};
use crate::{
    crypto,
    store::{self, api_keys, sessions},
};
use app::{
    model::Scope,
    validate::{ApiKeyInput, FieldError},
};

/// Characters of a key kept visible (`sk_` and the first 8 of its body) to tell keys apart.
const VISIBLE_PREFIX_LEN: usize = 11;

/// What a new key may do.
#[derive(Debug, Clone)]
pub struct NewApiKey {
    pub name: String,
    pub scopes: Vec<Scope>,
    pub company_id: Option<String>,
}

/// A key just created: the only time its plaintext exists.
#[derive(Clone)]
pub struct CreatedApiKey {
    pub id: String,
    pub key: String,
    pub prefix: String,
}

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
    /// Creates a key in `account`; only its hash and prefix are stored.
    #[tracing::instrument(skip(self, account), fields(account = %account.name))]
    pub async fn create_api_key(
        &self,
        account: &Account,
        request: NewApiKey,
    ) -> ServiceResult<CreatedApiKey> {
        let name = validate_name("name", &request.name, 255)?;
        if request.scopes.is_empty() {
            return Err(FieldError::new("scopes", "scopes must name at least one scope").into());
        }
        if let Some(company_id) = &request.company_id {
            self.company_of(account, company_id).await?;
        }
        let key = crypto::generate_api_key();
        let created = CreatedApiKey {
            id: uuid::Uuid::new_v4().to_string(),
            prefix: key[..VISIBLE_PREFIX_LEN].to_owned(),
            key,
        };
        let row = api_keys::NewApiKeyRow {
            id: &created.id,
            account_id: &account.id,
            company_id: request.company_id.as_deref(),
            name: &name,
            key_prefix: &created.prefix,
            key_hash: &crypto::sha256_hex(&created.key),
            scopes: &Scope::join(&request.scopes),
            created_at: store::now_ms(),
        };
        api_keys::insert(&self.db, &row).await?;
        Ok(created)
    }

    /// The principal of a presented key; `Unauthorized` when it is malformed, unknown or revoked.
    pub async fn authenticate(&self, presented: &str) -> ServiceResult<Principal> {
        let invalid = || ServiceError::Unauthorized("Invalid API key");
        let key = ApiKeyInput::parse(presented).map_err(|_| invalid())?;
        let row = api_keys::find_active_by_hash(&self.db, &crypto::sha256_hex(key.as_str()))
            .await?
            .ok_or_else(invalid)?;
        Ok(principal_from_row(row))
    }

    /// Revokes a key of `account` at once, ending its console sessions.
    #[tracing::instrument(skip(self))]
    pub async fn revoke_api_key(&self, account_id: &str, key_id: &str) -> ServiceResult<()> {
        if !api_keys::revoke(&self.db, account_id, key_id, store::now_ms()).await? {
            return Err(ServiceError::NotFound("API key not found".to_owned()));
        }
        sessions::delete_for_key(&self.db, key_id).await?;
        Ok(())
    }
}

pub(super) fn principal_from_row(row: api_keys::ActiveKeyRow) -> Principal {
    // Stored scopes were validated on the way in; a name this build does not know grants nothing.
    let scopes = row
        .scopes
        .split(',')
        .filter_map(|scope| scope.parse().ok())
        .collect();
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
