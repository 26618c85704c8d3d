//! Portal links and the sessions opened from them (SPEC §8), stored by the
//! SHA-256 of their tokens.

use super::{BeginWrite, Db, StoreResult, on_pool, on_writer};

/// A new `portal_links` row.
pub struct NewLinkRow<'a> {
    pub id: &'a str,
    pub account_id: &'a str,
    pub company_id: &'a str,
    pub api_key_id: &'a str,
    pub token_hash: &'a str,
    pub read_only: bool,
    pub created_at: i64,
    pub expires_at: i64,
}

/// A link as its account lists it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LinkRow {
    pub id: String,
    pub account_id: String,
    pub company_id: String,
    pub company_name: String,
    pub api_key_id: String,
    pub read_only: bool,
    pub created_at: i64,
    pub expires_at: i64,
    pub revoked_at: Option<i64>,
}

/// What a live portal session acts with: its link, the company and the
/// account, and how the account wants the portal to look.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LiveLinkRow {
    #[sqlx(flatten)]
    pub link: LinkRow,
    pub account_name: String,
    pub display_name: Option<String>,
    pub accent_color: Option<String>,
    pub key_prefix: String,
}

/// The columns of a [`LinkRow`], `l` the link and `c` its company.
macro_rules! link_columns {
    () => {
        "l.id, l.account_id, l.company_id, c.name AS company_name, l.api_key_id, l.read_only, \
         l.created_at, l.expires_at, l.revoked_at"
    };
}

/// A live link and what its portal shows, `$condition` added: a link is
/// live until it expires (`$2` is now) or is revoked, and while the key
/// that made it is not revoked.
macro_rules! live_link_select {
    ($condition:literal) => {
        concat!(
            "SELECT ",
            link_columns!(),
            ", a.name AS account_name, a.display_name, a.accent_color, k.key_prefix \
             FROM portal_links l JOIN companies c ON c.id = l.company_id \
             JOIN accounts a ON a.id = l.account_id JOIN api_keys k ON k.id = l.api_key_id \
             WHERE l.revoked_at IS NULL AND l.expires_at > $2 AND k.revoked_at IS NULL",
            $condition
        )
    };
}

pub async fn insert_link(db: &Db, row: &NewLinkRow<'_>) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO portal_links (id, account_id, company_id, api_key_id, token_hash, read_only, \
         created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(row.id)
    .bind(row.account_id)
    .bind(row.company_id)
    .bind(row.api_key_id)
    .bind(row.token_hash)
    .bind(row.read_only)
    .bind(row.created_at)
    .bind(row.expires_at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The unexpired, unrevoked links of `account_id` (only `company_id`'s
/// when given), newest first: one page and the total.
pub async fn list_live(
    db: &Db,
    account_id: &str,
    company_id: Option<&str>,
    now: i64,
    (limit, offset): (i64, i64),
) -> StoreResult<(Vec<LinkRow>, i64)> {
    macro_rules! from_live_of_account {
        () => {
            " FROM portal_links l JOIN companies c ON c.id = l.company_id \
             JOIN api_keys k ON k.id = l.api_key_id \
             WHERE l.account_id = $1 AND ($2 IS NULL OR l.company_id = $2) \
             AND l.revoked_at IS NULL AND l.expires_at > $3 AND k.revoked_at IS NULL"
        };
    }
    const PAGE: &str = concat!(
        "SELECT ",
        link_columns!(),
        from_live_of_account!(),
        " ORDER BY l.created_at DESC, l.id DESC LIMIT $4 OFFSET $5"
    );
    const COUNT: &str = concat!("SELECT COUNT(*)", from_live_of_account!());
    let (rows, (total,)) = on_pool!(db, pool => {
        let rows = sqlx::query_as::<_, LinkRow>(PAGE)
            .bind(account_id)
            .bind(company_id)
            .bind(now)
            .bind(limit)
            .bind(offset)
            .fetch_all(pool)
            .await?;
        let total: (i64,) = sqlx::query_as(COUNT)
            .bind(account_id)
            .bind(company_id)
            .bind(now)
            .fetch_one(pool)
            .await?;
        Ok::<_, sqlx::Error>((rows, total))
    })?;
    Ok((rows, total))
}

/// One link by id, revoked or expired alike.
pub async fn find_link(db: &Db, id: &str) -> StoreResult<Option<LinkRow>> {
    const SQL: &str = concat!(
        "SELECT ",
        link_columns!(),
        " FROM portal_links l JOIN companies c ON c.id = l.company_id WHERE l.id = $1"
    );
    let row = on_pool!(db, pool => sqlx::query_as::<_, LinkRow>(SQL)
        .bind(id)
        .fetch_optional(pool)
        .await)?;
    Ok(row)
}

/// The live link a token opens.
pub async fn find_live_by_token(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> StoreResult<Option<LiveLinkRow>> {
    const SQL: &str = live_link_select!(" AND l.token_hash = $1");
    fetch_live(db, SQL, token_hash, now).await
}

/// Whether a token was ever a link's (an unknown token is told apart from a dead one).
pub async fn token_exists(db: &Db, token_hash: &str) -> StoreResult<bool> {
    let found: Option<(String,)> = on_pool!(db, pool => sqlx::query_as(
        "SELECT id FROM portal_links WHERE token_hash = $1",
    )
    .bind(token_hash)
    .fetch_optional(pool)
    .await)?;
    Ok(found.is_some())
}

/// Revokes the link and ends its sessions in one transaction; false when it was revoked already.
pub async fn revoke(db: &Db, id: &str, now: i64) -> StoreResult<bool> {
    let revoked = on_writer!(db, pool => {
        let mut tx = pool.begin_write().await?;
        let done = sqlx::query(
            "UPDATE portal_links SET revoked_at = $2 WHERE id = $1 AND revoked_at IS NULL",
        )
        .bind(id)
        .bind(now)
        .execute(&mut *tx)
        .await?;
        sqlx::query("DELETE FROM portal_sessions WHERE link_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok::<_, sqlx::Error>(done.rows_affected())
    })?;
    Ok(revoked > 0)
}

pub async fn insert_session(
    db: &Db,
    token_hash: &str,
    link_id: &str,
    now: i64,
    expires_at: i64,
) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query(
        "INSERT INTO portal_sessions (token_hash, link_id, created_at, expires_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(token_hash)
    .bind(link_id)
    .bind(now)
    .bind(expires_at)
    .execute(pool)
    .await
    .map(|done| done.rows_affected()))?;
    Ok(())
}

/// The live link of an unexpired session: a revoked or expired link ends it.
pub async fn find_session_link(
    db: &Db,
    token_hash: &str,
    now: i64,
) -> StoreResult<Option<LiveLinkRow>> {
    const SQL: &str = live_link_select!(
        " AND l.id = (SELECT s.link_id FROM portal_sessions s WHERE s.token_hash = $1 AND s.expires_at > $2)"
    );
    fetch_live(db, SQL, token_hash, now).await
}

/// A live link with what its portal shows, by `sql` (`$1` the hash, `$2` now).
async fn fetch_live(
    db: &Db,
    sql: &'static str,
    token_hash: &str,
    now: i64,
) -> StoreResult<Option<LiveLinkRow>> {
    let row = on_pool!(db, pool => sqlx::query_as::<_, LiveLinkRow>(sql)
        .bind(token_hash)
        .bind(now)
        .fetch_optional(pool)
        .await)?;
    Ok(row)
}

/// Removes the sessions whose time is up.
pub async fn delete_expired_sessions(db: &Db, now: i64) -> StoreResult<()> {
    on_writer!(db, pool => sqlx::query("DELETE FROM portal_sessions WHERE expires_at <= $1")
        .bind(now)
        .execute(pool)
        .await
        .map(|done| done.rows_affected()))?;
    Ok(())
}
