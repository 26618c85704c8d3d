use super::Scope;
use serde::{Deserialize, Serialize};

/// Who is signed in to the console: the API key used to sign in and its account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleUser {
    pub account_id: String,
    pub account_name: String,
    pub key_name: String,
    pub key_prefix: String,
    pub scopes: Vec<Scope>,
}
