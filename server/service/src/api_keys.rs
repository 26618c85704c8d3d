//! API keys: creation (shown once), listing, revocation (SPEC §2).

use super::{
    Account, ListQuery, Principal, Service, ServiceError, ServiceResult, iso8601,
    paging::{self, Paging},
};
use herald_engine::crypto;
use herald_model::validate::required_name;
use herald_model::{ApiKeyCreated, ApiKeyIn, ApiKeyOut, Page, Scope, validate::FieldError};
use herald_store::{self, api_keys, sessions};

/// Characters of a key kept visible (`sk_` and the first 8 of its body) to tell keys apart.
const VISIBLE_PREFIX_LEN: usize = 11;
const NOT_FOUND: &str = "API key not found";

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

impl Service {
    /// Creates a key in `account` (the CLI's path: no caller); only its hash and prefix are stored.
    #[tracing::instrument(skip(self, account), fields(account = %account.name))]
    pub async fn create_api_key(
        &self,
        account: &Account,
        request: NewApiKey,
    ) -> ServiceResult<CreatedApiKey> {
        let name = required_name("name", &request.name, 255)?;
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
            created_at: self.clock.now_ms(),
        };
        api_keys::insert(&self.db, &row).await?;
        Ok(created)
    }

    /// A key made by a `manage:account` caller, who can grant only scopes it holds.
    #[tracing::instrument(skip_all)]
    pub async fn issue_api_key(
        &self,
        caller: &Principal,
        input: ApiKeyIn,
    ) -> ServiceResult<ApiKeyCreated> {
        caller.require(Scope::ManageAccount)?;
        if let Some(scope) = input
            .scopes
            .iter()
            .find(|scope| !scope.is_granted_by(&caller.scopes))
        {
            return Err(ServiceError::CannotGrant(*scope));
        }
        let account = self
            .target_account(caller, input.account_id.as_deref())
            .await?;
        let company_id = Self::restrict_company(caller, input.company_id)?;
        let request = NewApiKey {
            name: input.name,
            scopes: input.scopes,
            company_id,
        };
        let created = self.create_api_key(&account, request).await?;
        let row = api_keys::find(&self.db, &created.id)
            .await?
            .ok_or_else(|| ServiceError::NotFound(NOT_FOUND.to_owned()))?;
        Ok(ApiKeyCreated {
            api_key: api_key_out(row),
            key: created.key,
        })
    }

    /// The keys of the caller's account (or an admin's chosen one), newest first.
    pub async fn list_api_keys(
        &self,
        caller: &Principal,
        query: ListQuery,
    ) -> ServiceResult<Page<ApiKeyOut>> {
        caller.require(Scope::ManageAccount)?;
        let paging = Paging::parse(&query)?;
        let account = self
            .target_account(caller, query.account_id.as_deref())
            .await?;
        let company_id = Self::restrict_company(caller, query.company_id)?;
        let (rows, total) = api_keys::list(
            &self.db,
            &account.id,
            company_id.as_deref(),
            paging.limit,
            paging.offset,
        )
        .await?;
        Ok(Page {
            data: rows.into_iter().map(api_key_out).collect(),
            total: paging::total(total),
        })
    }

    /// Revokes a key at once (its sessions end too); the last `admin` key stays.
    #[tracing::instrument(skip(self, caller))]
    pub async fn revoke_api_key_for(&self, caller: &Principal, key_id: &str) -> ServiceResult<()> {
        caller.require(Scope::ManageAccount)?;
        let not_found = || ServiceError::NotFound(NOT_FOUND.to_owned());
        uuid::Uuid::parse_str(key_id).map_err(|_| not_found())?;
        let row = api_keys::find(&self.db, key_id)
            .await?
            .ok_or_else(not_found)?;
        if !caller.can_see(&row.account_id, row.company_id.as_deref()) {
            return Err(ServiceError::AccessDenied("Access denied to this API key"));
        }
        if row.revoked_at.is_some() {
            return Ok(());
        }
        let is_admin_key = parse_scopes(&row.scopes).contains(&Scope::Admin);
        if is_admin_key && api_keys::count_active_admins(&self.db).await? <= 1 {
            return Err(ServiceError::Conflict(
                "The last admin API key cannot be revoked".to_owned(),
            ));
        }
        self.revoke_api_key(&row.account_id, key_id).await
    }

    /// Revokes a key of `account` at once, ending its console sessions.
    #[tracing::instrument(skip(self))]
    pub async fn revoke_api_key(&self, account_id: &str, key_id: &str) -> ServiceResult<()> {
        if !api_keys::revoke(&self.db, account_id, key_id, self.clock.now_ms()).await? {
            return Err(ServiceError::NotFound(NOT_FOUND.to_owned()));
        }
        sessions::delete_for_key(&self.db, key_id).await?;
        Ok(())
    }
}

/// Stored scopes were validated on the way in; a name this build does not know grants nothing.
pub(super) fn parse_scopes(stored: &str) -> Vec<Scope> {
    stored
        .split(',')
        .filter_map(|scope| scope.parse().ok())
        .collect()
}

fn api_key_out(row: api_keys::ApiKeyRow) -> ApiKeyOut {
    ApiKeyOut {
        scopes: parse_scopes(&row.scopes),
        id: row.id,
        account_id: row.account_id,
        name: row.name,
        prefix: row.key_prefix,
        company_id: row.company_id,
        created_at: iso8601(row.created_at),
        revoked_at: row.revoked_at.map(iso8601),
    }
}
