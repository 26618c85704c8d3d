//! List parameters shared by every list (SPEC §3: `limit` default 50, max 200; `offset`).

use super::ServiceResult;
use herald_model::validate::FieldError;

const DEFAULT_PAGE_SIZE: u32 = 50;
const MAX_PAGE_SIZE: u32 = 200;
/// The largest page, for reads that go through every row in pages.
pub(super) const MAX_LIMIT: usize = MAX_PAGE_SIZE as usize;

/// The query of a list request, as given (parsed here so errors name the parameter).
#[derive(Debug, Default, Clone, serde::Deserialize, utoipa::IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Only this company's resources (for webhooks: global ones excluded).
    pub company_id: Option<String>,
    /// An `admin` key's choice of account; others may name only their own.
    pub account_id: Option<String>,
    /// Page size, 1 to 200 (default 50).
    #[param(value_type = Option<i64>, minimum = 1, maximum = 200, default = 50)]
    pub limit: Option<String>,
    /// Items to skip (default 0).
    #[param(value_type = Option<i64>, minimum = 0, maximum = 4294967295_i64, default = 0)]
    pub offset: Option<String>,
}

impl ListQuery {
    /// The first page, as large as a page may be.
    pub fn largest_page() -> Self {
        Self {
            limit: Some(MAX_LIMIT.to_string()),
            ..Self::default()
        }
    }
}

/// A validated page window.
#[derive(Debug, Clone, Copy)]
pub(super) struct Paging {
    pub limit: i64,
    pub offset: i64,
}

impl Paging {
    pub fn parse(query: &ListQuery) -> ServiceResult<Self> {
        let limit = parse_bounded(
            "limit",
            query.limit.as_deref(),
            DEFAULT_PAGE_SIZE,
            1,
            MAX_PAGE_SIZE,
        )?;
        let offset = parse_bounded("offset", query.offset.as_deref(), 0, 0, u32::MAX)?;
        Ok(Self {
            limit: limit.into(),
            offset: offset.into(),
        })
    }
}

/// Absent gives `default`; anything else must be a whole number in range.
fn parse_bounded(
    field: &str,
    raw: Option<&str>,
    default: u32,
    min: u32,
    max: u32,
) -> ServiceResult<u32> {
    let Some(raw) = raw else {
        return Ok(default);
    };
    match raw.parse::<u32>() {
        Ok(value) if (min..=max).contains(&value) => Ok(value),
        _ => Err(FieldError::new(
            field,
            format!("{field} must be a whole number from {min} to {max}"),
        )
        .into()),
    }
}

/// A stored count as the API's `total`.
pub(super) fn total(count: i64) -> u64 {
    u64::try_from(count).unwrap_or(0)
}
