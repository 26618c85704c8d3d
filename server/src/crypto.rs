//! Secret generation and hashing, and the master key that encrypts secrets at rest.

use app::validate::API_KEY_PREFIX;
use sha2::{Digest, Sha256};
use std::{
    fmt,
    io::Write,
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

/// 32 bytes from the operating system's CSPRNG (through rand's thread RNG).
fn random_bytes() -> [u8; 32] {
    rand::random()
}

/// A new API key: `sk_` + 32 random bytes as hex. Shown once, stored hashed.
pub fn generate_api_key() -> String {
    format!("{API_KEY_PREFIX}{}", hex::encode(random_bytes()))
}

/// A new console session token (kept by the browser in an HttpOnly cookie).
pub fn generate_session_token() -> String {
    hex::encode(random_bytes())
}

/// How a key or token is stored: its SHA-256 as hex, so a database leak reveals no usable secret.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// The 32-byte key that encrypts header values and signing secrets at rest.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; 32],
    origin: MasterKeyOrigin,
}

#[derive(Clone)]
enum MasterKeyOrigin {
    Environment,
    File(PathBuf),
}

#[derive(Debug, thiserror::Error)]
pub enum MasterKeyError {
    #[error("the master key must be 64 hex characters (32 bytes)")]
    Malformed,
    #[error("the master key file {path} must hold 64 hex characters")]
    MalformedFile { path: PathBuf },
    #[error("cannot read or create the master key file {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl MasterKey {
    /// Parses a key given as 64 hex characters (HERALD_MASTER_KEY).
    pub fn from_hex(hex_key: &str) -> Result<Self, MasterKeyError> {
        Ok(Self {
            bytes: parse_key(hex_key).ok_or(MasterKeyError::Malformed)?,
            origin: MasterKeyOrigin::Environment,
        })
    }

    /// Reads the key file, or creates it once with a fresh key, readable by its owner only.
    pub fn load_or_generate(path: &Path) -> Result<Self, MasterKeyError> {
        let io_error = |source| MasterKeyError::Io {
            path: path.to_owned(),
            source,
        };
        let created = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path);
        let bytes = match created {
            Ok(mut file) => {
                let bytes = random_bytes();
                file.write_all(hex::encode(bytes).as_bytes())
                    .and_then(|()| file.sync_all())
                    .map_err(io_error)?;
                bytes
            }
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                let text = std::fs::read_to_string(path).map_err(io_error)?;
                parse_key(&text).ok_or_else(|| MasterKeyError::MalformedFile {
                    path: path.to_owned(),
                })?
            }
            Err(error) => return Err(io_error(error)),
        };
        Ok(Self {
            bytes,
            origin: MasterKeyOrigin::File(path.to_owned()),
        })
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.bytes
    }

    /// Where the key came from, for the start-up banner (never the key itself).
    pub fn origin(&self) -> String {
        match &self.origin {
            MasterKeyOrigin::Environment => "*** (HERALD_MASTER_KEY)".to_owned(),
            MasterKeyOrigin::File(path) => format!("*** (file {})", path.display()),
        }
    }
}

impl fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MasterKey(***)")
    }
}

fn parse_key(text: &str) -> Option<[u8; 32]> {
    hex::decode(text.trim()).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn api_keys_are_well_formed_and_distinct() {
        let (a, b) = (generate_api_key(), generate_api_key());
        assert!(app::validate::ApiKeyInput::parse(&a).is_ok());
        assert_ne!(a, b);
    }

    #[test]
    fn the_master_key_file_is_generated_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let first = MasterKey::load_or_generate(&path).unwrap();
        let again = MasterKey::load_or_generate(&path).unwrap();
        assert_eq!(first.bytes(), again.bytes());
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn a_malformed_master_key_is_refused() {
        assert!(MasterKey::from_hex("abc").is_err());
        assert!(MasterKey::from_hex(&"ab".repeat(32)).is_ok());
        assert!(!format!("{:?}", MasterKey::from_hex(&"ab".repeat(32)).unwrap()).contains("ab"));
    }
}
