//! Writing a portal's rows, in the caller's transaction, in the order their
//! links need: categories, areas, documents (then their replacements),
//! articles (then the documents they cite), comments (then the counts).
//! Each row already imported (by its NukeViet id) is left as it is.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::db::DbConnection;
use chrono::{FixedOffset, NaiveDateTime};
use serde_json::json;

use super::Abort;
use super::mapping::{
    article_status, comment_status, document_kind, local_date, restriction, utc_time,
};
use super::rows::{
    LegacyArticle, LegacyCategory, LegacyComment, LegacyDocument, LegacyName, Portal,
};
use crate::articles::content::{Byline, SafeHtml, Tags, Title, parse_image_url, summary_of};
use crate::articles::model::{ArticleText, NewArticle};
use crate::audit::{self, Actor, ActorKind, AuditEvent};
use crate::categories::NewCategory;
use crate::comments::content::CommentBody;
use crate::comments::{MAX_DEPTH, NewComment, Thread};
use crate::db::{self, StoreError};
use crate::documents::number::DocumentNumber;
use crate::documents::{CreateDocumentRequest, DocumentFields, NewDocument};
use crate::error::ApiError;
use crate::import::Progress;
use crate::import::report::Report;
use crate::legacy::{LegacyKind, Source, queries as legacy};
use crate::support::timestamps::{CalendarDate, Timestamp};
use crate::text::html_to_text;
use crate::text::lang::Lang;
use crate::text::slug::{IdOrSlug, Slug};
use crate::users::{DisplayName, Email};
use crate::{areas, articles, categories, comments, documents, ratings};

const SOURCE: Source = Source::Nukeviet;

/// What the rows are mapped with.
pub struct Context<'a> {
    pub now: NaiveDateTime,
    /// The portal's local time: laws dates are its midnights.
    pub offset: FixedOffset,
    /// The old site's address, for images stored as paths under it.
    pub site_url: Option<&'a str>,
    /// What the portal's content is written in: the language of its tables.
    pub lang: &'a Lang,
    pub progress: &'a Progress,
}

impl Context<'_> {
    /// Shows how many of the dump's `all` rows of `kind` were seen so far.
    fn show(&self, kind: LegacyKind, report: &Report, all: u64) {
        let stage = match kind {
            LegacyKind::Category => "categories",
            LegacyKind::Area => "areas",
            LegacyKind::Document => "documents",
            LegacyKind::Article => "articles",
            LegacyKind::Comment => "comments",
        };
        self.progress.update(stage, report.of(kind).found, all);
    }
}

/// Legacy ids → ours, for one kind.
type IdMap = HashMap<i64, i32>;

/// Writes everything; the report says what happened to each row.
pub fn portal(
    conn: &mut DbConnection,
    mut portal: Portal,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<(), Abort> {
    note_unreadable(&portal, report);
    let categories = write_categories(conn, &portal, context, report)?;
    let areas = write_areas(conn, &portal, context, report)?;
    write_documents(conn, &portal, &areas, context, report)?;
    // The articles and their comments, most of a portal, are let go once
    // written: the full-text index, written in bulk after them, needs the room.
    db::load_articles_in_bulk(conn, |conn| {
        let articles = write_articles(conn, &mut portal, &categories, context, report)?;
        drop(std::mem::take(&mut portal.articles));
        write_comments(conn, &portal, &articles, context, report)?;
        drop(portal);
        give_freed_memory_back();
        Ok::<_, Abort>(())
    })?;
    if report.total_created() > 0 {
        record(conn, report, context.now)?;
    }
    Ok(())
}

/// Hands the memory freed so far back to the system. glibc keeps freed
/// small blocks (a portal's hundreds of thousands of rows) for the process,
/// while the full-text index written next asks for large ones it maps
/// anew: without this, both would count at once.
fn give_freed_memory_back() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: malloc_trim only returns free memory at the allocator's
    // edges and in its free lists to the system; it touches no live block.
    unsafe {
        libc::malloc_trim(0);
    }
}

fn note_unreadable(portal: &Portal, report: &mut Report) {
    let unreadable = &portal.unreadable;
    let all = [
        (LegacyKind::Category, &unreadable.categories),
        (LegacyKind::Article, &unreadable.articles),
        (LegacyKind::Comment, &unreadable.comments),
        (LegacyKind::Document, &unreadable.documents),
        (LegacyKind::Area, &unreadable.areas),
    ];
    for (kind, rows) in all {
        for (id, reason) in rows {
            report.found(kind);
            report.skip(kind, *id, format!("the row cannot be read: {reason}"));
        }
    }
    for row in &unreadable.others {
        let reason = format!(
            "a row of `{}` cannot be read, and is left out: {}",
            row.table, row.reason
        );
        report.warn(row.kind, row.id, reason);
    }
}

/// One audit entry for the whole import, as for any other write.
fn record(conn: &mut DbConnection, report: &Report, now: NaiveDateTime) -> Result<(), StoreError> {
    let actor = Actor {
        kind: ActorKind::System,
        id: None,
        label: "bulletin-api import nukeviet".into(),
        request_id: None,
    };
    let event = AuditEvent {
        action: "import.nukeviet",
        target_type: "import",
        target_id: None,
        details: json!({"prefix": report.prefix, "lang": report.lang, "counts": report.counts}),
    };
    audit::record(conn, &actor, event, now)?;
    Ok(())
}

/// `items` with every parent before its children (by `parent`, 0 for
/// none), each level in id order. A parent missing from `items` counts as none.
fn parents_first<T>(items: &[T], id: impl Fn(&T) -> i64, parent: impl Fn(&T) -> i64) -> Vec<&T> {
    let parents: HashMap<i64, i64> = items.iter().map(|item| (id(item), parent(item))).collect();
    let depth = |item: &T| {
        let mut depth = 0;
        let mut at = parent(item);
        // Bounded by the number of items, so a cycle in the dump ends too.
        while let Some(next) = parents.get(&at).filter(|_| depth < items.len()) {
            depth += 1;
            at = *next;
        }
        depth
    };
    let mut ordered: Vec<(usize, i64, &T)> = items
        .iter()
        .map(|item| (depth(item), id(item), item))
        .collect();
    ordered.sort_by_key(|(depth, id, _)| (*depth, *id));
    ordered.into_iter().map(|(_, _, item)| item).collect()
}

/// A slug from an old alias, or else from the name.
fn slug_from(alias: &str, name: &str) -> Option<Slug> {
    Slug::from_title(alias)
        .or_else(|_| Slug::from_title(name))
        .ok()
}

fn category_restriction(category: &LegacyCategory) -> Option<String> {
    restriction(category.status, &category.groups_view)
}

/// Why an article is not to be imported for its main category: one hidden
/// or restricted in NukeViet, whose articles would be public here. (Skipped
/// rather than archived: an editor could publish them again by mistake.)
fn restricted_category(portal: &Portal, article: &LegacyArticle) -> Option<String> {
    let category = portal
        .categories
        .iter()
        .find(|category| category.id == article.category_id)?;
    let why = category_restriction(category)?;
    Some(format!(
        "its category {} is {why}, and articles here are public once published",
        category.id
    ))
}

fn write_categories(
    conn: &mut DbConnection,
    portal: &Portal,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<IdMap, StoreError> {
    let kind = LegacyKind::Category;
    let mut ids = IdMap::new();
    let all = report.of(kind).found + portal.categories.len() as u64;
    for category in parents_first(&portal.categories, |c| c.id, |c| c.parent_id) {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, category.id)? {
            report.already_imported(kind);
            ids.insert(category.id, ours);
            continue;
        }
        if let Some(why) = category_restriction(category) {
            let reason = format!("it is {why}, and categories here are public");
            report.skip(kind, category.id, reason);
            continue;
        }
        let name = match DisplayName::parse(&category.title) {
            Ok(name) => name,
            Err(e) => {
                report.skip(kind, category.id, format!("its title {e}"));
                continue;
            }
        };
        let Some(slug) = slug_from(&category.alias, name.as_str()) else {
            report.skip(
                kind,
                category.id,
                "no slug can be made from its alias or title",
            );
            continue;
        };
        let description = categories::description(&category.description).unwrap_or_else(|e| {
            report.warn(
                kind,
                category.id,
                format!("its description {e}: it is left out"),
            );
            String::new()
        });
        let parent_id = match category.parent_id {
            0 => None,
            parent => ids.get(&parent).copied().or_else(|| {
                report.warn(
                    kind,
                    category.id,
                    format!("its parent {parent} was not imported: it is at the top"),
                );
                None
            }),
        };
        let ours = match categories::queries::find_by_key(
            conn,
            &IdOrSlug::Slug(slug.clone()),
            Some(context.lang),
            context.lang,
        )? {
            Some(existing) => {
                report.matched(
                    kind,
                    category.id,
                    format!("linked to the category `{slug}` already here"),
                );
                existing.id
            }
            None => {
                report.created(kind);
                categories::queries::insert(
                    conn,
                    &NewCategory {
                        parent_id,
                        slug: slug.as_str(),
                        name: name.as_str(),
                        description: &description,
                        lang: context.lang.as_str(),
                        created_at: context.now,
                        updated_at: context.now,
                    },
                )?
                .id
            }
        };
        legacy::remember(
            conn,
            SOURCE,
            kind,
            category.id,
            &category.alias,
            ours,
            context.now,
        )?;
        ids.insert(category.id, ours);
    }
    Ok(ids)
}

fn write_areas(
    conn: &mut DbConnection,
    portal: &Portal,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<IdMap, StoreError> {
    let kind = LegacyKind::Area;
    let mut ids = IdMap::new();
    let all = report.of(kind).found + portal.areas.len() as u64;
    for area in parents_first(&portal.areas, |a| a.id, |a| a.parent_id) {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, area.id)? {
            report.already_imported(kind);
            ids.insert(area.id, ours);
            continue;
        }
        let name = area.title.trim();
        let (Some(slug), false) = (slug_from(&area.alias, name), name.is_empty()) else {
            report.skip(kind, area.id, "it has no usable title");
            continue;
        };
        let parent_id = (area.parent_id != 0)
            .then(|| ids.get(&area.parent_id).copied())
            .flatten();
        let ours = match areas::queries::find_by_key(conn, &IdOrSlug::Slug(slug.clone()))? {
            Some(existing) => {
                report.matched(
                    kind,
                    area.id,
                    format!("linked to the area `{slug}` already here"),
                );
                existing.id
            }
            None => {
                report.created(kind);
                areas::queries::insert(conn, parent_id, slug.as_str(), name, context.now)?.id
            }
        };
        legacy::remember(conn, SOURCE, kind, area.id, &area.alias, ours, context.now)?;
        ids.insert(area.id, ours);
    }
    Ok(ids)
}

/// Why a write was refused, as one line for the report.
fn reason_of(error: ApiError) -> String {
    match error {
        ApiError::Validation(fields) => fields
            .iter()
            .map(|field| format!("{} {}", field.field, field.message))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}

fn name_of(names: &HashMap<i64, LegacyName>, id: i64) -> Option<&str> {
    names.get(&id).map(|name| name.title.trim())
}

/// The document a laws row becomes, or why it cannot.
fn document_request(
    document: &LegacyDocument,
    portal: &Portal,
    context: &Context<'_>,
    warnings: &mut Vec<String>,
) -> Result<CreateDocumentRequest, String> {
    if let Some(why) = restriction(document.status, &document.groups_view) {
        return Err(format!("it is {why}, and the registry here is public"));
    }
    let number = DocumentNumber::parse(&document.code)
        .map_err(|e| format!("its number `{}` {e}", document.code))?;
    let issuing_body = name_of(&portal.issuing_bodies, document.subject_id).ok_or_else(|| {
        format!(
            "its issuing body (subject {}) is not in the dump",
            document.subject_id
        )
    })?;
    let (kind, mismatch) =
        document_kind(&number, name_of(&portal.document_types, document.type_id));
    warnings.extend(mismatch);
    let signer = name_of(&portal.signers, document.signer_id);
    if document.signer_id != 0 && signer.is_none() {
        warnings.push(format!(
            "its signer {} is not in the dump",
            document.signer_id
        ));
    }
    if !document.related.is_empty() {
        warnings.push(format!(
            "its links to related documents {:?} are not kept: relations here say how (implements, amends, supersedes)",
            document.related
        ));
    }
    let summary = html_to_text(&document.introtext);
    let draft = document.approval == 0;
    let consultation = |unix| {
        utc_time(unix)
            .filter(|_| draft)
            .and_then(|t| Timestamp::new(t.and_utc().fixed_offset()))
    };
    let date = |unix| local_date(unix, context.offset).and_then(CalendarDate::new);
    Ok(CreateDocumentRequest {
        number: number.to_string(),
        title: if summary.is_empty() {
            document.title.clone()
        } else {
            summary
        },
        issuing_body: issuing_body.to_owned(),
        kind: Some(kind),
        issued_on: date(document.issued),
        effective_on: date(document.effective),
        expires_on: date(document.expires),
        signer: signer.map(str::to_owned),
        draft,
        consultation_from: consultation(document.consultation_from),
        consultation_to: consultation(document.consultation_to),
        related: None,
        area_ids: None,
        lang: None,
    })
}

/// The registered document this row is: the one with its number, when it
/// was issued the same day. The registry holds one document per number, so
/// the same number issued another day (another year's 24/KH-UBND) is an error.
fn same_document(
    conn: &mut DbConnection,
    fields: &DocumentFields,
) -> Result<Result<Option<i32>, String>, StoreError> {
    let Some(existing) = documents::queries::id_of_number(conn, &fields.number)? else {
        return Ok(Ok(None));
    };
    let issued_on = documents::queries::find_row(conn, existing)?.and_then(|row| row.issued_on);
    if issued_on == fields.issued_on {
        return Ok(Ok(Some(existing)));
    }
    let date = |on: Option<chrono::NaiveDate>| on.map_or("no date".to_owned(), |on| on.to_string());
    Ok(Err(format!(
        "the registry already has a {} issued on {}, and this one was issued on {}: the registry holds one document per number",
        fields.number,
        date(issued_on),
        date(fields.issued_on)
    )))
}

fn write_documents(
    conn: &mut DbConnection,
    portal: &Portal,
    areas: &IdMap,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<(), StoreError> {
    let kind = LegacyKind::Document;
    let mut ids = IdMap::new();
    let mut created = HashSet::new();
    let all = report.of(kind).found + portal.documents.len() as u64;
    for document in &portal.documents {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, document.id)? {
            report.already_imported(kind);
            ids.insert(document.id, ours);
            continue;
        }
        let mut warnings = Vec::new();
        let fields =
            document_request(document, portal, context, &mut warnings).and_then(|request| {
                documents::new_fields(&request, context.lang, context.now).map_err(reason_of)
            });
        let fields = match fields {
            Ok(fields) => fields,
            Err(reason) => {
                report.skip(kind, document.id, reason);
                continue;
            }
        };
        for warning in warnings {
            report.warn(kind, document.id, warning);
        }
        let existing = match same_document(conn, &fields)? {
            Ok(existing) => existing,
            Err(reason) => {
                report.skip(kind, document.id, reason);
                continue;
            }
        };
        let ours = match existing {
            Some(existing) => {
                let how = format!(
                    "linked to {} already in the registry (left as it is)",
                    fields.number
                );
                report.matched(kind, document.id, how);
                existing
            }
            None => {
                report.created(kind);
                let id = documents::queries::insert(
                    conn,
                    &NewDocument {
                        fields,
                        created_at: context.now,
                    },
                )?;
                documents::queries::add_views(conn, &[(id, document.views.max(0))])?;
                documents::queries::add_downloads(conn, &[(id, document.downloads.max(0))])?;
                let area_ids = mapped(&document.area_ids, areas, |missing| {
                    report.warn(
                        kind,
                        document.id,
                        format!("its area {missing} was not imported"),
                    );
                });
                areas::queries::replace_document_areas(conn, id, &area_ids)?;
                created.insert(id);
                id
            }
        };
        legacy::remember(
            conn,
            SOURCE,
            kind,
            document.id,
            &document.alias,
            ours,
            context.now,
        )?;
        ids.insert(document.id, ours);
    }
    // Supersessions once every document is in: a row may name a later one.
    write_supersessions(conn, portal, &ids, &created, report)
}

/// Adds "R supersedes P" for each document R that NukeViet says replaces P,
/// when this run created either. Links are only added, never replaced, so
/// whichever row comes first, the other's links stay.
fn write_supersessions(
    conn: &mut DbConnection,
    portal: &Portal,
    ids: &IdMap,
    created: &HashSet<i32>,
    report: &mut Report,
) -> Result<(), StoreError> {
    let kind = LegacyKind::Document;
    let mut links = BTreeSet::new();
    for document in &portal.documents {
        for replacing in &document.replaced_by {
            match (ids.get(replacing), ids.get(&document.id)) {
                (Some(&new), Some(&old)) => {
                    if new != old && (created.contains(&new) || created.contains(&old)) {
                        links.insert((new, old));
                    }
                }
                (None, Some(_)) => report.warn(
                    kind,
                    document.id,
                    format!("document {replacing} replaces it, but was not imported: the link is not kept"),
                ),
                (Some(_), None) => report.warn(
                    kind,
                    *replacing,
                    format!("it replaces document {}, which was not imported: the link is not kept", document.id),
                ),
                (None, None) => {}
            }
        }
    }
    let links: Vec<(i32, i32)> = links.into_iter().collect();
    documents::queries::add_supersessions(conn, &links)?;
    Ok(())
}

/// `legacy` ids as ours; `missing` hears of each not in `ids`.
fn mapped(legacy: &[i64], ids: &IdMap, mut missing: impl FnMut(i64)) -> Vec<i32> {
    legacy
        .iter()
        .filter_map(|id| {
            let ours = ids.get(id).copied();
            if ours.is_none() {
                missing(*id);
            }
            ours
        })
        .collect()
}

/// An article as it is stored here.
struct ArticlePlan {
    slug: Slug,
    title: Title,
    summary: String,
    body: SafeHtml,
    body_text: String,
    byline: String,
    cover_image_url: Option<String>,
    category_id: Option<i32>,
    status: articles::ArticleStatus,
    published_at: NaiveDateTime,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
    tags: Tags,
}

/// The cover image as an absolute URL: as stored when it is one, under the
/// old site's uploads when it is a path.
fn cover_image(article: &LegacyArticle, site_url: Option<&str>) -> Result<Option<String>, String> {
    let file = article.image_file.trim();
    if file.is_empty() {
        return Ok(None);
    }
    if file.starts_with("http://") || file.starts_with("https://") {
        return parse_image_url(file).map(Some);
    }
    match site_url {
        Some(site) => parse_image_url(&format!(
            "{}/uploads/news/{}",
            site.trim_end_matches('/'),
            file.trim_start_matches('/')
        ))
        .map(Some),
        None => Err(format!(
            "its image `{file}` is a path on the old site: give --site-url to keep it"
        )),
    }
}

fn plan_article(
    conn: &mut DbConnection,
    article: &LegacyArticle,
    body_html: Option<&str>,
    categories: &IdMap,
    context: &Context<'_>,
    warnings: &mut Vec<String>,
) -> Result<Result<ArticlePlan, String>, StoreError> {
    let title = match Title::parse(&article.title) {
        Ok(title) => title,
        Err(e) => return Ok(Err(format!("its title {e}"))),
    };
    let Some(published_at) = utc_time(article.published).or_else(|| utc_time(article.added)) else {
        return Ok(Err("it has no publication or creation time".into()));
    };
    let expires = utc_time(article.expires);
    let status = match article_status(article.status, published_at, expires, context.now) {
        Ok(status) => status,
        Err(reason) => return Ok(Err(reason)),
    };
    if let Some(expires) = expires.filter(|at| *at > context.now) {
        warnings.push(format!(
            "it expires at {expires} UTC in NukeViet; articles here do not expire by themselves: archive it then"
        ));
    }
    let body_html = body_html.unwrap_or_else(|| {
        warnings.push("it has no row in `_news_detail`: it is imported without a body".into());
        ""
    });
    let body = match SafeHtml::sanitise(body_html) {
        Ok(body) => body,
        Err(e) => return Ok(Err(format!("its body {e}"))),
    };
    let body_text = html_to_text(body.as_str());
    let summary = match summary_of(Some(&article.hometext), &body_text) {
        Ok(summary) => summary,
        Err(e) => return Ok(Err(format!("its hometext {e}"))),
    };
    let byline = match Byline::parse(&article.author) {
        Ok(byline) => byline,
        Err(e) => return Ok(Err(format!("its author {e}"))),
    };
    let cover_image_url = cover_image(article, context.site_url).unwrap_or_else(|reason| {
        warnings.push(reason);
        None
    });
    let category_id = categories.get(&article.category_id).copied();
    if category_id.is_none() && article.category_id != 0 {
        warnings.push(format!(
            "its category {} was not imported",
            article.category_id
        ));
    }
    let others: Vec<i64> = (article.category_ids.iter())
        .filter(|id| **id != article.category_id)
        .copied()
        .collect();
    if !others.is_empty() {
        warnings.push(format!(
            "it is also listed in categories {others:?}: an article here is filed under its main category only"
        ));
    }
    let tags = Tags::parse(&article.tags).unwrap_or_else(|e| {
        warnings.push(format!("its tags are not kept: {e}"));
        Tags::default()
    });
    let Some(wanted) = slug_from(&article.alias, title.as_str()) else {
        return Ok(Err("no slug can be made from its alias or title".into()));
    };
    let Some(slug) = wanted.first_free(1000, |slug| {
        articles::queries::slug_taken(conn, context.lang.as_str(), slug)
    })?
    else {
        return Ok(Err(format!(
            "the slug `{wanted}` and its numbered variants are taken"
        )));
    };
    if slug != wanted {
        warnings.push(format!("its slug `{wanted}` is taken here: it is `{slug}`"));
    }
    let created_at = utc_time(article.added).unwrap_or(published_at);
    Ok(Ok(ArticlePlan {
        slug,
        title,
        summary,
        body,
        body_text,
        byline,
        cover_image_url,
        category_id,
        status,
        published_at,
        created_at,
        updated_at: utc_time(article.edited)
            .unwrap_or(created_at)
            .max(created_at),
        tags,
    }))
}

/// An article's rating as (total, count) of votes of 1 to 5 stars each:
/// a total outside that is brought within it, and a count too large to
/// hold five stars a vote is dropped. `Err` holds what is kept and why.
fn rating_of(article: &LegacyArticle) -> Result<(i64, i64), ((i64, i64), String)> {
    let (total, count) = (article.rating_total, article.rating_count);
    let said = format!("its rating, {total} points from {count} votes,");
    if total < 0 || count < 0 {
        return Err(((0, 0), format!("{said} is negative: it is not kept")));
    }
    let Some(most) = count.checked_mul(5) else {
        return Err((
            (0, 0),
            format!("{said} is too large to hold: it is not kept"),
        ));
    };
    if count == 0 {
        return match total {
            0 => Ok((0, 0)),
            _ => Err(((0, 0), format!("{said} has no votes: it is not kept"))),
        };
    }
    let kept = total.clamp(count, most);
    if kept != total {
        return Err((
            (kept, count),
            format!("{said} is not one of 1 to 5 stars a vote: it is kept as {kept} points"),
        ));
    }
    Ok((total, count))
}

fn write_articles(
    conn: &mut DbConnection,
    portal: &mut Portal,
    categories: &IdMap,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<IdMap, Abort> {
    let kind = LegacyKind::Article;
    let mut ids = IdMap::new();
    let all = report.of(kind).found + portal.articles.len() as u64;
    for article in &portal.articles {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, article.id)? {
            report.already_imported(kind);
            ids.insert(article.id, ours);
            continue;
        }
        if let Some(reason) = restricted_category(portal, article) {
            report.skip(kind, article.id, reason);
            continue;
        }
        let mut warnings = Vec::new();
        let body = portal.bodies.get(article.id).map_err(Abort::Spool)?;
        let planned = plan_article(
            conn,
            article,
            body.as_deref(),
            categories,
            context,
            &mut warnings,
        );
        let plan = match planned? {
            Ok(plan) => plan,
            Err(reason) => {
                report.skip(kind, article.id, reason);
                continue;
            }
        };
        for warning in warnings {
            report.warn(kind, article.id, warning);
        }
        let (total, count) = rating_of(article).unwrap_or_else(|(kept, reason)| {
            report.warn(kind, article.id, reason);
            kept
        });
        let id = articles::queries::insert(
            conn,
            &NewArticle {
                cover_image_url: plan.cover_image_url.as_deref(),
                category_id: plan.category_id,
                view_count: article.views.max(0),
                rating_total: total,
                rating_count: count,
                created_at: plan.created_at,
                ..NewArticle::new(
                    ArticleText {
                        slug: plan.slug.as_str(),
                        title: plan.title.as_str(),
                        summary: &plan.summary,
                        body_html: plan.body.as_str(),
                        body_text: &plan.body_text,
                        byline: &plan.byline,
                        lang: context.lang.as_str(),
                    },
                    plan.status,
                    Some(plan.published_at),
                    plan.updated_at,
                )
            },
        )?;
        ratings::queries::set_aggregate(conn, id, total, count)?;
        articles::queries::replace_tags(conn, id, plan.tags.as_slice())?;
        let text = [plan.title.as_str(), &plan.summary, &plan.body_text];
        articles::writes::link_citations_in(conn, id, &text)?;
        report.created(kind);
        legacy::remember(
            conn,
            SOURCE,
            kind,
            article.id,
            &article.alias,
            id,
            context.now,
        )?;
        ids.insert(article.id, id);
    }
    Ok(ids)
}

/// A comment as it is stored here, but for where it hangs.
struct CommentPlan {
    body: CommentBody,
    name: DisplayName,
    email: Option<Email>,
    status: comments::CommentStatus,
    posted: NaiveDateTime,
}

fn plan_comment(
    comment: &LegacyComment,
    warnings: &mut Vec<String>,
) -> Result<CommentPlan, String> {
    let status = comment_status(comment.status)?;
    let body =
        CommentBody::parse(&html_to_text(&comment.content)).map_err(|e| format!("its text {e}"))?;
    let name = DisplayName::parse(&comment.name).map_err(|e| format!("its author's name {e}"))?;
    let email = match comment.email.trim() {
        "" => None,
        given => Email::parse(given)
            .map_err(|e| warnings.push(format!("its author's email is not kept: it {e}")))
            .ok(),
    };
    if comment.user_id != 0 {
        warnings.push(format!(
            "it was written by NukeViet account {}: accounts are not imported, the name is kept",
            comment.user_id
        ));
    }
    let posted = utc_time(comment.posted).ok_or("it has no post time")?;
    Ok(CommentPlan {
        body,
        name,
        email,
        status,
        posted,
    })
}

/// Where a reply goes: under its parent, or beside it (under the parent's
/// parent) when the parent is as deep as threads go here.
fn reply_position(
    conn: &mut DbConnection,
    parent: Option<i32>,
    article_id: i32,
) -> Result<Option<(i32, i32, i32, bool)>, StoreError> {
    let Some(parent) = parent else {
        return Ok(None);
    };
    let Some(parent) = comments::queries::find(conn, parent)?
        .filter(|parent| parent.article_id == Some(article_id))
    else {
        return Ok(None);
    };
    let root = parent.root_id.unwrap_or(parent.id);
    Ok(Some(if parent.depth >= MAX_DEPTH {
        (parent.parent_id.unwrap_or(root), root, MAX_DEPTH, true)
    } else {
        (parent.id, root, parent.depth + 1, false)
    }))
}

fn write_comments(
    conn: &mut DbConnection,
    portal: &Portal,
    articles: &IdMap,
    context: &Context<'_>,
    report: &mut Report,
) -> Result<(), StoreError> {
    let kind = LegacyKind::Comment;
    let mut ids = IdMap::new();
    let mut touched = HashSet::new();
    let all = report.of(kind).found + portal.comments.len() as u64;
    for comment in parents_first(&portal.comments, |c| c.id, |c| c.parent_id) {
        report.found(kind);
        context.show(kind, report, all);
        if let Some(ours) = legacy::target_of(conn, SOURCE, kind, comment.id)? {
            report.already_imported(kind);
            ids.insert(comment.id, ours);
            continue;
        }
        if comment.module != "news" {
            let reason = format!(
                "it is on the `{}` module: only news comments are imported",
                comment.module
            );
            report.skip(kind, comment.id, reason);
            continue;
        }
        let Some(&article_id) = articles.get(&comment.article_id) else {
            report.skip(
                kind,
                comment.id,
                format!("its article {} was not imported", comment.article_id),
            );
            continue;
        };
        let mut warnings = Vec::new();
        let plan = match plan_comment(comment, &mut warnings) {
            Ok(plan) => plan,
            Err(reason) => {
                report.skip(kind, comment.id, reason);
                continue;
            }
        };
        let parent = (comment.parent_id != 0).then(|| ids.get(&comment.parent_id).copied());
        if parent == Some(None) {
            warnings.push(format!(
                "its parent comment {} was not imported: it is at the top",
                comment.parent_id
            ));
        }
        let position = reply_position(conn, parent.flatten(), article_id)?;
        if position.is_some_and(|(_, _, _, moved)| moved) {
            warnings.push(format!(
                "it answers a reply {MAX_DEPTH} levels deep, as deep as threads go here: it is placed beside it"
            ));
        }
        // Kept for editors as the API keeps a commenter's address: a parsed one.
        let ip = comment.ip.trim();
        let address = ip.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string());
        if address.is_none() && !ip.is_empty() {
            warnings.push(format!(
                "its address `{ip}` is not an IP address: it is left out"
            ));
        }
        for warning in warnings {
            report.warn(kind, comment.id, warning);
        }
        let row = comments::queries::insert(
            conn,
            &NewComment {
                article_id: Some(article_id),
                document_id: None,
                parent_id: position.map(|(parent, ..)| parent),
                root_id: position.map(|(_, root, ..)| root),
                depth: position.map_or(0, |(_, _, depth, _)| depth),
                body: plan.body.as_str(),
                author_user_id: None,
                author_name: plan.name.as_str(),
                author_email: plan.email.as_ref().map(|email| email.as_str()),
                status: plan.status,
                client_address: address.as_deref(),
                created_at: plan.posted,
                updated_at: plan.posted,
                // The old portal does not tell staff from readers.
                by_staff: false,
            },
        )?;
        comments::queries::set_reaction_counts(
            conn,
            row.id,
            comment.likes.max(0),
            comment.dislikes.max(0),
        )?;
        report.created(kind);
        legacy::remember(conn, SOURCE, kind, comment.id, "", row.id, context.now)?;
        ids.insert(comment.id, row.id);
        touched.insert(article_id);
    }
    for article_id in touched {
        comments::queries::recount(conn, Thread::Article(article_id))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parents_come_before_their_children_and_cycles_end() {
        let items = [(3, 2), (1, 0), (2, 1), (4, 9), (5, 6), (6, 5)];
        let ordered: Vec<i64> = parents_first(&items, |i| i.0, |i| i.1)
            .into_iter()
            .map(|i| i.0)
            .collect();
        let at = |id| ordered.iter().position(|x| *x == id).unwrap();
        assert!(at(1) < at(2) && at(2) < at(3), "{ordered:?}");
        assert_eq!(ordered.len(), 6);
    }
}
