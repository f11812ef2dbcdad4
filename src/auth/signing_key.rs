//! The secret access tokens are signed with: `BULLETIN_JWT_SECRET`, or one
//! generated on first start and kept next to the database (mode 0600), so
//! that tokens survive restarts without anyone having to choose a secret.

use std::fs::{self, OpenOptions};
use std::io::{ErrorKind, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use crate::config::Secret;

/// Bytes of randomness in a generated key (hex-encoded on disk).
const GENERATED_BYTES: usize = 32;

#[derive(Debug, Clone)]
pub struct SigningKey(Secret);

#[derive(Debug, thiserror::Error)]
pub enum SigningKeyError {
    #[error("cannot read or write the signing key file {path}: {source}")]
    File {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the signing key file {0} is too short to be one this service wrote; delete it to have a new one generated"
    )]
    Corrupt(PathBuf),
}

impl SigningKey {
    /// The configured secret if any, else the one kept beside `database`,
    /// generating it the first time.
    pub fn resolve(configured: Option<&Secret>, database: &Path) -> Result<Self, SigningKeyError> {
        if let Some(secret) = configured {
            return Ok(Self(secret.clone()));
        }
        let path = key_path(database);
        let file_error = |source| SigningKeyError::File {
            path: path.clone(),
            source,
        };
        match fs::read_to_string(&path) {
            Ok(stored) => {
                let stored = stored.trim();
                if stored.len() < GENERATED_BYTES {
                    return Err(SigningKeyError::Corrupt(path));
                }
                Ok(Self(Secret::new(stored.to_owned())))
            }
            Err(error) if error.kind() == ErrorKind::NotFound => {
                if store_new_key(&path).map_err(file_error)? {
                    tracing::warn!(
                        path = %path.display(),
                        "BULLETIN_JWT_SECRET is not set: generated a signing key and stored it next to the database; \
                         set BULLETIN_JWT_SECRET when running more than one node"
                    );
                }
                // Read back what is on disk: another process may have stored its key first.
                Self::resolve(None, database)
            }
            Err(error) => Err(file_error(error)),
        }
    }

    pub fn secret(&self) -> &Secret {
        &self.0
    }
}

/// Writes a fresh key to a private temporary file, then links it into place,
/// so the key file appears whole or not at all, and a process starting at the
/// same moment keeps the first key instead of overwriting it. Answers whether
/// this call stored the key.
fn store_new_key(path: &Path) -> std::io::Result<bool> {
    let key = generate().map_err(std::io::Error::other)?;
    let temporary = path.with_extension(format!("tmp-{}", std::process::id()));
    let mut file = OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&temporary)?;
    let stored = file
        .write_all(key.as_bytes())
        .and_then(|()| file.sync_all())
        .and_then(|()| fs::hard_link(&temporary, path));
    // The temporary name goes either way; the key stays under its real name.
    let _ = fs::remove_file(&temporary);
    match stored {
        Ok(()) => Ok(true),
        Err(error) if error.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(error) => Err(error),
    }
}

/// `data/bulletin.db` keeps its key in `data/bulletin.db.jwt-secret`.
fn key_path(database: &Path) -> PathBuf {
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".jwt-secret");
    database.with_file_name(name)
}

fn generate() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; GENERATED_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(hex::encode(bytes))
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn a_generated_key_is_kept_private_and_reused() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("bulletin.db");
        let first = SigningKey::resolve(None, &database).unwrap();
        let path = dir.path().join("bulletin.db.jwt-secret");
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        assert_eq!(first.secret().expose().len(), 2 * GENERATED_BYTES);
        let second = SigningKey::resolve(None, &database).unwrap();
        assert_eq!(first.secret(), second.secret());
    }

    #[test]
    fn a_configured_secret_wins_and_writes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let database = dir.path().join("bulletin.db");
        let configured = Secret::new("c".repeat(40));
        let key = SigningKey::resolve(Some(&configured), &database).unwrap();
        assert_eq!(key.secret(), &configured);
        assert!(!dir.path().join("bulletin.db.jwt-secret").exists());
    }
}
