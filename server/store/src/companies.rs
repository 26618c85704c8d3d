//! Companies: the units an account manages (ATS-style integrations).

use super::{
    Db, StoreResult,
    account_pages::{self, AccountRows},
    on_pool, on_writer,
};

/// A `companies` row.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CompanyRow {
    pub id: String,
    pub account_id: String,
    pub name: String,
    pub created_at: i64,
}

pub async fn insert(db: &Db, company: &CompanyRow) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO companies (id, account_id, name, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(&company.id)
    .bind(&company.account_id)
    .bind(&company.name)
    .bind(company.created_at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

pub async fn find(db: &Db, id: &str) -> StoreResult<Option<CompanyRow>> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, CompanyRow>(
        "SELECT id, account_id, name, created_at FROM companies WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await)?;
    Ok(row)
}

/// One page of an account's companies (or only `company_id`), newest first, and the total.
pub async fn list(
    db: &Db,
    account_id: &str,
    company_id: Option<&str>,
    limit: i64,
    offset: i64,
) -> StoreResult<(Vec<CompanyRow>, i64)> {
    const COMPANIES: AccountRows = AccountRows {
        table: "companies",
        columns: "id, account_id, name, created_at",
        company_column: "id",
    };
    account_pages::page(db, &COMPANIES, account_id, company_id, (limit, offset)).await
}
