//! Articles (bulletins): the news the portal publishes.

pub mod content;
pub mod editorial;
mod key;
pub mod model;
pub mod queries;
mod responses;
mod routes;
mod totals;

pub use key::ArticleKey;
pub use model::ArticleStatus;
pub use responses::{
    ArticleListEntry, ArticleListItem, ArticleResponse, ArticleSummaryResponse, AuthorResponse,
    RemovedArticle, RevisionResponse,
};
pub use routes::configure;
pub use totals::PublicTotals;
