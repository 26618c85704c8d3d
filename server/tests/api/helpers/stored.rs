//! What the database holds, read back whole: for checks that a refused call
//! changed nothing stored.

use herald_store::Db;
use sqlx::{Column, Decode, Row, Type, TypeInfo};

/// Every row of each table, each column as text, rows in a stable order.
pub async fn tables(db: &Db, tables: &[&str]) -> Vec<(String, Vec<Vec<String>>)> {
    let mut all = Vec::new();
    for table in tables {
        let sql = format!("SELECT * FROM {table}");
        let mut rows: Vec<Vec<String>> = match db {
            Db::Sqlite(pools) => sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&pools.reads)
                .await
                .unwrap()
                .iter()
                .map(render)
                .collect(),
            Db::Postgres(pool) => sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(pool)
                .await
                .unwrap()
                .iter()
                .map(render)
                .collect(),
        };
        rows.sort();
        all.push(((*table).to_owned(), rows));
    }
    all
}

/// One row's columns as text, whatever their types (the ones Herald's
/// schema uses on either database).
fn render<'r, R>(row: &'r R) -> Vec<String>
where
    R: Row,
    usize: sqlx::ColumnIndex<R>,
    Option<String>: Decode<'r, R::Database> + Type<R::Database>,
    Option<i64>: Decode<'r, R::Database> + Type<R::Database>,
    Option<i32>: Decode<'r, R::Database> + Type<R::Database>,
    Option<bool>: Decode<'r, R::Database> + Type<R::Database>,
    Option<Vec<u8>>: Decode<'r, R::Database> + Type<R::Database>,
{
    (0..row.len())
        .map(|at| {
            let column = row.column(at);
            let named = |value: String| format!("{}={value}", column.name());
            if let Ok(value) = row.try_get::<Option<String>, _>(at) {
                named(format!("{value:?}"))
            } else if let Ok(value) = row.try_get::<Option<i64>, _>(at) {
                named(format!("{value:?}"))
            } else if let Ok(value) = row.try_get::<Option<i32>, _>(at) {
                named(format!("{value:?}"))
            } else if let Ok(value) = row.try_get::<Option<bool>, _>(at) {
                named(format!("{value:?}"))
            } else if let Ok(value) = row.try_get::<Option<Vec<u8>>, _>(at) {
                named(format!("{value:?}"))
            } else {
                panic!(
                    "column {} has a type ({}) this reader does not know",
                    column.name(),
                    column.type_info().name()
                )
            }
        })
        .collect()
}
