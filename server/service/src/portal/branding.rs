//! `PATCH /accounts/{id}`: how the customer portal shows an account.

use crate::{Principal, Service, ServiceError, ServiceResult};
use herald_model::{
    AccountOut, AccountPatch, Scope,
    validate::portal::{accent_color, display_name},
};
use herald_store::accounts;

impl Service {
    /// Sets the account's portal display name and accent colour (the
    /// fields sent; `null` clears one): `admin` on any account,
    /// `manage:account` on its own unless restricted to a company.
    #[tracing::instrument(skip(self, caller, patch))]
    pub async fn update_account(
        &self,
        caller: &Principal,
        id: &str,
        patch: AccountPatch,
    ) -> ServiceResult<AccountOut> {
        let row = self.managed_account(caller, id).await?;
        let name = match patch.display_name {
            Some(name) => display_name(name.as_deref())?,
            None => row.display_name.clone(),
        };
        let color = match patch.accent_color {
            Some(color) => accent_color(color.as_deref())?,
            None => row.accent_color.clone(),
        };
        if !accounts::set_branding(&self.db, id, name.as_deref(), color.as_deref()).await? {
            return Err(account_not_found());
        }
        Ok(crate::accounts::account_out(accounts::AccountRow {
            display_name: name,
            accent_color: color,
            ..row
        }))
    }

    /// One account as its owner sees it, with its portal settings: the
    /// same rights as [`Service::update_account`].
    pub async fn managed_account_out(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<AccountOut> {
        let row = self.managed_account(caller, id).await?;
        Ok(crate::accounts::account_out(row))
    }

    async fn managed_account(
        &self,
        caller: &Principal,
        id: &str,
    ) -> ServiceResult<accounts::AccountRow> {
        caller.require(Scope::ManageAccount)?;
        if !caller.is_admin() && (id != caller.account_id || caller.company_id.is_some()) {
            return Err(ServiceError::AccessDenied("Access denied to this account"));
        }
        accounts::find(&self.db, id)
            .await?
            .ok_or_else(account_not_found)
    }
}

fn account_not_found() -> ServiceError {
    ServiceError::NotFound("Account not found".to_owned())
}
