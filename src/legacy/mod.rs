//! What was moved over from another system (a NukeViet portal): the ids it
//! had, kept so a second import skips what the first one brought, and so the
//! old portal's URLs answer with a permanent redirect to the new resource.

pub mod queries;
mod routes;

use crate::db::text_enum;
use crate::http::permalinks::Permalinks;
pub use routes::configure;

text_enum! {
    /// The system something was imported from.
    pub enum Source {
        Nukeviet = "nukeviet",
    }
}

text_enum! {
    /// What an imported id names.
    pub enum LegacyKind {
        Category = "category",
        Area = "area",
        Document = "document",
        Article = "article",
        Comment = "comment",
    }
}

/// Where old URLs send readers: the pages of a frontend
/// (`BULLETIN_LEGACY_ARTICLE_URL` and its siblings, else the frontend's
/// permalinks), or the API resources.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RedirectTargets(pub Permalinks);

impl std::ops::Deref for RedirectTargets {
    type Target = Permalinks;

    fn deref(&self) -> &Permalinks {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_and_sources_are_stored_as_they_are_named() {
        crate::db::assert_json_matches_storage(LegacyKind::ALL, |k| k.as_str());
        crate::db::assert_json_matches_storage(Source::ALL, |s| s.as_str());
    }
}
