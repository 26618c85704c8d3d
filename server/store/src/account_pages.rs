//! One page of an account's rows, newest first, with the total of every
//! page: the list-and-count every account-scoped list runs.

use super::{Db, StoreResult, on_pool};
use sqlx::{FromRow, postgres::PgRow, sqlite::SqliteRow};

/// Which rows a list reads: `columns` of `table`, and the column that
/// narrows them to one company.
pub(crate) struct AccountRows {
    pub table: &'static str,
    pub columns: &'static str,
    pub company_column: &'static str,
}

/// The rows of `account_id` (only `company_id`'s, when given): one page and the total.
pub(crate) async fn page<T>(
    db: &Db,
    rows: &AccountRows,
    account_id: &str,
    company_id: Option<&str>,
    (limit, offset): (i64, i64),
) -> StoreResult<(Vec<T>, i64)>
where
    T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin,
{
    let AccountRows {
        table,
        columns,
        company_column,
    } = rows;
    let filter =
        format!("FROM {table} WHERE account_id = $1 AND ($2 IS NULL OR {company_column} = $2)");
    let page_sql =
        format!("SELECT {columns} {filter} ORDER BY created_at DESC, id DESC LIMIT $3 OFFSET $4");
    let count_sql = format!("SELECT COUNT(*) {filter}");
    let (page, (total,)) = on_pool!(db, pool => {
        let page = sqlx::query_as::<_, T>(sqlx::AssertSqlSafe(page_sql))
            .bind(account_id)
            .bind(company_id)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: (i64,) = sqlx::query_as(sqlx::AssertSqlSafe(count_sql))
            .bind(account_id)
            .bind(company_id)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((page, total))
    })?;
    Ok((page, total))
}
