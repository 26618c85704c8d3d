//! The master key is checked once, at start, against a value sealed with
//! it on the first start: a wrong key stops every command with a message
//! instead of failing on the first secret a request reads.

use super::{Service, ServiceError, ServiceResult};
use herald_store::master_key_check;

const CHECK_CONTEXT: &str = "herald:master-key-check";
const CHECK_PLAINTEXT: &[u8] = b"Herald master key check";

impl Service {
    /// `WrongMasterKey` unless the configured key opens this database's
    /// check value. The first start seals one, after trying the key on a
    /// stored webhook secret (a database from before the check existed).
    pub async fn check_master_key(&self) -> ServiceResult<()> {
        if let Some(sealed) = master_key_check::find(&self.db).await? {
            return self.opens_check(&sealed);
        }
        if let Some((webhook_id, secret)) = master_key_check::any_sealed_secret(&self.db).await? {
            let context = herald_engine::crypto::webhook_secret_context(&webhook_id);
            self.master_key
                .open(&secret, &context)
                .map_err(|_| ServiceError::WrongMasterKey)?;
        }
        let sealed = self.master_key.seal(CHECK_PLAINTEXT, CHECK_CONTEXT);
        master_key_check::insert_if_absent(&self.db, &sealed).await?;
        // Another process may have sealed its own first: the stored one decides.
        match master_key_check::find(&self.db).await? {
            Some(stored) => self.opens_check(&stored),
            None => Ok(()),
        }
    }

    fn opens_check(&self, sealed: &[u8]) -> ServiceResult<()> {
        match self.master_key.open(sealed, CHECK_CONTEXT) {
            Ok(plaintext) if plaintext == CHECK_PLAINTEXT => Ok(()),
            _ => Err(ServiceError::WrongMasterKey),
        }
    }
}
