//! Articles (bulletins): the news the portal publishes.

mod changes;
pub mod content;
mod counters;
mod kept_searches;
mod key;
mod linking;
mod list_routes;
pub mod listing;
pub mod model;
mod params;
pub mod queries;
mod related;
mod related_routes;
mod requests;
mod responses;
mod routes;
mod totals;
pub mod translations;
pub mod writes;

pub use kept_searches::KeptSearches;
pub use key::{ArticleKey, ArticleName};
pub use model::ArticleStatus;
pub use params::ArticleSort;
pub use responses::{
    ArticleChange, ArticleLink, ArticleListEntry, ArticleListItem, ArticleResponse,
    ArticleSummaryResponse, AuthorResponse, Breadcrumb, RemovedArticle, RevisionResponse, Showing,
};
pub use routes::configure;
pub use totals::PublicTotals;
