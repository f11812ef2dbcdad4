//! `If-Match` on writes to an existing resource: 412 when the client's copy is stale.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::http::header::{EntityTag, Header, IfMatch};
use actix_web::{FromRequest, HttpRequest};

use crate::error::ApiError;
use crate::http::etag::without_coding;

/// The request's `If-Match`, if it sent one (it is optional: without it the
/// write goes ahead, last writer wins).
pub struct Precondition(Option<IfMatch>);

impl Precondition {
    /// The resource a write is about, as `found` by `id`: a 404 naming it
    /// when there is none, a 412 when it changed since the client read it.
    pub fn admit<T: Versioned>(&self, found: Option<T>, id: i32) -> Result<T, ApiError> {
        let current = found.ok_or_else(|| ApiError::no_such(T::NOUN, id))?;
        self.check(&current.tag())?;
        Ok(current)
    }

    /// 412 unless the resource still is as the client last saw it. `If-Match`
    /// uses the strong comparison (RFC 9110 §13.1.1).
    pub fn check(&self, current: &EntityTag) -> Result<(), ApiError> {
        match &self.0 {
            None | Some(IfMatch::Any) => Ok(()),
            Some(IfMatch::Items(tags))
                if tags.iter().any(|tag| editable_part(tag).strong_eq(current)) =>
            {
                Ok(())
            }
            Some(IfMatch::Items(_)) => Err(ApiError::PreconditionFailed(format!(
                "the resource has changed since you read it (it is now {current}); read it again"
            ))),
        }
    }
}

/// The other way to say `If-Match`: the `version` a body carries. 412 when
/// it is not the current one.
pub fn check_version(sent: Option<i32>, current: i32) -> Result<(), ApiError> {
    match sent {
        Some(version) if version != current => Err(ApiError::PreconditionFailed(format!(
            "it is at version {current}, not {version}; read it again"
        ))),
        _ => Ok(()),
    }
}

/// What `If-Match` compares of a tag: not its content coding, nor the
/// digest of the read after its version (`"article-1-v3.9f86d081884c7d65"`:
/// views, votes and embedded objects change what is read, not what is edited).
fn editable_part(tag: &EntityTag) -> EntityTag {
    let tag = without_coding(tag);
    match tag.tag().split_once('.') {
        Some((version, _)) => EntityTag::new(tag.weak, version.to_owned()),
        None => tag,
    }
}

/// The strong tag of a versioned resource: changes exactly when it does.
pub fn version_tag(kind: &str, id: i32, version: i32) -> EntityTag {
    EntityTag::new_strong(format!("{kind}-{id}-v{version}"))
}

/// A resource clients change with `If-Match`: a row whose `version` every
/// write moves on. Its `ETag` and the tag writes check are [`Versioned::tag`].
pub trait Versioned {
    /// What its tags call it (`"category"`).
    const KIND: &'static str;
    /// What its 404s call it: its kind unless `versioned!` says otherwise.
    const NOUN: &'static str = Self::KIND;

    fn id_and_version(&self) -> (i32, i32);

    fn tag(&self) -> EntityTag {
        let (id, version) = self.id_and_version();
        version_tag(Self::KIND, id, version)
    }
}

/// Implements [`Versioned`] for a row with `id` and `version` fields.
macro_rules! versioned {
    ($row:ty, $kind:literal) => {
        $crate::http::versioned!($row, $kind, $kind);
    };
    ($row:ty, $kind:literal, $noun:literal) => {
        impl $crate::http::Versioned for $row {
            const KIND: &'static str = $kind;
            const NOUN: &'static str = $noun;

            fn id_and_version(&self) -> (i32, i32) {
                (self.id, self.version)
            }
        }
    };
}
pub(crate) use versioned;

impl FromRequest for Precondition {
    type Error = actix_web::Error;
    type Future = Ready<Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let present = req
            .headers()
            .contains_key(actix_web::http::header::IF_MATCH);
        ready(match IfMatch::parse(req) {
            // An empty If-Match names no version: as if none was sent.
            Ok(IfMatch::Items(tags)) if tags.is_empty() => Ok(Precondition(None)),
            Ok(if_match) => Ok(Precondition(present.then_some(if_match))),
            Err(_) => Err(ApiError::BadRequest("the If-Match header is malformed".into()).into()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stale_tag_fails_and_a_current_or_absent_one_passes() {
        let current = version_tag("user", 4, 2);
        let stale = version_tag("user", 4, 1);
        assert!(Precondition(None).check(&current).is_ok());
        assert!(Precondition(Some(IfMatch::Any)).check(&current).is_ok());
        assert!(
            Precondition(Some(IfMatch::Items(vec![current.clone()])))
                .check(&current)
                .is_ok()
        );
        assert!(matches!(
            Precondition(Some(IfMatch::Items(vec![stale]))).check(&current),
            Err(ApiError::PreconditionFailed(_))
        ));
        let gzip = EntityTag::new_strong(format!("{}-gzip", current.tag()));
        assert!(
            Precondition(Some(IfMatch::Items(vec![gzip])))
                .check(&current)
                .is_ok(),
            "any coding of it"
        );
        let read = EntityTag::new_strong(format!("{}.9f86d081884c7d65-gzip", current.tag()));
        assert!(
            Precondition(Some(IfMatch::Items(vec![read])))
                .check(&current)
                .is_ok(),
            "a read's tag, digest and all"
        );
        let weak = EntityTag::new_weak(current.tag().to_owned());
        assert!(
            Precondition(Some(IfMatch::Items(vec![weak])))
                .check(&current)
                .is_err(),
            "strong comparison"
        );
    }
}
