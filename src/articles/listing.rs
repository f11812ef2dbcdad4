//! Articles as lists show them: a page's rows with what each shows beside
//! itself (tags, cited documents, breadcrumbs), loaded for the whole page
//! at once. Article lists and searches use it, and so does every other
//! resource that embeds articles (collections).

use std::collections::HashMap;

use chrono::NaiveDateTime;

use super::model::ArticleRow;
use super::params::Embeds;
use super::queries::{self, ArticleWithContext};
use super::responses::{Breadcrumb, Showing};
use super::{ArticleListItem, ArticleSummaryResponse};
use crate::categories::CategoryRow;
use crate::db::DbConnection;
use crate::documents::queries::CitedDocument;
use crate::documents::{self, DocumentSummaryResponse};
use crate::media::StoredImage;
use crate::support::grouping::grouped;
use crate::support::timestamps::SiteOffset;

/// What list items show beside their own row, loaded for a whole page at once.
pub(crate) struct PageExtras {
    tags: HashMap<i32, Vec<String>>,
    documents: Option<HashMap<i32, Vec<CitedDocument>>>,
    /// Every category, to walk breadcrumbs in.
    categories: Option<Vec<CategoryRow>>,
    /// The covers from the media library, by image.
    covers: HashMap<i32, StoredImage>,
}

impl PageExtras {
    /// The tags and covers of these articles, and what `embeds` asks: the
    /// documents they cite, with their standing at `now` at the site; the
    /// categories.
    pub(crate) fn load<'a>(
        conn: &mut DbConnection,
        articles: impl Iterator<Item = &'a ArticleRow>,
        embeds: Embeds,
        now: NaiveDateTime,
        offset: SiteOffset,
    ) -> diesel::QueryResult<Self> {
        let (ids, cover_ids): (Vec<i32>, Vec<Option<i32>>) = articles
            .map(|article| (article.id, article.cover_media_id))
            .unzip();
        let cover_ids: Vec<i32> = cover_ids.into_iter().flatten().collect();
        let ids = ids.as_slice();
        let categories = if embeds.breadcrumbs {
            Some(crate::categories::queries::all(conn)?)
        } else {
            None
        };
        let documents = if embeds.documents {
            let today = offset.date_of(now);
            Some(grouped(documents::queries::cited_by_articles(
                conn, ids, today,
            )?))
        } else {
            None
        };
        Ok(Self {
            tags: grouped(queries::tags_of(conn, ids)?),
            documents,
            categories,
            covers: crate::media::queries::stored(conn, &cover_ids)?,
        })
    }

    pub(crate) fn item(
        &mut self,
        row: ArticleWithContext,
        shown: &Showing,
        now: NaiveDateTime,
    ) -> ArticleListItem {
        let id = row.article.id;
        let tags = self.tags.remove(&id).unwrap_or_default();
        // Cloned: articles may share a cover.
        let cover = row
            .article
            .cover_media_id
            .and_then(|image| self.covers.get(&image).cloned());
        let documents = self.documents.as_mut().map(|documents| {
            let cited = documents.remove(&id).unwrap_or_default();
            cited
                .into_iter()
                .map(|row| DocumentSummaryResponse::new(row, &shown.links))
                .collect()
        });
        let breadcrumbs = self.categories.as_deref().map(|all| {
            let trail = row
                .article
                .category_id
                .map_or_else(Vec::new, |id| crate::categories::trail(all, id));
            Breadcrumb::trail(trail, &shown.links)
        });
        ArticleListItem {
            summary: ArticleSummaryResponse::new(row, tags, cover, shown, now),
            documents,
            breadcrumbs,
        }
    }
}

/// The articles among `ids` that `shown_to` keeps, as lists show them
/// (tags embedded), in the order of `ids`.
pub fn items_in_order(
    conn: &mut DbConnection,
    ids: &[i32],
    shown_to: impl Fn(&ArticleRow) -> bool,
    now: NaiveDateTime,
    shown: &Showing,
) -> diesel::QueryResult<Vec<ArticleListItem>> {
    let rows: Vec<ArticleWithContext> = queries::listed_in_order(conn, ids)?
        .into_iter()
        .filter(|row| shown_to(&row.article))
        .collect();
    let articles = rows.iter().map(|row| &row.article);
    let mut extras = PageExtras::load(conn, articles, Embeds::default(), now, shown.offset)?;
    Ok(rows
        .into_iter()
        .map(|row| extras.item(row, shown, now))
        .collect())
}
