//! A server function's error: the model's [`AppError`] with the codec Leptos
//! needs (the model crate knows nothing of Leptos). Its JSON is the
//! AppError's own, so the page and the REST envelope read the same fields.

use herald_model::{AppError, ErrorCode, validate::FieldError};
use leptos::server_fn::{
    codec::JsonEncoding,
    error::{FromServerFnError, ServerFnErrorErr},
};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[serde(transparent)]
#[error(transparent)]
pub struct ConsoleError(pub AppError);

/// What the console reads of an error: its `details` are for REST clients,
/// and reading them would put a parser of any JSON value in the bundle.
#[derive(Deserialize)]
struct ReadError {
    code: ErrorCode,
    message: String,
    #[serde(default)]
    field: Option<String>,
}

impl<'de> Deserialize<'de> for ConsoleError {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = ReadError::deserialize(deserializer)?;
        Ok(Self(AppError {
            code: read.code,
            message: read.message,
            field: read.field,
            details: None,
        }))
    }
}

impl std::ops::Deref for ConsoleError {
    type Target = AppError;

    fn deref(&self) -> &AppError {
        &self.0
    }
}

impl From<AppError> for ConsoleError {
    fn from(error: AppError) -> Self {
        Self(error)
    }
}

impl From<FieldError> for ConsoleError {
    fn from(error: FieldError) -> Self {
        Self(error.into())
    }
}

/// The service's refusals, in the one mapping the service defines.
#[cfg(feature = "ssr")]
impl From<herald_service::ServiceError> for ConsoleError {
    fn from(error: herald_service::ServiceError) -> Self {
        Self(error.into())
    }
}

impl FromServerFnError for ConsoleError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        Self(match value {
            ServerFnErrorErr::Request(reason) => AppError::new(
                ErrorCode::ServiceUnavailable,
                format!("Herald could not be reached: {reason}"),
            ),
            // Arguments that do not parse (a malformed or incomplete body)
            // are the caller's mistake: a 400 naming why, never a 500.
            ServerFnErrorErr::Args(reason)
            | ServerFnErrorErr::MissingArg(reason)
            | ServerFnErrorErr::Deserialization(reason) => {
                AppError::new(ErrorCode::ValidationError, format!("Bad request: {reason}"))
            }
            _ => AppError::internal(),
        })
    }
}
