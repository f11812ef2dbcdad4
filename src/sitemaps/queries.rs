//! SQL for sitemaps. A page is `PER_PAGE` rows by id, read a row at a time
//! as it is written out; the index reads only each page's last id and
//! newest change.

use chrono::{NaiveDateTime, TimeDelta};
use diesel::connection::DefaultLoadingMode;
use diesel::dsl::{self, max};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Nullable, Timestamp};

use crate::articles::queries::{CHANGE_TIME, is_visible, visible_sql};
use crate::db::schema::{articles, documents};
use crate::db::{DbConnection, kept_text};

/// The most URLs a sitemap may hold (sitemaps.org).
pub const PER_PAGE: i64 = 50_000;
/// The most URLs a Google News sitemap may hold.
pub const NEWS_LIMIT: i64 = 1_000;
/// How far back a Google News sitemap reaches: Google takes no older article.
const NEWS_WINDOW: TimeDelta = TimeDelta::hours(48);

/// A page of a sitemap: 1 or more (the index numbers them from 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page(u32);

impl Page {
    pub fn new(number: u32) -> Option<Self> {
        (number >= 1).then_some(Self(number))
    }

    pub fn number(self) -> u32 {
        self.0
    }

    fn offset(self) -> i64 {
        i64::from(self.0 - 1) * PER_PAGE
    }
}

/// An article as a sitemap lists it.
#[derive(Debug, Queryable)]
pub struct ListedArticle {
    pub id: i32,
    pub slug: String,
    pub lang: String,
    /// Its last write, or the moment it went public when later (a scheduled
    /// article goes live with no write): `articles::queries::CHANGE_TIME`.
    pub changed: NaiveDateTime,
}

/// An article as a Google News sitemap lists it.
#[derive(Debug, Queryable)]
pub struct NewsArticle {
    pub id: i32,
    pub slug: String,
    pub lang: String,
    pub title: String,
    pub published_at: NaiveDateTime,
    pub changed: NaiveDateTime,
}

/// What the index lists: the newest change on each page of articles and of
/// documents (there is always a first page, `None` when it is empty), and
/// on the news sitemap.
#[derive(Debug)]
pub struct Contents {
    pub article_pages: Vec<Option<NaiveDateTime>>,
    pub document_pages: Vec<Option<NaiveDateTime>>,
    pub news: Option<NaiveDateTime>,
}

pub fn contents(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Contents> {
    Ok(Contents {
        article_pages: article_pages(conn, now)?,
        document_pages: document_pages(conn)?,
        news: news(conn, now)?.iter().map(|article| article.changed).max(),
    })
}

/// The newest change on each page of visible articles, a page a statement,
/// each over that page's entries of `articles_shown_by_id`: the rows keep
/// what it reads after their bodies.
fn article_pages(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Vec<Option<NaiveDateTime>>> {
    newest_per_page(conn, |conn, after| {
        // The newest of the rows' change times (`CHANGE_TIME`) is the later
        // of the newest write and the newest publication.
        let page = kept_text(format!(
            "SELECT count(*) AS listed, max(id) AS last, max(updated_at) AS written, \
             max(published_at) AS published FROM (SELECT id, updated_at, published_at \
             FROM articles WHERE {visible} AND id > ? ORDER BY id LIMIT ?) page",
            visible = visible_sql("articles", "?"),
        ))
        .bind::<Timestamp, _>(now)
        .bind::<Integer, _>(after)
        .bind::<BigInt, _>(PER_PAGE)
        .get_result::<ArticlePage>(conn)?;
        Ok(PageEnd {
            newest: page.written.max(page.published),
            full_up_to: page.last.filter(|_| page.listed == PER_PAGE),
        })
    })
}

/// A page of visible articles as the index counts it.
#[derive(QueryableByName)]
struct ArticlePage {
    #[diesel(sql_type = BigInt)]
    listed: i64,
    #[diesel(sql_type = Nullable<Integer>)]
    last: Option<i32>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    written: Option<NaiveDateTime>,
    #[diesel(sql_type = Nullable<Timestamp>)]
    published: Option<NaiveDateTime>,
}

/// The newest change on each page of documents (every document is public).
fn document_pages(conn: &mut DbConnection) -> QueryResult<Vec<Option<NaiveDateTime>>> {
    newest_per_page(conn, |conn, after| {
        let full_up_to = documents::table
            .filter(documents::id.gt(after))
            .order(documents::id)
            .select(documents::id)
            .offset(PER_PAGE - 1)
            .first::<i32>(conn)
            .optional()?;
        let newest = documents::table
            .filter(documents::id.gt(after))
            .filter(documents::id.le(full_up_to.unwrap_or(i32::MAX)))
            .select(max(documents::updated_at))
            .get_result::<Option<NaiveDateTime>>(conn)?;
        Ok(PageEnd { newest, full_up_to })
    })
}

/// What the index needs of a page: its newest change (`None` when it is
/// empty) and, when it is full, its last id, after which the next begins.
struct PageEnd {
    newest: Option<NaiveDateTime>,
    full_up_to: Option<i32>,
}

/// Walks the pages by id: `page_after(after)` reads the page that starts
/// after id `after`, over that page's ids alone, and no row leaves the
/// database.
fn newest_per_page(
    conn: &mut DbConnection,
    page_after: impl Fn(&mut DbConnection, i32) -> QueryResult<PageEnd>,
) -> QueryResult<Vec<Option<NaiveDateTime>>> {
    let mut pages = Vec::new();
    let mut after = i32::MIN;
    loop {
        let page = page_after(conn, after)?;
        // Past a last page that was exactly full: nothing more to list.
        if page.newest.is_none() && !pages.is_empty() {
            break;
        }
        pages.push(page.newest);
        match page.full_up_to {
            Some(last) => after = last,
            None => break,
        }
    }
    Ok(pages)
}

/// Hands `each` the visible articles of `page`, by id, a row at a time as
/// they are read (a page of 50,000 is never held as a list), from
/// `articles_shown_by_id`.
pub fn each_article_on_page(
    conn: &mut DbConnection,
    now: NaiveDateTime,
    page: Page,
    mut each: impl FnMut(ListedArticle),
) -> QueryResult<()> {
    let rows = articles::table
        .filter(is_visible(now))
        .order(articles::id)
        .limit(PER_PAGE)
        .offset(page.offset())
        .select((
            articles::id,
            articles::slug,
            articles::lang,
            dsl::sql::<Timestamp>(CHANGE_TIME),
        ))
        .load_iter::<ListedArticle, DefaultLoadingMode>(conn)?;
    for row in rows {
        each(row?);
    }
    Ok(())
}

/// Hands `each` the documents of `page` (id, last change), by id, a row at
/// a time as they are read.
pub fn each_document_on_page(
    conn: &mut DbConnection,
    page: Page,
    mut each: impl FnMut(i32, NaiveDateTime),
) -> QueryResult<()> {
    let rows = documents::table
        .order(documents::id)
        .limit(PER_PAGE)
        .offset(page.offset())
        .select((documents::id, documents::updated_at))
        .load_iter::<(i32, NaiveDateTime), DefaultLoadingMode>(conn)?;
    for row in rows {
        let (id, changed) = row?;
        each(id, changed);
    }
    Ok(())
}

/// The visible articles published in the last 48 hours, newest first, at
/// most `NEWS_LIMIT`.
pub fn news(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<Vec<NewsArticle>> {
    articles::table
        .filter(is_visible(now))
        .filter(articles::published_at.gt(now - NEWS_WINDOW))
        .order((articles::published_at.desc(), articles::id.desc()))
        .limit(NEWS_LIMIT)
        .select((
            articles::id,
            articles::slug,
            articles::lang,
            articles::title,
            articles::published_at.assume_not_null(),
            dsl::sql::<Timestamp>(CHANGE_TIME),
        ))
        .load(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pages_start_at_one_and_each_skips_a_full_page() {
        assert_eq!(Page::new(0), None);
        assert_eq!(Page::new(1).map(Page::offset), Some(0));
        assert_eq!(Page::new(3).map(Page::offset), Some(100_000));
        let last = Page::new(u32::MAX).unwrap();
        assert_eq!(last.offset(), i64::from(u32::MAX - 1) * 50_000);
    }
}
