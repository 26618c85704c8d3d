use crate::store::StoreError;
use app::{
    model::{AppError, ErrorCode},
    validate::FieldError,
};

/// Why a service operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{0}")]
    InvalidInput(#[from] FieldError),
    #[error("{0}")]
    Unauthorized(&'static str),
    /// The key lacks a scope: `Required scope write:webhooks not found`.
    #[error("Required scope {0} not found")]
    MissingScope(app::model::Scope),
    /// A key may grant only the scopes it holds itself.
    #[error("Cannot grant scope {0}: the calling API key does not hold it")]
    CannotGrant(app::model::Scope),
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
    Crypto(#[from] crate::crypto::CryptoError),
    /// `POST /webhooks/{id}/test` to a webhook without the `ping` type.
    #[error("{}", super::deliveries::NOT_SUBSCRIBED_TO_PING)]
    NotSubscribedToPing,
    #[error(transparent)]
    Delivery(#[from] crate::delivery::DeliveryError),
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
        }
    }
}
