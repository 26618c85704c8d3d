//! `POST /portal-links`, `GET /portal-links`, `DELETE /portal-links/{id}`.

use crate::{
    Account, ListQuery, Principal, Service, ServiceError, ServiceResult, iso8601,
    paging::{self, Paging},
};
use herald_engine::crypto;
use herald_model::{
    Page, PortalLinkCreated, PortalLinkIn, PortalLinkOut, Scope,
    validate::{FieldError, portal::link_lifetime},
};
use herald_store::{companies, portal};

const NOT_FOUND: &str = "Portal link not found";

impl Service {
    /// A link that opens the portal for one company, by a key holding what
    /// the link grants (`read:webhooks`, `read:deliveries`, and unless
    /// read-only `write:webhooks`), on a company the key may see.
    /// The URL carries the token, shown this once; only its hash is kept.
    #[tracing::instrument(skip_all)]
    pub async fn create_portal_link(
        &self,
        caller: &Principal,
        input: PortalLinkIn,
    ) -> ServiceResult<PortalLinkCreated> {
        let read_only = input.read_only.unwrap_or(false);
        for scope in super::granted_scopes(read_only) {
            caller.require(scope)?;
        }
        let lifetime_ms = link_lifetime(input.expires_in_seconds)? * 1000;
        let company_id = Self::restrict_company(caller, Some(input.company_id))?
            .ok_or_else(|| FieldError::new("companyId", "companyId is required"))?;
        let account = self.company_account(caller, &company_id).await?;
        let token = crypto::generate_portal_token();
        let id = uuid::Uuid::new_v4().to_string();
        let now = self.clock.now_ms();
        let expires_at = now + lifetime_ms;
        portal::insert_link(
            &self.db,
            &portal::NewLinkRow {
                id: &id,
                account_id: &account.id,
                company_id: &company_id,
                api_key_id: &caller.key_id,
                token_hash: &crypto::sha256_hex(&token),
                read_only,
                created_at: now,
                expires_at,
            },
        )
        .await?;
        Ok(PortalLinkCreated {
            id,
            url: format!("{}/portal/{token}", self.public_url),
            expires_at: iso8601(expires_at),
        })
    }

    /// The live links of the caller's account (or an admin's chosen one;
    /// a company-restricted key sees its company's), never their tokens.
    pub async fn list_portal_links(
        &self,
        caller: &Principal,
        query: ListQuery,
    ) -> ServiceResult<Page<PortalLinkOut>> {
        caller.require(Scope::ReadWebhooks)?;
        let paging = Paging::parse(&query)?;
        let account = self
            .target_account(caller, query.account_id.as_deref())
            .await?;
        let only = Self::restrict_company(caller, query.company_id)?;
        let window = (paging.limit, paging.offset);
        let (rows, total) = portal::list_live(
            &self.db,
            &account.id,
            only.as_deref(),
            self.clock.now_ms(),
            window,
        )
        .await?;
        Ok(Page {
            data: rows.into_iter().map(link_out).collect(),
            total: paging::total(total),
        })
    }

    /// Revokes a link (with the scope that could make it) and ends every
    /// session opened from it at once.
    #[tracing::instrument(skip(self, caller))]
    pub async fn revoke_portal_link(&self, caller: &Principal, id: &str) -> ServiceResult<()> {
        let not_found = || ServiceError::NotFound(NOT_FOUND.to_owned());
        uuid::Uuid::parse_str(id).map_err(|_| not_found())?;
        let link = portal::find_link(&self.db, id)
            .await?
            .ok_or_else(not_found)?;
        caller.require(link_scope(link.read_only))?;
        if !caller.can_see(&link.account_id, Some(&link.company_id)) {
            return Err(ServiceError::AccessDenied(
                "Access denied to this portal link",
            ));
        }
        if link.revoked_at.is_some() || !portal::revoke(&self.db, id, self.clock.now_ms()).await? {
            return Err(not_found());
        }
        Ok(())
    }

    /// The account of `company_id`, if the caller may see that company:
    /// an admin any account's, others their own account's.
    async fn company_account(
        &self,
        caller: &Principal,
        company_id: &str,
    ) -> ServiceResult<Account> {
        let unknown = || {
            ServiceError::from(FieldError::new(
                "companyId",
                format!("Company {company_id} not found"),
            ))
        };
        let company = companies::find(&self.db, company_id).await?;
        let company = company
            .filter(|company| caller.can_see(&company.account_id, Some(&company.id)))
            .ok_or_else(unknown)?;
        self.target_account(caller, Some(&company.account_id)).await
    }
}

/// Writing links need `write:webhooks`; read-only ones `read:webhooks`.
fn link_scope(read_only: bool) -> Scope {
    if read_only {
        Scope::ReadWebhooks
    } else {
        Scope::WriteWebhooks
    }
}

fn link_out(row: portal::LinkRow) -> PortalLinkOut {
    PortalLinkOut {
        id: row.id,
        company_id: row.company_id,
        company_name: row.company_name,
        read_only: row.read_only,
        api_key_id: row.api_key_id,
        created_at: iso8601(row.created_at),
        expires_at: iso8601(row.expires_at),
    }
}
