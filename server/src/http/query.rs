//! List queries whose rejections are our envelope.

use super::ApiError;
use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use herald_model::AppError;
use herald_service::ListQuery;

/// `?companyId=&accountId=&limit=&offset=`; malformed query strings get a 400 envelope.
pub struct ListParams(pub ListQuery);

impl<S: Send + Sync> FromRequestParts<S> for ListParams {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, ApiError> {
        let Query(query) = Query::<ListQuery>::from_request_parts(parts, state)
            .await
            .map_err(|rejection| AppError::validation("query", rejection.body_text()))?;
        let texts = [
            ("companyId", &query.company_id),
            ("accountId", &query.account_id),
        ];
        for (field, text) in texts {
            if text.as_deref().is_some_and(|text| text.contains('\0')) {
                let message = format!("{field} must not contain NUL characters");
                return Err(AppError::validation(field, message).into());
            }
        }
        Ok(ListParams(query))
    }
}
