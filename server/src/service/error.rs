use crate::store::StoreError;
use app::model::{AppError, ErrorCode};

/// Why a service operation was refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error("{message}")]
    Validation {
        field: &'static str,
        message: String,
    },
    #[error("{0}")]
    Unauthorized(&'static str),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The one place service errors become what users see. Storage failures are
/// logged here and reach the user as a bare internal error.
impl From<ServiceError> for AppError {
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Validation { field, message } => AppError::validation(field, message),
            ServiceError::Unauthorized(message) => AppError::unauthorized(message),
            ServiceError::NotFound(message) => AppError::new(ErrorCode::ResourceNotFound, message),
            ServiceError::Conflict(message) => AppError::new(ErrorCode::Conflict, message),
            ServiceError::Store(error) => {
                tracing::error!(%error, "storage failure");
                AppError::internal()
            }
        }
    }
}

impl From<app::validate::FieldError> for ServiceError {
    fn from(error: app::validate::FieldError) -> Self {
        ServiceError::Validation {
            field: error.field,
            message: error.message,
        }
    }
}
