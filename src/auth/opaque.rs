//! Opaque secrets handed out once (refresh tokens, API keys): 256 random bits,
//! stored only as their SHA-256. A fast hash is right here, unlike for
//! passwords: a random 256-bit value cannot be guessed, only stolen.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

pub struct OpaqueSecret {
    /// What the client receives, once.
    pub plain: String,
    /// What the database keeps.
    pub hash: String,
}

impl OpaqueSecret {
    /// `prefix` tells the kind of secret at a glance (`brt_`, `bak_`).
    pub fn generate(prefix: &str) -> Result<Self, getrandom::Error> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes)?;
        let plain = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
        let hash = hash(&plain);
        Ok(Self { plain, hash })
    }
}

pub fn hash(plain: &str) -> String {
    hex::encode(Sha256::digest(plain.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_unique_prefixed_and_stored_only_hashed() {
        let first = OpaqueSecret::generate("brt_").unwrap();
        let second = OpaqueSecret::generate("brt_").unwrap();
        assert!(first.plain.starts_with("brt_"));
        assert_eq!(first.plain.len(), 4 + 43);
        assert_ne!(first.plain, second.plain);
        assert_eq!(first.hash, hash(&first.plain));
        assert!(!first.hash.contains(&first.plain[4..]));
    }
}
