//! Who may do what (SPEC §2): scopes, accounts and company restrictions.

use super::{Account, Principal, Service, ServiceError, ServiceResult};
use herald_model::Scope;
use herald_store::accounts;

impl Principal {
    /// Refuses with `Required scope X not found` unless the key holds `scope` (or `admin`).
    pub fn require(&self, scope: Scope) -> ServiceResult<()> {
        if scope.is_granted_by(&self.scopes) {
            Ok(())
        } else {
            Err(ServiceError::MissingScope(scope))
        }
    }

    pub fn is_admin(&self) -> bool {
        self.scopes.contains(&Scope::Admin)
    }

    /// Whether this key may see a resource of `account_id` (and of `company_id`, `None` = global).
    pub fn can_see(&self, account_id: &str, company_id: Option<&str>) -> bool {
        if self.is_admin() {
            return true;
        }
        if account_id != self.account_id {
            return false;
        }
        match &self.company_id {
            Some(own) => company_id == Some(own.as_str()),
            None => true,
        }
    }
}

impl Service {
    /// The account a call acts on: the caller's own, or for an `admin` key
    /// the one named by `accountId`.
    pub(super) async fn target_account(
        &self,
        caller: &Principal,
        account_id: Option<&str>,
    ) -> ServiceResult<Account> {
        if account_id.is_none_or(|id| id == caller.account_id) {
            // The key's own account, read with the key: no second look-up.
            return Ok(Account {
                id: caller.account_id.clone(),
                name: caller.account_name.clone(),
            });
        }
        let id = match account_id {
            Some(id) if id != caller.account_id => {
                if !caller.is_admin() {
                    return Err(ServiceError::AccessDenied("Access denied to this account"));
                }
                id
            }
            _ => caller.account_id.as_str(),
        };
        let row = accounts::find(&self.db, id)
            .await?
            .ok_or_else(|| ServiceError::NotFound("Account not found".to_owned()))?;
        Ok(Account {
            id: row.id,
            name: row.name,
        })
    }

    /// The company a company-restricted key is bound to wins over what it asks for.
    pub(super) fn restrict_company(
        caller: &Principal,
        requested: Option<String>,
    ) -> ServiceResult<Option<String>> {
        match (&caller.company_id, requested) {
            (Some(own), Some(requested)) if *own != requested && !caller.is_admin() => {
                Err(ServiceError::AccessDenied("Access denied to this company"))
            }
            (Some(own), _) if !caller.is_admin() => Ok(Some(own.clone())),
            (_, requested) => Ok(requested),
        }
    }
}
