//! Secret generation and hashing, and the master key that encrypts secrets at rest.

use aes_gcm::{
    Aes256Gcm, Key, Nonce,
    aead::{Aead, KeyInit, Payload},
};
use base64::Engine;
use herald_model::validate::API_KEY_PREFIX;
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

/// A new portal link's token: `pl_` + 32 random bytes as hex. Shown once, in the link's URL.
pub fn generate_portal_token() -> String {
    format!(
        "{}{}",
        herald_model::validate::portal::PORTAL_TOKEN_PREFIX,
        hex::encode(random_bytes())
    )
}

/// A new console session token (kept by the browser in an HttpOnly cookie).
pub fn generate_session_token() -> String {
    hex::encode(random_bytes())
}

/// How a key or token is stored: its SHA-256 as hex, so a database leak reveals no usable secret.
pub fn sha256_hex(secret: &str) -> String {
    hex::encode(Sha256::digest(secret.as_bytes()))
}

/// What a webhook's sealed custom headers are bound to (AES-GCM associated data).
pub fn webhook_headers_context(webhook_id: &str) -> String {
    format!("webhook:{webhook_id}:headers")
}

/// What a webhook's sealed signing secret is bound to.
pub fn webhook_secret_context(webhook_id: &str) -> String {
    format!("webhook:{webhook_id}:signing_secret")
}

/// What a webhook's sealed previous signing secret is bound to.
pub fn webhook_previous_secret_context(webhook_id: &str) -> String {
    format!("webhook:{webhook_id}:previous_signing_secret")
}

/// A webhook signing secret: 32 random bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningSecret([u8; 32]);

impl SigningSecret {
    pub fn generate() -> Self {
        Self(random_bytes())
    }

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        Some(Self(bytes.try_into().ok()?))
    }

    pub fn bytes(&self) -> &[u8; 32] {
        &self.0
    }

    /// The form the API returns as `signingSecret`: 64 hex characters.
    pub fn to_hex(&self) -> String {
        hex::encode(self.0)
    }

    /// The Standard Webhooks form: `whsec_` + base64 of the same bytes.
    pub fn to_standard(&self) -> String {
        format!(
            "whsec_{}",
            base64::engine::general_purpose::STANDARD.encode(self.0)
        )
    }
}

impl fmt::Debug for SigningSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningSecret(***)")
    }
}

/// A sealed value that did not open: wrong key, tampering, or a value moved between rows.
#[derive(Debug, thiserror::Error)]
#[error("a value encrypted at rest could not be decrypted (was the master key changed?)")]
pub struct CryptoError;

const NONCE_LEN: usize = 12;

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

    /// Encrypts with AES-256-GCM under a fresh random nonce. `context` (e.g.
    /// `webhook:<id>:headers`) is authenticated, so a sealed value cannot be
    /// moved to another row or column unnoticed. Output: nonce ‖ ciphertext.
    pub fn seal(&self, plaintext: &[u8], context: &str) -> Vec<u8> {
        let nonce: [u8; NONCE_LEN] = rand::random();
        let payload = Payload {
            msg: plaintext,
            aad: context.as_bytes(),
        };
        let ciphertext = self
            .cipher()
            .encrypt(Nonce::from_slice(&nonce), payload)
            .expect("AES-GCM encryption of an in-memory buffer does not fail");
        [nonce.as_slice(), &ciphertext].concat()
    }

    /// Decrypts what [`MasterKey::seal`] produced with the same `context`.
    pub fn open(&self, sealed: &[u8], context: &str) -> Result<Vec<u8>, CryptoError> {
        if sealed.len() < NONCE_LEN {
            return Err(CryptoError);
        }
        let (nonce, ciphertext) = sealed.split_at(NONCE_LEN);
        let payload = Payload {
            msg: ciphertext,
            aad: context.as_bytes(),
        };
        self.cipher()
            .decrypt(Nonce::from_slice(nonce), payload)
            .map_err(|_| CryptoError)
    }

    fn cipher(&self) -> Aes256Gcm {
        Aes256Gcm::new(Key::<Aes256Gcm>::from_slice(&self.bytes))
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
        assert!(herald_model::validate::ApiKeyInput::parse(&a).is_ok());
        assert_ne!(a, b);
    }

    #[test]
    fn the_master_key_file_is_generated_once_with_mode_0600() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("master.key");
        let first = MasterKey::load_or_generate(&path).unwrap();
        let again = MasterKey::load_or_generate(&path).unwrap();
        assert!(
            again.open(&first.seal(b"x", "test"), "test").is_ok(),
            "the same key is read back"
        );
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn sealed_values_open_only_with_the_same_key_and_context() {
        let key = MasterKey::from_hex(&"11".repeat(32)).unwrap();
        let sealed = key.seal(b"Bearer t0ken", "webhook:1:headers");
        assert!(!sealed.windows(5).any(|window| window == b"t0ken"));
        assert_eq!(
            key.open(&sealed, "webhook:1:headers").unwrap(),
            b"Bearer t0ken"
        );
        assert!(key.open(&sealed, "webhook:2:headers").is_err());
        let other = MasterKey::from_hex(&"22".repeat(32)).unwrap();
        assert!(other.open(&sealed, "webhook:1:headers").is_err());
        assert_ne!(
            sealed,
            key.seal(b"Bearer t0ken", "webhook:1:headers"),
            "fresh nonce each time"
        );
    }

    #[test]
    fn signing_secrets_have_a_hex_and_a_standard_form_of_the_same_bytes() {
        let secret = SigningSecret::from_bytes(&[0xab; 32]).unwrap();
        assert_eq!(secret.to_hex(), "ab".repeat(32));
        assert_eq!(
            secret.to_standard(),
            format!(
                "whsec_{}",
                base64::engine::general_purpose::STANDARD.encode([0xab; 32])
            )
        );
    }

    #[test]
    fn a_malformed_master_key_is_refused() {
        assert!(MasterKey::from_hex("abc").is_err());
        assert!(MasterKey::from_hex(&"ab".repeat(32)).is_ok());
        assert!(!format!("{:?}", MasterKey::from_hex(&"ab".repeat(32)).unwrap()).contains("ab"));
    }
}
