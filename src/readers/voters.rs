//! Who a reader is when they vote (a rating, a like): their account, or a
//! guest known by a voter token the service issued. Apps send the token back
//! in `X-Voter-Token`; browsers in the `bulletin_voter` cookie.

use crate::auth::{OpaqueSecret, Principal, Viewer, opaque_hash};
use crate::error::ApiError;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::header::HeaderName;
use actix_web::{FromRequest, HttpRequest, HttpResponseBuilder};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

pub const VOTER_HEADER: &str = "X-Voter-Token";
/// `VOTER_HEADER` as it is looked up, without parsing it each time.
pub const VOTER_HEADER_NAME: HeaderName = HeaderName::from_static("x-voter-token");
pub const VOTER_COOKIE: &str = "bulletin_voter";
const PREFIX: &str = "bvt_";
/// A token is kept a year; every vote renews it.
const COOKIE_DAYS: i64 = 365;

/// A guest's voter token: `bvt_` and 32 random bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoterToken(String);

impl VoterToken {
    /// A new token, as random as the other secrets the service hands out.
    pub fn issue() -> Result<Self, ApiError> {
        OpaqueSecret::generate(PREFIX)
            .map(|secret| Self(secret.plain))
            .map_err(|e| ApiError::Internal(format!("no random bytes for a voter token: {e}")))
    }

    /// A token in the form this service issues, or `None`.
    pub fn parse(text: &str) -> Option<Self> {
        let encoded = text.trim().strip_prefix(PREFIX)?;
        let bytes = URL_SAFE_NO_PAD.decode(encoded).ok()?;
        (bytes.len() == 32).then(|| Self(text.trim().to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Who reads, for votes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader {
    Account(i32),
    /// A guest, with the token they sent, if any.
    Guest(Option<VoterToken>),
    /// An API key: a program, which has no vote.
    Program,
}

impl Reader {
    /// The reader of a request. A malformed `X-Voter-Token` is a 400; a
    /// malformed cookie is ignored (a browser cannot be told to fix it).
    pub fn of(req: &HttpRequest, viewer: &Viewer) -> Result<Self, ApiError> {
        match &viewer.0 {
            Some(Principal::User(user)) => return Ok(Reader::Account(user.id)),
            Some(Principal::ApiKey(_)) => return Ok(Reader::Program),
            None => {}
        }
        if let Some(header) = req.headers().get(VOTER_HEADER_NAME) {
            let token = header.to_str().ok().and_then(VoterToken::parse).ok_or_else(|| {
                ApiError::BadRequest(format!(
                    "{VOTER_HEADER} is not a token this service issued; send the one it gave you, or none"
                ))
            })?;
            return Ok(Reader::Guest(Some(token)));
        }
        let cookie = req
            .cookie(VOTER_COOKIE)
            .and_then(|cookie| VoterToken::parse(cookie.value()));
        Ok(Reader::Guest(cookie))
    }

    /// The key this reader's votes are stored under (never a token itself),
    /// or `None` for a guest without a token or a program.
    pub fn key(&self) -> Option<String> {
        match self {
            Reader::Account(id) => Some(format!("user:{id}")),
            Reader::Guest(Some(token)) => Some(guest_key(token)),
            Reader::Guest(None) | Reader::Program => None,
        }
    }
}

/// A voter who may vote now: the key their votes go under, and for a guest
/// the token to hand back (a new one when they had none). As an extractor,
/// listed before the body: who may not vote hears so before the body is read.
pub struct Voter {
    pub key: String,
    pub token: Option<VoterToken>,
}

impl FromRequest for Voter {
    type Error = actix_web::Error;
    type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Result<Self, Self::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut actix_web::dev::Payload) -> Self::Future {
        let viewer = Viewer::from_request(req, payload);
        let req = req.clone();
        Box::pin(async move {
            let viewer = viewer.await?;
            Ok(Voter::from_reader(Reader::of(&req, &viewer)?)?)
        })
    }
}

impl Voter {
    /// Whether this is a guest (known by a voter token, not an account).
    pub fn is_guest(&self) -> bool {
        self.token.is_some()
    }
}

impl Voter {
    /// `reader` as a voter; programs have no vote.
    pub fn from_reader(reader: Reader) -> Result<Self, ApiError> {
        match reader {
            Reader::Account(id) => Ok(Voter {
                key: format!("user:{id}"),
                token: None,
            }),
            Reader::Guest(token) => {
                let token = match token {
                    Some(token) => token,
                    None => VoterToken::issue()?,
                };
                Ok(Voter {
                    key: guest_key(&token),
                    token: Some(token),
                })
            }
            Reader::Program => Err(ApiError::Forbidden(
                "API keys do not vote; readers do".into(),
            )),
        }
    }

    /// Hands a guest's token back: in `X-Voter-Token` for apps, and in a
    /// cookie for browsers.
    pub fn remember(&self, response: &mut HttpResponseBuilder) {
        if let Some(token) = &self.token {
            response.insert_header((VOTER_HEADER, token.as_str()));
            response.cookie(
                Cookie::build(VOTER_COOKIE, token.as_str().to_owned())
                    .path("/")
                    .http_only(true)
                    .same_site(SameSite::Lax)
                    .max_age(actix_web::cookie::time::Duration::days(COOKIE_DAYS))
                    .finish(),
            );
        }
    }
}

fn guest_key(token: &VoterToken) -> String {
    format!("guest:{}", opaque_hash(token.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_tokens_parse_and_others_do_not() {
        let token = VoterToken::issue().unwrap();
        assert_eq!(VoterToken::parse(token.as_str()), Some(token.clone()));
        assert_ne!(VoterToken::issue().unwrap(), token);
        for bad in ["", "bvt_", "bvt_abc", "xyz_AAAA", "bvt_!!!!"] {
            assert_eq!(VoterToken::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn votes_are_keyed_by_account_or_by_a_digest_of_the_token() {
        let token = VoterToken::issue().unwrap();
        let guest = Reader::Guest(Some(token.clone())).key().unwrap();
        assert!(guest.starts_with("guest:") && !guest.contains(token.as_str()));
        assert_eq!(Reader::Account(7).key().as_deref(), Some("user:7"));
        assert_eq!(Reader::Guest(None).key(), None);
        assert!(Voter::from_reader(Reader::Program).is_err());
        let fresh = Voter::from_reader(Reader::Guest(None)).unwrap();
        assert!(fresh.token.is_some(), "a guest without a token gets one");
    }
}
