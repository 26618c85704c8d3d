use herald_model::{AppError, ErrorCode, validate::FieldError};
use herald_store::StoreError;

/// Where a `RATE_LIMITED` error says how many seconds to wait (its
/// `Retry-After` header is made from it).
pub const RETRY_AFTER_DETAIL: &str = "retryAfter";

/// Why a service operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    InvalidInput(#[from] FieldError),
    #[error("{0}")]
    Unauthorized(&'static str),
    /// The key lacks a scope: `Required scope write:webhooks not found`.
    #[error("Required scope {0} not found")]
    MissingScope(herald_model::Scope),
    /// A key may grant only the scopes it holds itself.
    #[error("Cannot grant scope {0}: the calling API key does not hold it")]
    CannotGrant(herald_model::Scope),
    /// The resource exists but belongs to another account or company.
    #[error("{0}")]
    AccessDenied(&'static str),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error(transparent)]
    Crypto(#[from] herald_engine::crypto::CryptoError),
    /// `POST /webhooks/{id}/test` to a webhook without the `ping` type.
    #[error("{}", super::deliveries::NOT_SUBSCRIBED_TO_PING)]
    NotSubscribedToPing,
    #[error(transparent)]
    Delivery(#[from] herald_engine::DeliveryError),
    /// The key sent more requests this second than `HERALD_API_RATE_LIMIT`.
    #[error("Too many requests for this API key: retry after {retry_after} s")]
    RateLimited { retry_after: u64 },
    /// The master key given does not open what this database holds.
    #[error(
        "the master key does not open this database's secrets: start Herald with the key it was first started with (HERALD_MASTER_KEY, or master.key in the data directory)"
    )]
    WrongMasterKey,
}

/// The one place service errors become what users see. Storage and crypto
/// failures are logged here and reach the user as a bare internal error.
impl From<ServiceError> for AppError {
    fn from(error: ServiceError) -> Self {
        let message = error.to_string();
        match error {
            ServiceError::InvalidInput(error) => error.into(),
            ServiceError::Unauthorized(_) => AppError::unauthorized(message),
            ServiceError::MissingScope(_) | ServiceError::CannotGrant(_) => {
                AppError::new(ErrorCode::InsufficientPermissions, message)
            }
            ServiceError::AccessDenied(_) => {
                AppError::new(ErrorCode::ResourceAccessDenied, message)
            }
            ServiceError::NotFound(_) => AppError::new(ErrorCode::ResourceNotFound, message),
            ServiceError::Conflict(_) => AppError::new(ErrorCode::Conflict, message),
            ServiceError::Store(StoreError::NulInText) => {
                AppError::new(ErrorCode::ValidationError, message)
            }
            ServiceError::Store(error) => {
                tracing::error!(%error, "storage failure");
                AppError::internal()
            }
            ServiceError::Crypto(error) => {
                tracing::error!(%error, "decryption failure");
                AppError::internal()
            }
            ServiceError::NotSubscribedToPing => AppError::new(ErrorCode::ValidationError, message),
            ServiceError::Delivery(error) => {
                tracing::error!(%error, "delivery failure");
                AppError::internal()
            }
            ServiceError::RateLimited { retry_after } => {
                let mut details = serde_json::Map::new();
                details.insert(RETRY_AFTER_DETAIL.to_owned(), retry_after.into());
                AppError {
                    details: Some(details),
                    ..AppError::new(ErrorCode::RateLimited, message)
                }
            }
            ServiceError::WrongMasterKey => {
                tracing::error!(error = %message, "wrong master key");
                AppError::internal()
            }
        }
    }
}
