//! Accounts, companies and the first-start bootstrap.

use super::{
    CreatedApiKey, ListQuery, NewApiKey, Principal, Service, ServiceError, ServiceResult, iso8601,
    paging::{self, Paging},
};
use herald_model::validate::required_name;
use herald_model::{
    AccountIn, AccountOut, CompanyIn, CompanyOut, Page, Scope, validate::FieldError,
};
use herald_store::{self, StoreError, accounts, api_keys, companies};

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
        let name = required_name("name", name, 255)?;
        let id = uuid::Uuid::new_v4().to_string();
        let row = accounts::insert_if_absent(&self.db, &id, &name, self.clock.now_ms()).await?;
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
            name: required_name("name", name, 255)?,
            created_at: self.clock.now_ms(),
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

impl Service {
    /// Every account, newest first (admin).
    pub async fn list_accounts(
        &self,
        caller: &Principal,
        query: ListQuery,
    ) -> ServiceResult<Page<AccountOut>> {
        caller.require(Scope::Admin)?;
        let paging = Paging::parse(&query)?;
        let (rows, total) = accounts::list(&self.db, paging.limit, paging.offset).await?;
        Ok(Page {
            data: rows.into_iter().map(account_out).collect(),
            total: paging::total(total),
        })
    }

    /// A new account (admin); names are unique.
    #[tracing::instrument(skip_all)]
    pub async fn add_account(
        &self,
        caller: &Principal,
        input: AccountIn,
    ) -> ServiceResult<AccountOut> {
        caller.require(Scope::Admin)?;
        let row = accounts::AccountRow {
            id: uuid::Uuid::new_v4().to_string(),
            name: required_name("name", &input.name, 255)?,
            created_at: self.clock.now_ms(),
            display_name: None,
            accent_color: None,
        };
        match accounts::insert(&self.db, &row).await {
            Err(StoreError::UniqueViolation) => Err(ServiceError::Conflict(format!(
                "An account named {} already exists",
                row.name
            ))),
            result => Ok(result.map(|()| account_out(row))?),
        }
    }

    /// The companies of the caller's account (a company-restricted key sees its own).
    pub async fn list_companies(
        &self,
        caller: &Principal,
        query: ListQuery,
    ) -> ServiceResult<Page<CompanyOut>> {
        caller.require(Scope::ManageAccount)?;
        let paging = Paging::parse(&query)?;
        let account = self
            .target_account(caller, query.account_id.as_deref())
            .await?;
        let only = Self::restrict_company(caller, query.company_id)?;
        let (rows, total) = companies::list(
            &self.db,
            &account.id,
            only.as_deref(),
            paging.limit,
            paging.offset,
        )
        .await?;
        Ok(Page {
            data: rows.into_iter().map(company_out).collect(),
            total: paging::total(total),
        })
    }

    /// The companies a caller may put a webhook under: its own for a
    /// caller bound to a company (a restricted key, a portal session), else
    /// those it may list (`manage:account`), none for a key that may not
    /// (its webhooks go where the key puts them).
    pub async fn company_choices(&self, caller: &Principal) -> ServiceResult<Vec<CompanyOut>> {
        if caller.company_id.is_some() {
            return Ok(vec![self.own_company(caller).await?]);
        }
        if caller.require(Scope::ManageAccount).is_err() {
            return Ok(Vec::new());
        }
        let page = self
            .list_companies(caller, ListQuery::largest_page())
            .await?;
        Ok(page.data)
    }

    /// The company a caller is bound to.
    async fn own_company(&self, caller: &Principal) -> ServiceResult<CompanyOut> {
        let not_found = || ServiceError::NotFound("Company not found".to_owned());
        let id = caller.company_id.as_deref().ok_or_else(not_found)?;
        let row = companies::find(&self.db, id).await?.ok_or_else(not_found)?;
        Ok(company_out(row))
    }

    /// A new company in the caller's account (or, for an admin, the one named).
    #[tracing::instrument(skip_all)]
    pub async fn add_company(
        &self,
        caller: &Principal,
        input: CompanyIn,
    ) -> ServiceResult<CompanyOut> {
        caller.require(Scope::ManageAccount)?;
        if caller.company_id.is_some() && !caller.is_admin() {
            return Err(ServiceError::AccessDenied(
                "A key restricted to a company cannot create companies",
            ));
        }
        let account = self
            .target_account(caller, input.account_id.as_deref())
            .await?;
        let company = self.create_company(&account, &input.name).await?;
        let row = companies::find(&self.db, &company.id)
            .await?
            .ok_or_else(|| ServiceError::NotFound("Company not found".to_owned()))?;
        Ok(company_out(row))
    }
}

pub(crate) fn account_out(row: accounts::AccountRow) -> AccountOut {
    AccountOut {
        id: row.id,
        name: row.name,
        created_at: iso8601(row.created_at),
        display_name: row.display_name,
        accent_color: row.accent_color,
    }
}

pub(crate) fn company_out(row: companies::CompanyRow) -> CompanyOut {
    CompanyOut {
        id: row.id,
        account_id: row.account_id,
        name: row.name,
        created_at: iso8601(row.created_at),
    }
}
