//! Accounts, companies and the first-start bootstrap.

use super::{CreatedApiKey, NewApiKey, Service, ServiceError, ServiceResult, validate_name};
use crate::store::{self, accounts, api_keys, companies};
use app::{model::Scope, validate::FieldError};

/// The account created on first start and used by the CLI by default.
pub const DEFAULT_ACCOUNT: &str = "default";

/// A tenant.
#[derive(Debug, Clone)]
pub struct Account {
    pub id: String,
    pub name: String,
}

/// A company of an account.
#[derive(Debug, Clone)]
pub struct Company {
    pub id: String,
    pub account_id: String,
    pub name: String,
}

impl Service {
    /// The account with this name, created when it does not exist yet.
    #[tracing::instrument(skip(self))]
    pub async fn ensure_account(&self, name: &str) -> ServiceResult<Account> {
        let name = validate_name("name", name, 255)?;
        let id = uuid::Uuid::new_v4().to_string();
        let row = accounts::insert_if_absent(&self.db, &id, &name, store::now_ms()).await?;
        Ok(Account {
            id: row.id,
            name: row.name,
        })
    }

    /// Creates a company in `account`.
    #[tracing::instrument(skip(self, account), fields(account = %account.name))]
    pub async fn create_company(&self, account: &Account, name: &str) -> ServiceResult<Company> {
        let row = companies::CompanyRow {
            id: uuid::Uuid::new_v4().to_string(),
            account_id: account.id.clone(),
            name: validate_name("name", name, 255)?,
            created_at: store::now_ms(),
        };
        companies::insert(&self.db, &row).await?;
        Ok(Company {
            id: row.id,
            account_id: row.account_id,
            name: row.name,
        })
    }

    /// The company `company_id` if it belongs to `account`.
    pub(super) async fn company_of(
        &self,
        account: &Account,
        company_id: &str,
    ) -> ServiceResult<Company> {
        let not_found = || {
            let message = format!("Company {company_id} not found in account {}", account.name);
            ServiceError::from(FieldError::new("companyId", message))
        };
        let row = companies::find(&self.db, company_id)
            .await?
            .ok_or_else(not_found)?;
        if row.account_id != account.id {
            return Err(not_found());
        }
        Ok(Company {
            id: row.id,
            account_id: row.account_id,
            name: row.name,
        })
    }

    /// On a database with no API key at all, creates the `default` account
    /// and an `admin` key, returned once; otherwise does nothing.
    #[tracing::instrument(skip(self))]
    pub async fn bootstrap(&self) -> ServiceResult<Option<CreatedApiKey>> {
        if api_keys::any_exists(&self.db).await? {
            return Ok(None);
        }
        let account = self.ensure_account(DEFAULT_ACCOUNT).await?;
        let request = NewApiKey {
            name: "bootstrap admin".to_owned(),
            scopes: vec![Scope::Admin],
            company_id: None,
        };
        Ok(Some(self.create_api_key(&account, request).await?))
    }
}
