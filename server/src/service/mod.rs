//! The business rules. REST handlers, server functions and the CLI call
//! these functions; only these functions call the store.

mod accounts;
mod auth;
mod console;
mod error;

pub use accounts::{Account, Company};
pub use auth::{CreatedApiKey, NewApiKey, Principal};
pub use error::ServiceError;

use crate::store::Db;

/// What every service operation returns.
pub type ServiceResult<T> = Result<T, ServiceError>;

/// Herald's operations over one database. Cheap to clone (the pool is shared).
#[derive(Clone)]
pub struct Service {
    db: Db,
    secure_cookies: bool,
}

impl Service {
    /// A service over `db`; `secure_cookies` when Herald is served over https.
    pub fn new(db: Db, secure_cookies: bool) -> Self {
        Self { db, secure_cookies }
    }

    /// Succeeds when the database answers.
    pub async fn check_ready(&self) -> ServiceResult<()> {
        Ok(self.db.ping().await?)
    }
}

/// Checks a user-given name: trimmed, 1 to `max` characters.
fn validate_name(field: &'static str, name: &str, max: usize) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > max {
        return Err(ServiceError::Validation {
            field,
            message: format!("{field} must be 1 to {max} characters"),
        });
    }
    Ok(name.to_owned())
}
