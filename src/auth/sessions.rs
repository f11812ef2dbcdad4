//! Sessions: login, refresh-token rotation with reuse detection (after a
//! short grace for tabs refreshing at once), logout, and the idle timeout.

use std::time::Duration;

use chrono::NaiveDateTime;

use super::queries::{self, SessionRow};
use super::{AccessClaims, AccessTokens, OpaqueSecret};
use crate::db::{Database, StoreError};
use crate::error::{ApiError, AuthFailure};
use crate::identity::{self, Email};

/// How long sessions last.
#[derive(Debug, Clone, Copy)]
pub struct SessionPolicy {
    /// With no refresh for this long, a session ends.
    pub idle_timeout: Duration,
    /// However active, a session ends this long after its login.
    pub lifetime: Duration,
    /// For this long after a refresh token's exchange, presenting it again
    /// answers the same new pair; after it, reuse ends the session.
    pub refresh_grace: Duration,
}

impl SessionPolicy {
    pub fn idle_expires_at(&self, session: &SessionRow) -> NaiveDateTime {
        self.idle_expires_after(session.last_used_at)
    }

    /// When a session last used at `used_at` idles out.
    fn idle_expires_after(&self, used_at: NaiveDateTime) -> NaiveDateTime {
        used_at + chrono_duration(self.idle_timeout)
    }

    /// Whether a token exchanged at `used_at` may be presented again at `now`.
    fn within_grace(&self, used_at: NaiveDateTime, now: NaiveDateTime) -> bool {
        !self.refresh_grace.is_zero() && now - used_at <= chrono_duration(self.refresh_grace)
    }

    pub fn is_active(&self, session: &SessionRow, now: NaiveDateTime) -> bool {
        self.why_ended(session, now).is_none()
    }

    /// Why a session no longer holds at `now`, if it does not.
    pub fn why_ended(&self, session: &SessionRow, now: NaiveDateTime) -> Option<AuthFailure> {
        if session.revoked_at.is_some() || session.expires_at <= now {
            Some(AuthFailure::RevokedSession)
        } else if self.idle_expires_at(session) <= now {
            Some(AuthFailure::IdleSession)
        } else {
            None
        }
    }
}

fn chrono_duration(duration: Duration) -> chrono::Duration {
    chrono::Duration::from_std(duration).unwrap_or(chrono::Duration::MAX)
}

/// What login and refresh hand out (no Debug: it is all secrets).
pub struct IssuedTokens {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
    /// With no refresh before this, the session ends.
    pub idle_expires_at: NaiveDateTime,
    /// The server's clock when it answered, for a client to schedule by.
    pub server_time: NaiveDateTime,
}

/// Checks the credentials; on success opens a session. `None` for a wrong
/// email or password alike, after the same amount of work.
pub async fn login(
    db: &Database,
    tokens: &AccessTokens,
    policy: SessionPolicy,
    email: Email,
    password: String,
) -> Result<Option<IssuedTokens>, ApiError> {
    let lookup = email.clone();
    let account = db
        .read(move |conn| super::queries::find_credentials(conn, &lookup))
        .await?;
    let verified = identity::run_argon2(move || match &account {
        Some(account) => {
            identity::verify_password(&password, &account.password_hash).then_some(account.id)
        }
        None => {
            identity::verify_against_no_account(&password);
            None
        }
    })
    .await
    .map_err(StoreError::from)?;
    let Some(user_id) = verified else {
        return Ok(None);
    };

    let now = crate::support::timestamps::now();
    let refresh = new_refresh_secret()?;
    let refresh_hash = refresh.hash.clone();
    // Sessions are no public resource: their writes leave cached answers be
    // (or any account could empty the cache by logging in in a loop).
    let session_id = db
        .write_quietly(move |conn| {
            queries::delete_ended(
                conn,
                user_id,
                now - chrono_duration(policy.idle_timeout),
                now,
            )?;
            let session_id =
                queries::insert(conn, user_id, now, now + chrono_duration(policy.lifetime))?;
            queries::insert_refresh_token(conn, session_id, &refresh_hash, now)?;
            Ok::<_, StoreError>(session_id)
        })
        .await?;
    let claims = AccessClaims {
        user_id,
        session_id,
    };
    issue(
        tokens,
        claims,
        refresh.plain,
        now,
        policy.idle_expires_after(now),
    )
    .map(Some)
}

/// What presenting a refresh token led to.
enum Exchange {
    Rotated(AccessClaims),
    /// The token was exchanged at this time, within the grace: the same new
    /// pair again (two tabs refreshing at once).
    Repeated(AccessClaims, NaiveDateTime),
    /// An already exchanged token came back: whoever holds the family may be
    /// a thief, so the whole session was revoked.
    Reused,
    Unknown,
    Ended(AuthFailure),
}

/// Exchanges a refresh token for a new pair; the old token is spent.
/// Presented again within the grace, it answers the same pair.
pub async fn refresh(
    db: &Database,
    tokens: &AccessTokens,
    policy: SessionPolicy,
    presented: &str,
) -> Result<IssuedTokens, ApiError> {
    let presented_hash = super::opaque::hash(presented);
    let next = tokens.successor_of(presented);
    let next_hash = next.hash.clone();
    let now = crate::support::timestamps::now();
    let exchange = db
        .write_quietly(move |conn| {
            let Some((token, session)) = queries::find_refresh_token(conn, &presented_hash)? else {
                return Ok::<_, StoreError>(Exchange::Unknown);
            };
            let claims = AccessClaims {
                user_id: session.user_id,
                session_id: session.id,
            };
            if let Some(used_at) = token.used_at {
                if policy.within_grace(used_at, now) && policy.is_active(&session, now) {
                    return Ok(Exchange::Repeated(claims, used_at));
                }
                queries::revoke(conn, session.id, now, "refresh token reused")?;
                return Ok(Exchange::Reused);
            }
            if let Some(why) = policy.why_ended(&session, now) {
                return Ok(Exchange::Ended(why));
            }
            queries::mark_refresh_token_used(conn, token.id, now)?;
            queries::insert_refresh_token(conn, session.id, &next_hash, now)?;
            queries::touch(conn, session.id, now)?;
            Ok(Exchange::Rotated(claims))
        })
        .await?;
    match exchange {
        Exchange::Rotated(claims) => issue(
            tokens,
            claims,
            next.plain,
            now,
            policy.idle_expires_after(now),
        ),
        Exchange::Repeated(claims, rotated_at) => {
            // Signed as at the exchange: the very same access token.
            let mut same = issue(
                tokens,
                claims,
                next.plain,
                rotated_at,
                policy.idle_expires_after(rotated_at),
            )?;
            let elapsed = (now - rotated_at).num_seconds().unsigned_abs();
            same.expires_in = same.expires_in.saturating_sub(elapsed);
            same.server_time = now;
            Ok(same)
        }
        Exchange::Reused => {
            tracing::warn!("a spent refresh token was presented again: its session is revoked");
            Err(ApiError::refused(
                AuthFailure::ReusedRefreshToken,
                "this refresh token was already used; the session is ended, log in again",
            ))
        }
        Exchange::Unknown => Err(ApiError::invalid_token("the refresh token is not valid")),
        Exchange::Ended(why) => Err(session_ended(why)),
    }
}

/// Ends a session: its refresh tokens and access tokens stop working.
pub async fn logout(db: &Database, session_id: i32) -> Result<(), ApiError> {
    let now = crate::support::timestamps::now();
    db.write_quietly(move |conn| {
        queries::revoke(conn, session_id, now, "logged out").map_err(StoreError::from)
    })
    .await?;
    Ok(())
}

fn new_refresh_secret() -> Result<OpaqueSecret, ApiError> {
    OpaqueSecret::generate(super::tokens::REFRESH_PREFIX)
        .map_err(|e| ApiError::Internal(format!("no randomness for a refresh token: {e}")))
}

/// The pair for `claims`, signed as at `now`, whose session idles out at
/// `idle_expires_at`.
fn issue(
    tokens: &AccessTokens,
    claims: AccessClaims,
    refresh_token: String,
    now: NaiveDateTime,
    idle_expires_at: NaiveDateTime,
) -> Result<IssuedTokens, ApiError> {
    let access_token = tokens
        .issue(claims, now.and_utc())
        .map_err(|e| ApiError::Internal(format!("could not sign an access token: {e}")))?;
    Ok(IssuedTokens {
        access_token,
        refresh_token,
        expires_in: tokens.ttl_seconds(),
        idle_expires_at,
        server_time: now,
    })
}

/// The 401 of a session that no longer holds.
pub fn session_ended(why: AuthFailure) -> ApiError {
    let detail = match why {
        AuthFailure::IdleSession => "the session went unused too long; log in again",
        _ => "the session has ended; log in again",
    };
    ApiError::refused(why, detail)
}
