//! Access tokens: short-lived HS256 JWTs naming a user and their session.
//!
//! Only HS256 is accepted (so `alg: none` and algorithm swaps fail), and
//! expiry, issuer and audience are checked with no leeway: this service both
//! issues and checks them, so there is no clock skew to forgive.

use std::time::Duration;

use chrono::{DateTime, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use super::{OpaqueSecret, SigningKey};
use crate::error::AuthFailure;

/// What refresh tokens start with.
pub const REFRESH_PREFIX: &str = "brt_";

const ISSUER: &str = "bulletin-api";
const AUDIENCE: &str = "bulletin-api";

#[derive(Debug, Serialize, Deserialize)]
struct Claims {
    sub: String,
    /// The session (refresh-token family) the token was issued for.
    sid: i32,
    iat: i64,
    exp: i64,
    iss: String,
    aud: String,
}

/// What a valid access token says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccessClaims {
    pub user_id: i32,
    pub session_id: i32,
}

/// The tokens the signing key makes: access tokens, and each refresh
/// token's successor.
pub struct AccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    ttl: Duration,
    successors: Vec<u8>,
}

impl AccessTokens {
    pub fn new(key: &SigningKey, ttl: Duration) -> Self {
        let secret = key.secret().expose().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            ttl,
            successors: secret.to_vec(),
        }
    }

    /// The refresh token that replaces `refresh_token` when it is
    /// exchanged: derived from it, so a second exchange within the reuse
    /// grace answers the very same one.
    pub fn successor_of(&self, refresh_token: &str) -> OpaqueSecret {
        OpaqueSecret::derived(REFRESH_PREFIX, &self.successors, refresh_token)
    }

    /// Seconds an access token lives (`expires_in`).
    pub fn ttl_seconds(&self) -> u64 {
        self.ttl.as_secs()
    }

    pub fn issue(
        &self,
        claims: AccessClaims,
        now: DateTime<Utc>,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let issued_at = now.timestamp();
        let claims = Claims {
            sub: claims.user_id.to_string(),
            sid: claims.session_id,
            iat: issued_at,
            exp: issued_at + i64::try_from(self.ttl.as_secs()).unwrap_or(i64::MAX / 2),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The claims of a token this service issued and that has not expired;
    /// else whether it expired (its signature holds) or is no token of ours.
    pub fn verify(&self, token: &str) -> Result<AccessClaims, AuthFailure> {
        let data = jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map_err(|error| match error.kind() {
                jsonwebtoken::errors::ErrorKind::ExpiredSignature => AuthFailure::ExpiredToken,
                _ => AuthFailure::InvalidToken,
            })?;
        Ok(AccessClaims {
            user_id: data
                .claims
                .sub
                .parse()
                .map_err(|_| AuthFailure::InvalidToken)?,
            session_id: data.claims.sid,
        })
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    use super::*;
    use crate::auth::signing_key::Secret;

    fn tokens(secret: &str) -> AccessTokens {
        let dir = tempfile::tempdir().unwrap();
        let key = SigningKey::resolve(
            Some(&Secret::new(secret.repeat(32))),
            &dir.path().join("db"),
        )
        .unwrap();
        AccessTokens::new(&key, Duration::from_secs(900))
    }

    const CLAIMS: AccessClaims = AccessClaims {
        user_id: 7,
        session_id: 3,
    };

    #[test]
    fn an_issued_token_verifies_to_its_claims() {
        let tokens = tokens("k");
        let token = tokens.issue(CLAIMS, Utc::now()).unwrap();
        assert_eq!(tokens.verify(&token), Ok(CLAIMS));
    }

    #[test]
    fn tokens_signed_with_another_key_are_refused() {
        let token = tokens("k").issue(CLAIMS, Utc::now()).unwrap();
        assert_eq!(tokens("x").verify(&token), Err(AuthFailure::InvalidToken));
    }

    #[test]
    fn expired_tokens_are_refused_without_leeway() {
        let tokens = tokens("k");
        let sixteen_minutes_ago =
            Utc::now() - chrono::Duration::minutes(15) - chrono::Duration::seconds(1);
        let token = tokens.issue(CLAIMS, sixteen_minutes_ago).unwrap();
        assert_eq!(tokens.verify(&token), Err(AuthFailure::ExpiredToken));
    }

    #[test]
    fn tampered_and_unsigned_tokens_are_refused() {
        let tokens = tokens("k");
        let token = tokens.issue(CLAIMS, Utc::now()).unwrap();
        let [header, payload, signature]: [&str; 3] =
            token.split('.').collect::<Vec<_>>().try_into().unwrap();

        let mut claims: serde_json::Value =
            serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).unwrap()).unwrap();
        claims["sub"] = "1".into();
        let forged_payload = URL_SAFE_NO_PAD.encode(claims.to_string());
        assert_eq!(
            tokens.verify(&format!("{header}.{forged_payload}.{signature}")),
            Err(AuthFailure::InvalidToken)
        );

        let none_header = URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#);
        assert_eq!(
            tokens.verify(&format!("{none_header}.{payload}.")),
            Err(AuthFailure::InvalidToken)
        );
        assert_eq!(tokens.verify("not-a-token"), Err(AuthFailure::InvalidToken));
    }
}
