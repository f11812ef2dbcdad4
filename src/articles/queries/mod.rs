//! SQL for articles: finding one, lists and their counts, feeds,
//! translations and tags; cursors, search and revisions in their own files.

mod cursors;
mod revisions;
mod search;

pub(crate) use cursors::{CHANGE_TIME, RATING_SCORE, VIEW_COUNT};
pub use cursors::{ListOrder, ListPosition, change_time};
pub use revisions::{RevisionRow, insert_revision, revision, revisions};
pub use search::{SearchHit, SearchResults, search_visible};

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::dsl;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Text, Timestamp};

use super::key::ArticleName;
use super::model::{ArticleRow, ArticleStatus, AuthorRow, NewArticle};
use super::params::ArticleSort;
use crate::categories::CategoryRow;
use crate::db::DbConnection;
use crate::db::schema::{
    article_references, article_tags, article_views, articles, categories, media, users,
};
use crate::db::{Bound, KeptText, add_to, kept_sql, nulls_first, nulls_last, one_of, substr};
use crate::text::slug::IdOrSlug;

/// An article with what is shown beside it, loaded in one query.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct ArticleWithContext {
    #[diesel(embed)]
    pub article: ArticleRow,
    #[diesel(embed)]
    pub category: Option<CategoryRow>,
    #[diesel(embed)]
    pub author: Option<AuthorRow>,
}

/// An article and its context read without its plain-text body (an empty
/// string), which only writes use: `body_html` and the SEO fields are the
/// expressions given, in `ArticleRow`'s order. Bodies fill overflow pages:
/// reading them and checking their UTF-8 is most of what a row costs.
macro_rules! without_plain_text {
    (body_html: $body_html:expr, meta: ($meta_title:expr, $meta_description:expr)) => {
        (
            (
                articles::id,
                articles::slug,
                articles::title,
                articles::summary,
                $body_html,
                articles::cover_image_url,
                articles::byline,
                articles::status,
                articles::published_at,
                article_views::view_count,
                articles::comment_count,
                articles::rating_total,
                articles::rating_count,
                articles::version,
                articles::created_at,
                articles::updated_at,
                articles::category_id,
                articles::author_id,
                articles::deleted_at,
                "".into_sql::<diesel::sql_types::Text>(),
                articles::word_count,
                articles::featured,
                $meta_title,
                $meta_description,
                articles::cover_media_id,
                articles::og_media_id,
                articles::lang,
                articles::translation_of,
            ),
            <Option<CategoryRow> as Selectable<crate::db::Backend>>::construct_selection(),
            <Option<AuthorRow> as Selectable<crate::db::Backend>>::construct_selection(),
        )
    };
}

/// What lists and searches read of each article and its context: all but
/// the bodies and the SEO fields, which only an article's own page shows
/// (a list carrying bodies through its sort spent most of its time on them).
macro_rules! listed_with_context {
    () => {{
        use diesel::sql_types::{Nullable, Text};
        without_plain_text!(
            body_html: "".into_sql::<Text>(),
            meta: (
                None::<String>.into_sql::<Nullable<Text>>(),
                None::<String>.into_sql::<Nullable<Text>>()
            )
        )
    }};
}

/// What an article's public page reads of it and its context: all but the
/// plain-text body.
macro_rules! page_with_context {
    () => {
        without_plain_text!(
            body_html: articles::body_html,
            meta: (articles::meta_title, articles::meta_description)
        )
    };
}

pub(crate) type IsVisible = dsl::And<
    dsl::And<
        dsl::Or<dsl::Eq<articles::status, ArticleStatus>, dsl::Eq<articles::status, ArticleStatus>>,
        dsl::LtEq<articles::published_at, NaiveDateTime>,
    >,
    dsl::IsNull<articles::deleted_at>,
>;

/// What guests may see: published or scheduled, once its time has come (so a
/// scheduled article appears by itself with no job to run), and not trashed.
/// Two comparisons rather than `IN`: diesel keeps no prepared statement of a
/// query with an `IN` list, and this one is in nearly every public read.
pub(crate) fn is_visible(now: NaiveDateTime) -> IsVisible {
    let [published, scheduled] = ArticleStatus::SHOWN;
    articles::status
        .eq(published)
        .or(articles::status.eq(scheduled))
        .and(articles::published_at.le(now))
        .and(articles::deleted_at.is_null())
}

/// [`is_visible`] as SQL text, for the statements written by hand (search
/// on SQLite, the documents' citation counts): the articles of `table` (a
/// name or an alias) that guests see at `now` (a `?` to bind or a column).
pub(crate) fn visible_sql(table: &str, now: &str) -> String {
    let [published, scheduled] = ArticleStatus::SHOWN.map(ArticleStatus::as_str);
    format!(
        "{table}.status IN ('{published}', '{scheduled}') AND {table}.published_at <= {now} \
         AND {table}.deleted_at IS NULL"
    )
}

/// The ids of the articles guests do not see at `now` (a `?`, bound twice,
/// or a column), as SQL text, some perhaps twice: those not published or
/// trashed, through the small `articles_unlisted` index, and those
/// published with a time still to come, through the visible-articles
/// index. They are few beside the archive, so the visible articles among
/// many are counted as those many less these, without reading each one's
/// row. `UNION ALL`: a plain `UNION` merges the two in id order, which
/// SQLite serves by reading every article (bodies and all) rather than sort
/// the few ids.
pub(crate) fn hidden_sql(now: &str) -> String {
    format!(
        "SELECT id FROM articles WHERE (deleted_at IS NOT NULL OR status <> 'published') \
         AND NOT coalesce({visible}, false) \
         UNION ALL SELECT id FROM articles WHERE deleted_at IS NULL AND published_at > {now}",
        visible = visible_sql("articles", now)
    )
}

/// How many articles guests see at `now` are linked to `key` through
/// `table`'s `column` (each a `?`, a key bound twice and a time twice, or a
/// column), as SQL text: the links, counted on their index, less those of
/// the few hidden articles (`hidden_sql`), without reading a linked
/// article's row (every visibility column sits past its body). A row per
/// article: an article holds each tag once (`Tags` keeps one spelling of a
/// key) and cites each number once (the references' key).
pub(crate) fn visible_linked_sql(table: &str, column: &str, key: &str, now: &str) -> String {
    format!(
        "((SELECT count(*) FROM {table} l WHERE l.{column} = {key}) \
         - (SELECT count(*) FROM {table} l WHERE l.{column} = {key} \
            AND l.article_id IN ({hidden})))",
        hidden = hidden_sql(now)
    )
}

/// An article as another one's page links to it: id, slug, title and
/// publication time.
pub type LinkedArticle = (i32, String, String, NaiveDateTime);

/// The visible articles just before and just after `article` in its
/// category, by publication time (ties by id): what its page links as
/// previous and next. None for an article with no category or not yet
/// given a publication time.
pub fn neighbours(
    conn: &mut DbConnection,
    article: &ArticleRow,
    now: NaiveDateTime,
) -> QueryResult<(Option<LinkedArticle>, Option<LinkedArticle>)> {
    let (Some(category), Some(at)) = (article.category_id, article.published_at) else {
        return Ok((None, None));
    };
    let (id, lang) = (article.id, &article.lang);
    crate::db::on_engine!(conn, conn => {
        // Each side is bounded by the article's own time, so SQLite seeks the
        // category's index there rather than scan from `now` down to it (half
        // a category, every time compared as text, on each read of an article).
        let in_category = |visible_at: NaiveDateTime| {
            articles::table
                .filter(is_visible(visible_at))
                .filter(articles::category_id.eq(category))
                .filter(articles::lang.eq(lang))
                .select((
                    articles::id,
                    articles::slug,
                    articles::title,
                    articles::published_at.assume_not_null(),
                ))
        };
        // Visible at the earlier of the two: what is before the article and
        // visible now (a staff reader may look at an article still to come).
        let previous = in_category(at.min(now))
            .filter(
                articles::published_at
                    .lt(at)
                    .or(articles::published_at.eq(at).and(articles::id.lt(id))),
            )
            .order((articles::published_at.desc(), articles::id.desc()))
            .first(conn)
            .optional()?;
        let next = in_category(now)
            .filter(articles::published_at.ge(at))
            .filter(
                articles::published_at
                    .gt(at)
                    .or(articles::published_at.eq(at).and(articles::id.gt(id))),
            )
            .order((articles::published_at.asc(), articles::id.asc()))
            .first(conn)
            .optional()?;
        Ok((previous, next))
    })
}

/// When the next article appears by the clock alone (a `published_at` to
/// come): what lists and neighbours show may change then without a write.
/// On the engine's connection: every article page made for a cache that
/// keeps pages with their views current reads it.
pub fn next_to_appear(
    conn: &mut DbConnection,
    now: NaiveDateTime,
) -> QueryResult<Option<NaiveDateTime>> {
    let [published, scheduled] = ArticleStatus::SHOWN;
    crate::db::on_engine!(conn, conn => articles::table
        .filter(
            articles::status
                .eq(published)
                .or(articles::status.eq(scheduled)),
        )
        .filter(articles::published_at.gt(now))
        .filter(articles::deleted_at.is_null())
        .select(dsl::min(articles::published_at))
        .first(conn))
}

/// The figures of an article that move without it changing.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct CounterRow {
    pub id: i32,
    #[diesel(select_expression = article_views::view_count)]
    pub view_count: i64,
    pub comment_count: i64,
    pub rating_total: i64,
    pub rating_count: i64,
}

/// The moving figures of the visible articles among `ids`.
pub fn counters(
    conn: &mut DbConnection,
    ids: &[i32],
    now: NaiveDateTime,
) -> QueryResult<Vec<CounterRow>> {
    articles::table
        .inner_join(article_views::table)
        .filter(one_of(articles::id, ids))
        .filter(is_visible(now))
        .select(CounterRow::as_select())
        .load(conn)
}

/// How many articles there are, in any state.
pub fn count_all(conn: &mut DbConnection) -> QueryResult<i64> {
    articles::table.count().get_result(conn)
}

/// Whether there is any article at all, in any state.
pub fn any(conn: &mut DbConnection) -> QueryResult<bool> {
    diesel::select(dsl::exists(articles::table.select(articles::id))).get_result(conn)
}

/// The articles with these ids, with their context, in no particular order,
/// as lists show them (without their bodies).
pub fn listed_with_context(
    conn: &mut DbConnection,
    ids: &[i32],
) -> QueryResult<Vec<ArticleWithContext>> {
    crate::db::on_engine!(conn, conn => {
        articles::table
            .inner_join(article_views::table)
            .left_join(categories::table)
            .left_join(users::table)
            .filter(one_of(articles::id, ids))
            .select(listed_with_context!())
            .load(conn)
    })
}

/// [`listed_with_context`] in the order of `ids`; an id with no article
/// (purged meanwhile) is left out.
pub fn listed_in_order(
    conn: &mut DbConnection,
    ids: &[i32],
) -> QueryResult<Vec<ArticleWithContext>> {
    let mut by_id: HashMap<i32, ArticleWithContext> = listed_with_context(conn, ids)?
        .into_iter()
        .map(|row| (row.article.id, row))
        .collect();
    Ok(ids.iter().filter_map(|id| by_id.remove(id)).collect())
}

/// Adds counted views, each article in one statement.
pub fn add_views(conn: &mut DbConnection, counts: &[(i32, i64)]) -> QueryResult<()> {
    crate::db::on_engine!(conn, conn => {
        for (article_id, count) in counts {
            add_to(article_views::view_count, *article_id, *count).execute(conn)?;
        }
        Ok(())
    })
}

/// Writes a new article and its row of counted views (every article has
/// one: reads join it); answers its id.
pub fn insert(conn: &mut DbConnection, article: &NewArticle<'_>) -> QueryResult<i32> {
    crate::db::on_engine!(conn, conn => {
        let id = diesel::insert_into(articles::table)
            .values(article)
            .returning(articles::id)
            .get_result(conn)?;
        diesel::insert_into(article_views::table)
            .values((
                article_views::article_id.eq(id),
                article_views::view_count.eq(article.view_count),
            ))
            .execute(conn)?;
        Ok(id)
    })
}

/// Whether readers see the article with this id: the check before a vote or
/// a comment, which needs none of the article's text.
pub fn is_public(conn: &mut DbConnection, id: i32, now: NaiveDateTime) -> QueryResult<bool> {
    crate::db::on_engine!(conn, conn => {
        diesel::select(dsl::exists(
            articles::table
                .filter(articles::id.eq(id))
                .filter(is_visible(now))
                .select(articles::id),
        ))
        .get_result(conn)
    })
}

/// The first row of `query` narrowed to the article `name` names: by id,
/// or by slug in the language asked for, else the site's language first,
/// else the oldest. One statement for each of the four shapes of a name
/// rather than a boxed query: diesel knows an unboxed one by its type and
/// finds it prepared, where a boxed one has its SQL written anew on every
/// read to look it up (3 to 4 % of the server's time on the long tail).
macro_rules! first_named {
    ($query:expr, $name:expr, $conn:expr) => {{
        let name: &ArticleName = $name;
        let order = (
            articles::lang.ne(name.site_lang.as_str().to_owned()),
            articles::id,
        );
        match (&name.key, &name.lang) {
            (IdOrSlug::Id(id), None) => $query
                .filter(articles::id.eq(*id))
                .order(order)
                .first($conn),
            (IdOrSlug::Id(id), Some(lang)) => $query
                .filter(articles::id.eq(*id))
                .filter(articles::lang.eq(lang.as_str().to_owned()))
                .order(order)
                .first($conn),
            (IdOrSlug::Slug(slug), None) => $query
                .filter(articles::slug.eq(slug.as_str().to_owned()))
                .order(order)
                .first($conn),
            (IdOrSlug::Slug(slug), Some(lang)) => $query
                .filter(articles::slug.eq(slug.as_str().to_owned()))
                .filter(articles::lang.eq(lang.as_str().to_owned()))
                .order(order)
                .first($conn),
        }
        .optional()
    }};
}

pub fn find_visible(
    conn: &mut DbConnection,
    name: &ArticleName,
    now: NaiveDateTime,
) -> QueryResult<Option<ArticleWithContext>> {
    crate::db::on_engine!(conn, conn => {
        let visible = articles::table
            .inner_join(article_views::table)
            .left_join(categories::table)
            .left_join(users::table)
            .filter(is_visible(now))
            .select(page_with_context!());
        first_named!(visible, name, conn)
    })
}

/// What a list of articles is narrowed to.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ArticleFilter {
    /// A category and its subcategories.
    pub category_ids: Option<Vec<i32>>,
    pub author_id: Option<i32>,
    /// A tag, in lower case (tags match whatever their case).
    pub tag_key: Option<String>,
    /// Only articles citing the document with this canonical number.
    pub cites_number: Option<String>,
    /// Published at or after.
    pub published_from: Option<NaiveDateTime>,
    /// Published before.
    pub published_to: Option<NaiveDateTime>,
    /// Featured, or not.
    pub featured: Option<bool>,
    /// Written in this language (a [`crate::text::lang::Lang`]'s spelling).
    pub lang: Option<String>,
}

impl ArticleFilter {
    /// Whether it keeps every article.
    pub fn is_empty(&self) -> bool {
        self.category_ids.is_none()
            && self.author_id.is_none()
            && self.tag_key.is_none()
            && self.cites_number.is_none()
            && self.published_from.is_none()
            && self.published_to.is_none()
            && self.featured.is_none()
            && self.lang.is_none()
    }

    /// Whether it keeps articles published within dates.
    pub fn has_dates(&self) -> bool {
        self.published_from.is_some() || self.published_to.is_some()
    }

    /// Whether it asks nothing of the articles' own columns, only (if
    /// anything) their links: a tag, a cited number (`Membership::of`).
    pub fn narrows_by_links_alone(&self) -> bool {
        let links = ArticleFilter {
            tag_key: self.tag_key.clone(),
            cites_number: self.cites_number.clone(),
            ..ArticleFilter::default()
        };
        links == *self
    }
}

/// Which articles a list draws from, before its filter.
#[derive(Debug, Clone)]
pub enum Scope {
    /// What guests see.
    Public,
    /// Articles outside the trash in these states, as readers see them (a
    /// scheduled article whose time has come is published). `owner` limits
    /// the unpublished ones to an author's own.
    Statuses {
        statuses: Vec<ArticleStatus>,
        owner: Option<i32>,
    },
    /// The trash, whatever the states.
    Trash,
    /// Mobile sync: every article whose publication time has come, public
    /// now or public once and removed since (where a sync resumes is the
    /// list's `after` position).
    Changes,
}

impl Scope {
    /// Whether published articles are among those it draws from.
    pub fn includes_published(&self) -> bool {
        match self {
            Scope::Public | Scope::Changes => true,
            Scope::Statuses { statuses, .. } => statuses.contains(&ArticleStatus::Published),
            Scope::Trash => false,
        }
    }

    /// Whether it may hold articles without a publication time (drafts):
    /// the public articles and the sync's have one that has come.
    fn may_hold_drafts(&self) -> bool {
        matches!(self, Scope::Statuses { .. } | Scope::Trash)
    }
}

/// Whether an article's status as readers see it (`ArticleStatus::as_of`)
/// is one of `statuses`: a scheduled article whose time has come is
/// published. The statuses are the enum's own fixed words, written into
/// the statement (a handful of combinations, each kept prepared).
pub(crate) fn shown_status_in(
    statuses: &[ArticleStatus],
    now: NaiveDateTime,
) -> Bound<KeptText<Bool>, NaiveDateTime, Timestamp> {
    let words: Vec<String> = statuses
        .iter()
        .map(|status| format!("'{}'", status.as_str()))
        .collect();
    kept_sql::<Bool>(format!(
        "(CASE WHEN articles.status = 'scheduled' AND articles.published_at <= ? \
         THEN 'published' ELSE articles.status END) IN ({})",
        words.join(", ")
    ))
    .bind::<Timestamp, _>(now)
}

/// How a list narrowed to a tag or to a cited document meets its articles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Members {
    /// The linked articles listed from the link's index, each one's row
    /// read and the lot sorted: cheap while they are few.
    Listed,
    /// The list's order walked, each article tested against the link's
    /// index: cheap while they are many, as the page's rows come early.
    Probed,
}

/// A link an article list may be narrowed to: a tag, or a document cited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    Tag,
    Citation,
}

impl Membership {
    /// The links `filter` narrows to, each with its key.
    pub(crate) fn of(filter: &ArticleFilter) -> impl Iterator<Item = (Membership, &str)> {
        let tag = filter.tag_key.as_deref().map(|key| (Membership::Tag, key));
        let citation =
            (filter.cites_number.as_deref()).map(|number| (Membership::Citation, number));
        tag.into_iter().chain(citation)
    }

    /// The one link `filter` narrows to when it narrows to nothing else.
    fn sole_of(filter: &ArticleFilter) -> Option<(Membership, &str)> {
        let mut of = Membership::of(filter);
        let sole = of.next().filter(|_| of.next().is_none())?;
        filter.narrows_by_links_alone().then_some(sole)
    }

    /// Only the articles linked to `key`, met as `members` says. With
    /// `Members::Probed`, `OFFSET 0` keeps each article's test a test:
    /// without it PostgreSQL may join the link's rows instead, and a
    /// prepared statement's generic plan, made for a key linked to few
    /// articles, then reads and sorts every linked one (a page of a
    /// document cited by 71,390 articles, 174 ms; tested, 2.3). SQLite
    /// tests each row anyway.
    pub(crate) fn narrows(
        self,
        members: Members,
        key: &str,
    ) -> Bound<KeptText<Bool>, String, Text> {
        let (table, column) = self.table_and_column();
        let linked = format!("SELECT {table}.article_id FROM {table} WHERE {table}.{column} = ?");
        kept_sql::<Bool>(match members {
            Members::Listed => format!("articles.id IN ({linked})"),
            Members::Probed => {
                format!("EXISTS ({linked} AND {table}.article_id = articles.id LIMIT 1 OFFSET 0)")
            }
        })
        .bind::<Text, _>(key.to_owned())
    }

    /// How many articles are linked to `key`, counting no further than
    /// `most`: a walk of at most that many entries of the link's index.
    fn linked_up_to(self, conn: &mut DbConnection, key: &str, most: i64) -> QueryResult<i64> {
        let linked: Vec<i32> = match self {
            Membership::Tag => article_tags::table
                .filter(article_tags::tag_key.eq(key))
                .select(article_tags::article_id)
                .limit(most)
                .load(conn)?,
            Membership::Citation => article_references::table
                .filter(article_references::number.eq(key))
                .select(article_references::article_id)
                .limit(most)
                .load(conn)?,
        };
        Ok(i64::try_from(linked.len()).unwrap_or(i64::MAX))
    }

    /// How many articles guests see at `now` are linked to `key`
    /// (`visible_linked_sql`). A tag on 9,149 of 100,000 articles took 31
    /// to 40 ms to count by reading each linked article's row.
    fn visible_linked(
        self,
        conn: &mut DbConnection,
        key: &str,
        now: NaiveDateTime,
    ) -> QueryResult<i64> {
        let (table, column) = self.table_and_column();
        diesel::select(
            kept_sql::<BigInt>(visible_linked_sql(table, column, "?", "?"))
                .bind::<Text, _>(key)
                .bind::<Text, _>(key)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(now),
        )
        .get_result(conn)
    }

    /// The table of these links, and the column of their keys.
    fn table_and_column(self) -> (&'static str, &'static str) {
        match self {
            Membership::Tag => ("article_tags", "tag_key"),
            Membership::Citation => ("article_references", "number"),
        }
    }
}

/// How a page of `rows` rows (those skipped included) of `scope` narrowed
/// by `filter` meets its articles: by walking the list's order once every
/// link `filter` narrows to holds at least `walk_pays_from` articles.
/// Only the public lists walk: a staff list by status may keep few of the
/// articles it walks past.
fn members_for_page(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &ArticleFilter,
    rows: i64,
) -> QueryResult<Members> {
    if !matches!(scope, Scope::Public | Scope::Changes) || Membership::of(filter).next().is_none() {
        return Ok(Members::Listed);
    }
    let archive: Option<i32> = articles::table
        .select(dsl::max(articles::id))
        .get_result(conn)?;
    let enough = walk_pays_from(rows, archive.map_or(0, i64::from));
    for (link, key) in Membership::of(filter) {
        if link.linked_up_to(conn, key, enough)? < enough {
            return Ok(Members::Listed);
        }
    }
    Ok(Members::Probed)
}

/// The fewest linked articles from which a page of `rows` rows is found
/// sooner by walking the list's order over an archive of `archive`
/// articles, testing each against the link's index, than by reading every
/// linked article and sorting them. The walk passes about rows × archive /
/// linked articles, 0.17 µs each; the listing reads every linked article's
/// row, 0.7 to 3 µs each (more for longer bodies). So the walk pays from
/// linked² ≥ rows × archive / 8. Measured at 100,000 articles, a page of
/// 21: a tag on 2,984 articles 9.3 ms listed, 0.12 ms walked; a document
/// cited by 42, 0.03 ms listed, 14 ms walked.
fn walk_pays_from(rows: i64, archive: i64) -> i64 {
    (rows.max(1).saturating_mul(archive.max(0)) / 8)
        .isqrt()
        .max(1)
}

/// The articles of `scope` that `filter` keeps, from `source` (the table
/// alone to count them, joined with their context for a page), boxed: one
/// definition for the count and the page, so the two cannot disagree.
macro_rules! matching {
    ($source:expr, $scope:expr, $filter:expr, $now:expr, $members:expr) => {{
        use diesel::prelude::*;
        use $crate::articles::queries::{
            ArticleFilter, Members, Membership, Scope, is_visible, shown_status_in,
        };
        use $crate::db::schema::articles;
        let (scope, filter, now, members): (
            &Scope,
            &ArticleFilter,
            chrono::NaiveDateTime,
            Members,
        ) = ($scope, $filter, $now, $members);
        let query = $source.into_boxed();
        let mut query = match scope {
            Scope::Public => query.filter(is_visible(now)),
            Scope::Statuses { statuses, owner } => {
                let query = query
                    .filter(articles::deleted_at.is_null())
                    .filter(shown_status_in(statuses, now));
                match owner {
                    Some(id) => query.filter(is_visible(now).or(articles::author_id.eq(*id))),
                    None => query,
                }
            }
            Scope::Trash => query.filter(articles::deleted_at.is_not_null()),
            // Public now, or once: a tombstone only for what a reader could hold.
            Scope::Changes => query
                .filter(articles::published_at.le(now))
                .filter(is_visible(now).or(articles::was_public)),
        };
        if let Some(ids) = &filter.category_ids {
            query = query.filter(articles::category_id.eq_any(ids.clone()));
        }
        if let Some(author_id) = filter.author_id {
            query = query.filter(articles::author_id.eq(author_id));
        }
        for (link, key) in Membership::of(filter) {
            query = query.filter(link.narrows(members, key));
        }
        if let Some(from) = filter.published_from {
            query = query.filter(articles::published_at.ge(from));
        }
        if let Some(to) = filter.published_to {
            query = query.filter(articles::published_at.lt(to));
        }
        // The bare column, not `= ?`: a bound value never matches the
        // partial index of featured articles.
        match filter.featured {
            Some(true) => query = query.filter(articles::featured),
            Some(false) => query = query.filter(diesel::dsl::not(articles::featured)),
            None => {}
        }
        if let Some(lang) = &filter.lang {
            query = query.filter(articles::lang.eq(lang.clone()));
        }
        query
    }};
}

pub(crate) use matching;

/// How many articles of `scope` `filter` keeps: counted on the table
/// alone, as a page's joins add no rows, only reads.
pub fn count(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &ArticleFilter,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    // Narrowed to one link alone, on the link's index: `hidden_sql` is the
    // complement of what `is_visible` keeps, and a test pages through such a
    // list against its total.
    if let (Scope::Public, Some((link, key))) = (scope, Membership::sole_of(filter)) {
        return link.visible_linked(conn, key, now);
    }
    matching!(articles::table, scope, filter, now, Members::Listed)
        .count()
        .get_result(conn)
}

/// How many public articles `filter` keeps whose publication time came
/// after `since` (and by `now`): what a total counted at `since` lacks.
pub fn count_public_since(
    conn: &mut DbConnection,
    filter: &ArticleFilter,
    since: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    // The few articles since: found by walking them, whatever the links.
    matching!(
        articles::table,
        &Scope::Public,
        filter,
        now,
        Members::Probed
    )
    .filter(articles::published_at.gt(since))
    .count()
    .get_result(conn)
}

/// One page of `scope` in `order` (without bodies; `count` says how many
/// there are in all). Fetches one row more than `limit`, so the caller knows
/// whether more exist. `after` must come from the same order (it is ignored
/// otherwise: the caller says so).
#[allow(clippy::too_many_arguments)]
pub fn list(
    conn: &mut DbConnection,
    scope: &Scope,
    filter: &ArticleFilter,
    order: ListOrder,
    now: NaiveDateTime,
    limit: u32,
    offset: i64,
    after: Option<ListPosition>,
) -> QueryResult<Vec<ArticleWithContext>> {
    use diesel::sql_types::{Bool, Double, Integer, Timestamp};
    // The page's ids first, then their rows: the ids come from the index
    // alone, where a row skipped by `offset` cost a read of the article's
    // record past its body (for the author's join) and three joins. At
    // 10,000 articles, 20 rows at offset 980 took 1.1 ms, and 0.26 so.
    // The views' table stays joined: an order and a position read it.
    let rows = crate::db::rows_for_page(limit);
    let members = members_for_page(conn, scope, filter, offset.saturating_add(rows))?;
    let query = matching!(
        articles::table.inner_join(article_views::table),
        scope,
        filter,
        now,
        members
    )
    .select(articles::id)
    .limit(rows)
    .offset(offset);
    // By publication time, drafts (no publication time) come first oldest
    // first and last newest first, as their cursors expect. A scope without
    // drafts takes the plain order: PostgreSQL's index of publication times
    // holds descending times with nulls first, so it walks that index
    // rather than sort every visible article (17 ms a page at 10,000
    // articles, against 0.2). On SQLite both are its index's order.
    let drafts = scope.may_hold_drafts();
    let mut query = match order {
        ListOrder::Sorted(ArticleSort::OldestFirst) if drafts => query.order((
            nulls_first(articles::published_at.asc()),
            articles::id.asc(),
        )),
        ListOrder::Sorted(ArticleSort::OldestFirst) => {
            query.order((articles::published_at.asc(), articles::id.asc()))
        }
        // In the order of the views table's index. Every count is at least
        // 0 (a CHECK says so), but only with a range on the count does
        // SQLite weigh walking that index against sorting every visible
        // article (31 ms at 100,000 articles, against 0.5).
        ListOrder::Sorted(ArticleSort::MostViewed) => {
            query.filter(article_views::view_count.ge(0)).order((
                article_views::view_count.desc(),
                article_views::article_id.desc(),
            ))
        }
        ListOrder::Sorted(ArticleSort::BestRated) => {
            query.order((kept_sql::<Double>(RATING_SCORE).desc(), articles::id.desc()))
        }
        ListOrder::Sorted(ArticleSort::RecentlyChanged) => {
            query.order((articles::updated_at.desc(), articles::id.desc()))
        }
        ListOrder::Sorted(ArticleSort::NewestFirst | ArticleSort::Relevance) if drafts => query
            .order((
                nulls_last(articles::published_at.desc()),
                articles::id.desc(),
            )),
        ListOrder::Sorted(ArticleSort::NewestFirst | ArticleSort::Relevance) => {
            query.order((articles::published_at.desc(), articles::id.desc()))
        }
        ListOrder::Changes => {
            query.order((kept_sql::<Timestamp>(CHANGE_TIME).asc(), articles::id.asc()))
        }
    };
    match after.filter(|position| position.order() == order) {
        // Newest first, drafts (no publication time) last.
        Some(ListPosition::Newest { p: Some(p), i }) => {
            query = query.filter(
                articles::published_at
                    .lt(p)
                    .or(articles::published_at.eq(p).and(articles::id.lt(i)))
                    .or(articles::published_at.is_null()),
            );
        }
        Some(ListPosition::Newest { p: None, i }) => {
            query = query.filter(articles::published_at.is_null().and(articles::id.lt(i)));
        }
        // Oldest first, drafts first.
        Some(ListPosition::Oldest { p: Some(p), i }) => {
            query = query.filter(
                articles::published_at
                    .gt(p)
                    .or(articles::published_at.eq(p).and(articles::id.gt(i))),
            );
        }
        Some(ListPosition::Oldest { p: None, i }) => {
            query = query.filter(
                articles::published_at
                    .is_null()
                    .and(articles::id.gt(i))
                    .or(articles::published_at.is_not_null()),
            );
        }
        Some(ListPosition::Views { v, i }) => {
            query = query.filter(
                article_views::view_count.lt(v).or(article_views::view_count
                    .eq(v)
                    .and(article_views::article_id.lt(i))),
            );
        }
        Some(ListPosition::Rating { a, i }) => {
            query = query.filter(
                kept_sql::<Bool>(format!(
                    "({RATING_SCORE} < ? OR ({RATING_SCORE} = ? AND articles.id < ?))"
                ))
                .bind::<Double, _>(a)
                .bind::<Double, _>(a)
                .bind::<Integer, _>(i),
            );
        }
        Some(ListPosition::Updated { u, i }) => {
            query = query.filter(
                articles::updated_at
                    .lt(u)
                    .or(articles::updated_at.eq(u).and(articles::id.lt(i))),
            );
        }
        Some(ListPosition::Changed { c, i }) => {
            query = query.filter(
                kept_sql::<Bool>(format!(
                    "({CHANGE_TIME} > ? OR ({CHANGE_TIME} = ? AND articles.id > ?))"
                ))
                .bind::<Timestamp, _>(c)
                .bind::<Timestamp, _>(c)
                .bind::<Integer, _>(i),
            );
        }
        None => {}
    }
    let ids: Vec<i32> = query.load(conn)?;
    listed_in_order(conn, &ids)
}

/// An article as a feed shows it: its body cut to a bounded length in SQL,
/// so a feed of long articles never holds their whole texts.
#[derive(Debug, Queryable)]
pub struct FeedArticle {
    pub id: i32,
    pub slug: String,
    pub lang: String,
    pub title: String,
    pub summary: String,
    /// At most the `body_chars` asked for.
    pub body_html_start: String,
    pub byline: String,
    pub category: Option<String>,
    pub published_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
    /// An image elsewhere, as given.
    pub cover_image_url: Option<String>,
    /// The cover from the media library: its digest, type and size.
    pub cover_media: Option<(String, String, i64)>,
}

/// The latest visible articles kept by `filter`, newest first, each body
/// cut to `body_chars` characters.
pub fn latest_for_feed(
    conn: &mut DbConnection,
    filter: &ArticleFilter,
    now: NaiveDateTime,
    limit: u32,
    body_chars: u32,
) -> QueryResult<Vec<FeedArticle>> {
    let members = members_for_page(conn, &Scope::Public, filter, i64::from(limit))?;
    matching!(
        articles::table
            .left_join(categories::table)
            .left_join(media::table),
        &Scope::Public,
        filter,
        now,
        members
    )
    .order((articles::published_at.desc(), articles::id.desc()))
    .limit(i64::from(limit))
    .select((
        articles::id,
        articles::slug,
        articles::lang,
        articles::title,
        articles::summary,
        substr(
            articles::body_html,
            1,
            i32::try_from(body_chars).unwrap_or(i32::MAX),
        ),
        articles::byline,
        categories::name.nullable(),
        articles::published_at,
        articles::created_at,
        articles::updated_at,
        articles::cover_image_url,
        (media::sha256, media::content_type, media::byte_size).nullable(),
    ))
    .load(conn)
}

/// What a write to an article sets.
#[derive(AsChangeset)]
#[diesel(table_name = articles)]
pub struct ArticleChanges<'a> {
    pub slug: Option<&'a str>,
    pub title: Option<&'a str>,
    pub summary: Option<&'a str>,
    pub body_html: Option<&'a str>,
    pub body_text: Option<&'a str>,
    pub word_count: Option<i32>,
    pub byline: Option<&'a str>,
    pub category_id: Option<Option<i32>>,
    pub cover_image_url: Option<Option<&'a str>>,
    pub cover_media_id: Option<Option<i32>>,
    pub og_media_id: Option<Option<i32>>,
    pub featured: Option<bool>,
    pub meta_title: Option<Option<&'a str>>,
    pub meta_description: Option<Option<&'a str>>,
    pub lang: Option<&'a str>,
    pub translation_of: Option<Option<i32>>,
    pub status: Option<ArticleStatus>,
    pub published_at: Option<Option<NaiveDateTime>>,
    pub deleted_at: Option<Option<NaiveDateTime>>,
    pub updated_at: NaiveDateTime,
    pub version: i32,
}

/// Writes `changes`, remembering whether the article was public just before
/// (at `changes.updated_at`): a sync then knows it leaves a tombstone.
pub fn update(conn: &mut DbConnection, id: i32, changes: &ArticleChanges<'_>) -> QueryResult<()> {
    diesel::update(
        articles::table
            .find(id)
            .filter(is_visible(changes.updated_at)),
    )
    .set(articles::was_public.eq(true))
    .execute(conn)?;
    diesel::update(articles::table.find(id))
        .set(changes)
        .execute(conn)
        .map(drop)
}

/// An article as its editors see it: any state, trashed ones included.
pub fn find_any(conn: &mut DbConnection, id: i32) -> QueryResult<Option<ArticleWithContext>> {
    articles::table
        .inner_join(article_views::table)
        .left_join(categories::table)
        .left_join(users::table)
        .filter(articles::id.eq(id))
        .select(ArticleWithContext::as_select())
        .first(conn)
        .optional()
}

/// A staff reader's view of `key`: what guests see, plus the articles they
/// may edit (`owner`: an author's own; `None`: all) that are not trashed.
pub fn find_for_staff(
    conn: &mut DbConnection,
    name: &ArticleName,
    owner: Option<i32>,
) -> QueryResult<Option<ArticleWithContext>> {
    crate::db::on_engine!(conn, conn => {
        // `author_id = ? OR ?`, the second true when there is no owner: one
        // statement for both (see `first_named`).
        let editable = articles::table
            .inner_join(article_views::table)
            .left_join(categories::table)
            .left_join(users::table)
            .filter(articles::deleted_at.is_null())
            .filter(
                articles::author_id
                    .eq(owner.unwrap_or_default())
                    .or(owner.is_none().into_sql::<Bool>()),
            )
            .select(ArticleWithContext::as_select());
        first_named!(editable, name, conn)
    })
}

/// The article `name` names, if this reader may read it: what guests see,
/// and for staff (`owner`: `Some(None)` for editors, `Some(Some(id))` for
/// an author, limited to their own) what they may edit.
pub fn find_readable(
    conn: &mut DbConnection,
    name: &ArticleName,
    owner: Option<Option<i32>>,
    now: NaiveDateTime,
) -> QueryResult<Option<ArticleWithContext>> {
    match find_visible(conn, name, now)? {
        Some(article) => Ok(Some(article)),
        None => match owner {
            Some(owner) => find_for_staff(conn, name, owner),
            None => Ok(None),
        },
    }
}

/// The id of the article `name` names, trashed or not, whatever its status.
pub fn id_named(conn: &mut DbConnection, name: &ArticleName) -> QueryResult<Option<i32>> {
    first_named!(articles::table.select(articles::id), name, conn)
}

/// An article of a translation group, as its others link to it.
#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = articles)]
#[diesel(check_for_backend(crate::db::Backend))]
pub struct Translation {
    pub id: i32,
    pub lang: String,
    pub slug: String,
}

/// The articles of the group `original` heads, it included, outside the
/// trash (only those public at `public_at` when given), by language.
pub fn group(
    conn: &mut DbConnection,
    original: i32,
    public_at: Option<NaiveDateTime>,
) -> QueryResult<Vec<Translation>> {
    crate::db::on_engine!(conn, conn => {
        let in_group = articles::table
            .filter(
                articles::id
                    .eq(original)
                    .or(articles::translation_of.eq(original)),
            )
            .filter(articles::deleted_at.is_null())
            .select(Translation::as_select())
            .order((articles::lang, articles::id));
        match public_at {
            Some(now) => in_group.filter(is_visible(now)).load(conn),
            None => in_group.load(conn),
        }
    })
}

/// Whether any article (trashed or not) is a translation of `id`.
pub fn has_translations(conn: &mut DbConnection, id: i32) -> QueryResult<bool> {
    crate::db::on_engine!(conn, conn => {
        diesel::select(dsl::exists(
            articles::table
                .filter(articles::translation_of.eq(id))
                .select(articles::id),
        ))
        .get_result(conn)
    })
}

/// Paths under `/articles/` that name no article.
const RESERVED_SLUGS: [&str; 2] = ["changes", "counters"];

/// Whether an article in `lang` holds `slug`, or a route does
/// (`/articles/changes`, `/articles/counters`).
pub fn slug_taken(conn: &mut DbConnection, lang: &str, slug: &str) -> QueryResult<bool> {
    if RESERVED_SLUGS.contains(&slug) {
        return Ok(true);
    }
    crate::db::on_engine!(conn, conn => {
        diesel::select(dsl::exists(
            articles::table
                .filter(articles::slug.eq(slug))
                .filter(articles::lang.eq(lang))
                .select(articles::id),
        ))
        .get_result(conn)
    })
}

/// The tags of these articles, by article, in one query.
pub fn tags_of(conn: &mut DbConnection, ids: &[i32]) -> QueryResult<Vec<(i32, String)>> {
    crate::db::on_engine!(conn, conn => {
        article_tags::table
            .filter(one_of(article_tags::article_id, ids))
            .order((article_tags::article_id, article_tags::tag))
            .select((article_tags::article_id, article_tags::tag))
            .load(conn)
    })
}

pub fn replace_tags(conn: &mut DbConnection, id: i32, tags: &[String]) -> QueryResult<()> {
    let old_tags = article_tags::table.filter(article_tags::article_id.eq(id));
    crate::db::on_engine!(conn, conn => diesel::delete(old_tags).execute(conn))?;
    let rows: Vec<_> = tags
        .iter()
        .map(|tag| {
            (
                article_tags::article_id.eq(id),
                article_tags::tag.eq(tag),
                article_tags::tag_key.eq(super::content::tag_key(tag)),
            )
        })
        .collect();
    crate::db::on_engine!(conn, inner => diesel::insert_into(article_tags::table)
        .values(rows)
        .execute(inner))
    .map(drop)
}
