//! Opaque secrets handed out once (refresh tokens, API keys): 256 random bits,
//! stored only as their SHA-256. A fast hash is right here, unlike for
//! passwords: a random 256-bit value cannot be guessed, only stolen.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
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
        Ok(Self::of(prefix, &bytes))
    }

    /// The secret `key` derives from `from`: as unguessable as a random one
    /// to whoever lacks the key, and the same each time it is asked for.
    pub fn derived(prefix: &str, key: &[u8], from: &str) -> Self {
        let mut mac = Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes any key");
        mac.update(b"bulletin-api derived secret\0");
        mac.update(from.as_bytes());
        Self::of(prefix, &mac.finalize().into_bytes())
    }

    fn of(prefix: &str, bytes: &[u8]) -> Self {
        let plain = format!("{prefix}{}", URL_SAFE_NO_PAD.encode(bytes));
        let hash = hash(&plain);
        Self { plain, hash }
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

    #[test]
    fn a_derived_secret_is_the_same_for_one_key_and_input_only() {
        let derived = OpaqueSecret::derived("brt_", b"key one", "brt_abc");
        assert_eq!(
            derived.plain,
            OpaqueSecret::derived("brt_", b"key one", "brt_abc").plain
        );
        assert_eq!(derived.plain.len(), 4 + 43);
        assert_eq!(derived.hash, hash(&derived.plain));
        assert_ne!(
            derived.plain,
            OpaqueSecret::derived("brt_", b"key two", "brt_abc").plain
        );
        assert_ne!(
            derived.plain,
            OpaqueSecret::derived("brt_", b"key one", "brt_abd").plain
        );
    }
}
