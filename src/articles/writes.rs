//! Writing articles: the editorial workflow and its permissions, the
//! revisions every content change keeps, the trash. Every write runs in one
//! transaction with its audit entry.

use crate::db::DbConnection;
use crate::webhooks::{self, EventKind};
use chrono::NaiveDateTime;
use serde_json::json;

use super::content::{Title, summary_of, word_count};
use super::model::{ArticleRow, ArticleStatus, ArticleText, NewArticle};
use super::queries::{self, ArticleChanges, RevisionRow};
use super::requests::{CreateArticleRequest, Creation, Edit, UpdateArticleRequest};
use super::translations;
use crate::audit::{self, Actor, AuditEvent};
use crate::auth::Principal;
use crate::categories;
use crate::db::{Database, Touches, Written};
use crate::error::ApiError;
use crate::http::{Precondition, Versioned};
use crate::identity::Role;
use crate::support::timestamps::Timestamp;
use crate::text::html_to_text;
use crate::text::lang::Lang;
use crate::text::search::indexed_words;
use crate::text::slug::{Slug, SlugPlace};

/// The target type of the audit log's entries these writes make.
const AUDITED: &str = "article";

/// Who writes, and with what powers.
pub struct Writer {
    pub actor: Actor,
    /// The account, for authorship and ownership (none for an API key).
    pub user_id: Option<i32>,
    /// An API key writes as an editor.
    pub role: Role,
}

impl Writer {
    pub fn new(principal: &Principal, actor: Actor) -> Self {
        match principal {
            Principal::User(user) => Self {
                actor,
                user_id: Some(user.id),
                role: user.role,
            },
            Principal::ApiKey(_) => Self {
                actor,
                user_id: None,
                role: crate::auth::API_KEY_ROLE,
            },
        }
    }

    fn is_editor(&self) -> bool {
        self.role >= Role::Editor
    }

    /// Editors touch any article; an author only their own, while it is a
    /// draft or waits for review.
    fn may_touch(&self, author_id: Option<i32>, status: ArticleStatus) -> bool {
        let own = self.user_id.is_some() && author_id == self.user_id;
        let in_drafts = matches!(status, ArticleStatus::Draft | ArticleStatus::PendingReview);
        self.is_editor() || (own && in_drafts)
    }
}

/// Authors write drafts and submit them; editors do everything.
fn may_set(writer: &Writer, status: ArticleStatus) -> Result<(), ApiError> {
    let authors_may = matches!(status, ArticleStatus::Draft | ArticleStatus::PendingReview);
    if writer.is_editor() || authors_may {
        Ok(())
    } else {
        Err(ApiError::Forbidden(format!(
            "only editors set the status `{status}`; authors write drafts and submit them (`pending_review`)"
        )))
    }
}

/// Only editors choose the featured news.
fn may_feature(writer: &Writer, featured: Option<bool>) -> Result<(), ApiError> {
    if featured.is_some() && !writer.is_editor() {
        return Err(ApiError::Forbidden(
            "only editors choose the featured articles".into(),
        ));
    }
    Ok(())
}

/// The status and publication time to store: `published` with no date is
/// published now, `published` dated in the future is `scheduled`, and
/// `scheduled` needs a date in the future (a 409: the status is at odds
/// with the time, each valid alone).
fn placement(
    status: ArticleStatus,
    published_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(ArticleStatus, Option<NaiveDateTime>), ApiError> {
    match status {
        ArticleStatus::Scheduled => match published_at.filter(|at| *at > now) {
            Some(at) => Ok((ArticleStatus::Scheduled, Some(at))),
            None => Err(ApiError::contradiction(
                "published_at",
                "scheduling needs a publication time in the future",
            )),
        },
        ArticleStatus::Published => {
            let at = published_at.unwrap_or(now);
            let status = if at > now {
                ArticleStatus::Scheduled
            } else {
                ArticleStatus::Published
            };
            Ok((status, Some(at)))
        }
        other => Ok((other, published_at)),
    }
}

/// A publication time as stored: only editors set one, and it must be
/// within years 1970 to 9999 (stored as text, other years would sort wrong).
fn publication_time(writer: &Writer, time: Timestamp) -> Result<NaiveDateTime, ApiError> {
    if !writer.is_editor() {
        return Err(ApiError::Forbidden("only editors set published_at".into()));
    }
    let at = time.naive_utc();
    if !(1970..=9999).contains(&chrono::Datelike::year(&at)) {
        return Err(ApiError::validation(
            "published_at",
            "must be within the years 1970 to 9999",
        ));
    }
    Ok(at)
}

/// The image `field` names must be one of the media library.
fn check_image(
    conn: &mut DbConnection,
    field: &str,
    media_id: Option<i32>,
) -> Result<(), ApiError> {
    if let Some(id) = media_id
        && crate::media::queries::existing(conn, &[id])?.is_empty()
    {
        return Err(ApiError::missing(
            field,
            format!("no image has the id {id}"),
        ));
    }
    Ok(())
}

fn check_category(conn: &mut DbConnection, category_id: Option<i32>) -> Result<(), ApiError> {
    if let Some(id) = category_id
        && categories::queries::find(conn, id)?.is_none()
    {
        return Err(ApiError::missing(
            "category_id",
            format!("no category has the id {id}"),
        ));
    }
    Ok(())
}

fn slug_in_use(lang: &str, slug: &str) -> ApiError {
    ApiError::Conflict(format!("another article in `{lang}` has the slug `{slug}`"))
}

/// The slug asked for (409 if its language has it), or one from the title
/// (suffixed past the ones its language has).
fn choose_slug(
    conn: &mut DbConnection,
    asked: Option<Slug>,
    title: &Title,
    lang: &str,
) -> Result<Slug, ApiError> {
    if let Some(slug) = asked {
        if queries::slug_taken(conn, lang, slug.as_str())? {
            return Err(slug_in_use(lang, slug.as_str()));
        }
        return Ok(slug);
    }
    Slug::from_title_or(title.as_str(), "bai-viet")
        .first_free(1000, |slug| queries::slug_taken(conn, lang, slug))?
        .ok_or_else(|| ApiError::Conflict("too many articles have this title; send a slug".into()))
}

/// Tells webhook subscribers of a write to article `id`: `kind`, and
/// `article.published` too when the write made it public (`before` is the
/// article as it was; `None` for a new one).
fn announce(
    conn: &mut DbConnection,
    id: i32,
    kind: EventKind,
    before: Option<&ArticleRow>,
    now: NaiveDateTime,
) -> diesel::QueryResult<()> {
    let Some(article) = queries::find_any(conn, id)?.map(|found| found.article) else {
        return Ok(());
    };
    let data = json!({
        "id": article.id, "slug": article.slug, "title": article.title,
        "status": article.status.as_of(article.published_at, now),
        "path": format!("/api/v1/articles/{}", article.id),
    });
    let was_public = before.is_some_and(|before| before.is_public(now));
    let published = article.is_public(now) && !was_public && kind != EventKind::ArticleDeleted;
    webhooks::emit(conn, kind, data.clone(), now)?;
    if published {
        webhooks::emit(conn, EventKind::ArticlePublished, data, now)?;
    }
    Ok(())
}

/// Links the article to the documents its text (title, summary, body) now
/// cites, registered or not; answers whether it now cites other numbers
/// than it did.
pub fn link_citations(conn: &mut DbConnection, id: i32) -> diesel::QueryResult<bool> {
    match queries::find_any(conn, id)? {
        Some(found) => {
            let article = found.article;
            let text = [&article.title, &article.summary, &article.body_text];
            link_citations_in(conn, id, &text.map(String::as_str))
        }
        None => Ok(false),
    }
}

/// Like [`link_citations`], for an article whose title, summary and body
/// text the caller holds (an import), so they need not be read back.
pub fn link_citations_in(
    conn: &mut DbConnection,
    id: i32,
    [title, summary, body_text]: &[&str; 3],
) -> diesel::QueryResult<bool> {
    crate::documents::cite(conn, id, &[*title, *summary, *body_text].join("\n"))
}

/// Creates an article, in `site_lang` unless the request names a language.
pub async fn create(
    db: &Database,
    writer: Writer,
    request: CreateArticleRequest,
    site_lang: &Lang,
    now: NaiveDateTime,
) -> Result<i32, ApiError> {
    let Creation {
        title,
        body,
        byline,
        tags,
        cover,
        slug,
        seo,
        lang,
    } = request.parse()?;
    let lang = lang.unwrap_or_else(|| site_lang.clone());
    let body_text = html_to_text(body.as_str());
    let summary = summary_of(request.summary.as_deref(), &body_text)
        .map_err(|e| ApiError::validation("summary", e))?;
    let requested = request.status.unwrap_or(ArticleStatus::Draft);
    may_set(&writer, requested)?;
    may_feature(&writer, request.featured)?;
    let published_at = request
        .published_at
        .map(|t| publication_time(&writer, t))
        .transpose()?;
    let (status, published_at) = placement(requested, published_at, now)?;
    db.write(move |conn| {
        check_category(conn, request.category_id)?;
        check_image(conn, "cover_media_id", request.cover_media_id)?;
        check_image(conn, "og_media_id", request.og_media_id)?;
        let translation_of = match request.translation_of {
            Some(target) => {
                let original = translations::original_of(conn, target, None)?;
                translations::check_language_free(conn, original, None, lang.as_str())?;
                Some(original)
            }
            None => None,
        };
        let slug = choose_slug(conn, slug.clone(), &title, lang.as_str())?;
        let id = queries::insert(
            conn,
            &NewArticle {
                cover_image_url: cover.as_deref(),
                cover_media_id: request.cover_media_id,
                og_media_id: request.og_media_id,
                featured: request.featured.unwrap_or(false),
                meta_title: seo.title.as_ref().and_then(Option::as_deref),
                meta_description: seo.description.as_ref().and_then(Option::as_deref),
                translation_of,
                category_id: request.category_id,
                author_id: writer.user_id,
                ..NewArticle::new(
                    ArticleText {
                        slug: slug.as_str(),
                        title: title.as_str(),
                        summary: &summary,
                        body_html: body.as_str(),
                        body_text: &body_text,
                        byline: &byline,
                        lang: lang.as_str(),
                    },
                    status,
                    published_at,
                    now,
                )
            },
        )?;
        queries::replace_tags(conn, id, tags.as_slice())?;
        link_citations(conn, id)?;
        audit::record(
            conn,
            &writer.actor,
            AuditEvent::on(
                "article.create",
                AUDITED,
                id,
                json!({
                    "title": title.as_str(), "status": status, "lang": lang.as_str(),
                    "translation_of": translation_of, "featured": request.featured.unwrap_or(false),
                }),
            ),
            now,
        )?;
        announce(conn, id, EventKind::ArticleCreated, None, now)?;
        Ok(id)
    })
    .await
}

impl ArticleChanges<'_> {
    /// Changes that set only the time and version.
    fn touching(now: NaiveDateTime, version: i32) -> Self {
        Self {
            slug: None,
            title: None,
            summary: None,
            body_html: None,
            body_text: None,
            word_count: None,
            byline: None,
            category_id: None,
            cover_image_url: None,
            cover_media_id: None,
            og_media_id: None,
            featured: None,
            meta_title: None,
            meta_description: None,
            lang: None,
            translation_of: None,
            status: None,
            published_at: None,
            deleted_at: None,
            updated_at: now,
            version,
        }
    }
}

/// The article to write to, if this writer may: 404 when missing or
/// trashed, 403 for an author on someone else's article or on one that left
/// the drafts, 412 when the client's version is stale.
fn editable(
    conn: &mut DbConnection,
    writer: &Writer,
    id: i32,
    precondition: &Precondition,
    version: Option<i32>,
) -> Result<ArticleRow, ApiError> {
    let current = may_edit(conn, writer, id)?;
    precondition.check(&current.tag())?;
    crate::http::check_version(version, current.version)?;
    Ok(current)
}

/// The article, if this writer may edit it: 404 when missing or trashed,
/// 403 for an author on someone else's article or on one that left the
/// drafts.
pub fn may_edit(conn: &mut DbConnection, writer: &Writer, id: i32) -> Result<ArticleRow, ApiError> {
    let found = queries::find_any(conn, id)?.map(|found| found.article);
    editable_by(writer, id, found)
}

/// [`may_edit`]'s rule, on the article as read (`None` when there is none).
pub fn editable_by(
    writer: &Writer,
    id: i32,
    found: Option<ArticleRow>,
) -> Result<ArticleRow, ApiError> {
    let current = found
        .filter(|article| article.deleted_at.is_none())
        .ok_or_else(|| ApiError::no_such("article", id))?;
    if !writer.may_touch(current.author_id, current.status) {
        return Err(ApiError::Forbidden(
            "authors edit only their own articles, and only while they are drafts or pending review".into(),
        ));
    }
    Ok(current)
}

/// Keeps `current`'s content as the revision of its version.
fn keep_revision(
    conn: &mut DbConnection,
    current: &ArticleRow,
    writer: &Writer,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let tags: Vec<String> = queries::tags_of(conn, &[current.id])?
        .into_iter()
        .map(|(_, tag)| tag)
        .collect();
    queries::insert_revision(
        conn,
        &RevisionRow {
            article_id: current.id,
            version: current.version,
            title: current.title.clone(),
            summary: current.summary.clone(),
            body_html: current.body_html.clone(),
            byline: current.byline.clone(),
            category_id: current.category_id,
            cover_image_url: current.cover_image_url.clone(),
            tags: serde_json::Value::from(tags).to_string(),
            status: current.status,
            replaced_by_kind: writer.actor.kind,
            replaced_by_id: writer.actor.id,
            replaced_by_label: writer.actor.label.clone(),
            replaced_at: now,
        },
    )?;
    Ok(())
}

pub async fn update(
    db: &Database,
    writer: Writer,
    id: i32,
    request: UpdateArticleRequest,
    precondition: Precondition,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let edit = Edit::parse(&request)?;
    if let Some(status) = request.status {
        may_set(&writer, status)?;
    }
    may_feature(&writer, request.featured)?;
    // Some(None) clears the time; None leaves it.
    let new_time = match request.published_at {
        Some(Some(time)) => Some(Some(publication_time(&writer, time)?)),
        Some(None) => Some(None),
        None => None,
    };
    // The text: where citations are found.
    let text = edit.title.is_some() || edit.body.is_some() || edit.summary.is_some();
    // The text, tags and category: content that also decides which lists
    // hold the article.
    let text_or_filing = text || edit.tags.is_some() || request.category_id.is_some();
    let content_changes = text_or_filing
        || edit.byline.is_some()
        || edit.cover.is_some()
        || request.cover_media_id.is_some();
    // Its language or original: what its group's other answers show too.
    let regroups = edit.lang.is_some() || request.translation_of.is_some();
    if !content_changes
        && !regroups
        && edit.slug.is_none()
        && !edit.seo.any()
        && request.og_media_id.is_none()
        && request.featured.is_none()
        && request.status.is_none()
        && request.published_at.is_none()
    {
        // A change of nothing is checked as any (the writer may edit it,
        // the version holds) and answered with the article as it stands.
        return db
            .write_touching(Touches::NothingShown, move |conn| {
                editable(conn, &writer, id, &precondition, request.version).map(|_| ())
            })
            .await;
    }
    // Only this article, and what lists show of it, changed; which lists
    // hold it only with its filing, state or time, or with the documents
    // its text cites (found below).
    let refiled = edit.tags.is_some()
        || request.category_id.is_some()
        || request.featured.is_some()
        || request.status.is_some()
        || request.published_at.is_some();
    let touches = if regroups {
        Touches::Anything
    } else if refiled {
        Touches::Article(id)
    } else {
        Touches::ArticleContent(id)
    };
    db.write_recording(move |conn| {
        let current = editable(conn, &writer, id, &precondition, request.version)?;
        if let Some(category_id) = request.category_id {
            check_category(conn, category_id)?;
        }
        if let Some(media_id) = request.cover_media_id {
            check_image(conn, "cover_media_id", media_id)?;
        }
        if let Some(media_id) = request.og_media_id {
            check_image(conn, "og_media_id", media_id)?;
        }
        let here = SlugPlace {
            lang: &current.lang,
            slug: &current.slug,
        };
        let there = here.moved_to(edit.lang.as_ref(), edit.slug.as_ref());
        if let Some(there) = there
            && queries::slug_taken(conn, there.lang, there.slug)?
        {
            return Err(slug_in_use(there.lang, there.slug));
        }
        let lang = there.map_or(here.lang, |there| there.lang);
        let translation_of = match request.translation_of {
            Some(Some(target)) => Some(translations::original_of(conn, target, Some(id))?),
            Some(None) => None,
            None => current.translation_of,
        };
        if regroups && let Some(original) = translations::group_of(conn, Some(id), translation_of)?
        {
            translations::check_language_free(conn, original, Some(id), lang)?;
        }
        // Only what the request changes is checked: an article scheduled
        // earlier whose time has come is published, and a PATCH of its
        // byline leaves its status and time as they are.
        let (status, published_at) = if request.status.is_none() && new_time.is_none() {
            (current.status, current.published_at)
        } else {
            let status = request
                .status
                .unwrap_or_else(|| current.status.as_of(current.published_at, now));
            placement(status, new_time.unwrap_or(current.published_at), now)?
        };
        let body_text = edit
            .body
            .as_ref()
            .map_or(current.body_text.as_str(), |(_, text)| text.as_str());
        // A summary derived from the old body is derived from the new one.
        let derived =
            || summary_of(None, &current.body_text).is_ok_and(|derived| derived == current.summary);
        let summary = match (&edit.summary, &edit.body) {
            (Some(given), _) => Some(
                summary_of(Some(given), body_text)
                    .map_err(|e| ApiError::validation("summary", e))?,
            ),
            (None, Some(_)) if derived() => summary_of(None, body_text).ok(),
            (None, _) => None,
        };
        if content_changes {
            keep_revision(conn, &current, &writer, now)?;
        }
        let version = current.version + 1;
        queries::update(
            conn,
            id,
            &ArticleChanges {
                slug: edit.slug.as_ref().map(Slug::as_str),
                title: edit.title.as_ref().map(Title::as_str),
                summary: summary.as_deref(),
                body_html: edit.body.as_ref().map(|(html, _)| html.as_str()),
                body_text: edit.body.as_ref().map(|(_, text)| text.as_str()),
                word_count: edit.body.as_ref().map(|(_, text)| word_count(text)),
                byline: edit.byline.as_deref(),
                category_id: request.category_id,
                cover_image_url: edit.cover.as_ref().map(|url| url.as_deref()),
                cover_media_id: request.cover_media_id,
                og_media_id: request.og_media_id,
                featured: request.featured,
                meta_title: edit.seo.title.as_ref().map(Option::as_deref),
                meta_description: edit.seo.description.as_ref().map(Option::as_deref),
                lang: edit.lang.as_ref().map(Lang::as_str),
                translation_of: request.translation_of.map(|_| translation_of),
                status: Some(status),
                published_at: Some(published_at),
                ..ArticleChanges::touching(now, version)
            },
        )?;
        if let Some(tags) = &edit.tags {
            queries::replace_tags(conn, id, tags.as_slice())?;
        }
        // Citations come from the text alone: a byline or a status leaves them.
        let recited = text && link_citations(conn, id)?;
        let details = json!({"version": version, "status": {"from": current.status, "to": status}});
        audit::record(
            conn,
            &writer.actor,
            AuditEvent::on("article.update", AUDITED, id, details),
            now,
        )?;
        announce(conn, id, EventKind::ArticleUpdated, Some(&current), now)?;
        // The texts searches match, as they were and as they are.
        let rewritten = [
            (edit.title.as_ref().map(Title::as_str), &current.title),
            (summary.as_deref(), &current.summary),
            (edit.byline.as_deref(), &current.byline),
            (
                edit.body.as_ref().map(|(_, text)| text.as_str()),
                &current.body_text,
            ),
        ];
        let words = rewritten
            .into_iter()
            .filter_map(|(new, old)| Some([new?, old.as_str()]))
            .flatten()
            .flat_map(indexed_words)
            .collect();
        let touches = match touches {
            Touches::ArticleContent(id) if recited => Touches::Article(id),
            touches => touches,
        };
        Ok(((), Written { touches, words }))
    })
    .await
}

/// Moves an article to the trash (editors): it vanishes from public reads.
pub async fn trash(
    db: &Database,
    writer: Writer,
    id: i32,
    precondition: Precondition,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    // Only this article, and what lists show of it, changed.
    db.write_touching(Touches::Article(id), move |conn| {
        let current = editable(conn, &writer, id, &precondition, None)?;
        set_trashed(conn, &writer, &current, Some(now), now)
    })
    .await
}

/// Takes an article out of the trash (editors).
pub async fn restore(
    db: &Database,
    writer: Writer,
    id: i32,
    precondition: Precondition,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    // Only this article, and what lists show of it, changed.
    db.write_touching(Touches::Article(id), move |conn| {
        let current = queries::find_any(conn, id)?
            .map(|found| found.article)
            .filter(|article| article.deleted_at.is_some())
            .ok_or_else(|| ApiError::no_such("trashed article", id))?;
        precondition.check(&current.tag())?;
        set_trashed(conn, &writer, &current, None, now)
    })
    .await
}

/// Puts `current` in the trash since `deleted_at`, or takes it out
/// (`None`), with its audit entry and webhook event.
fn set_trashed(
    conn: &mut DbConnection,
    writer: &Writer,
    current: &ArticleRow,
    deleted_at: Option<NaiveDateTime>,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    let (action, event) = match deleted_at {
        Some(_) => ("article.trash", EventKind::ArticleDeleted),
        None => ("article.restore", EventKind::ArticleUpdated),
    };
    let changes = ArticleChanges {
        deleted_at: Some(deleted_at),
        ..ArticleChanges::touching(now, current.version + 1)
    };
    queries::update(conn, current.id, &changes)?;
    let details = json!({"title": current.title});
    audit::record(
        conn,
        &writer.actor,
        AuditEvent::on(action, AUDITED, current.id, details),
        now,
    )?;
    announce(conn, current.id, event, Some(current), now)?;
    Ok(())
}

/// Puts a revision's content back (editors): a content change like any
/// other, so the content it replaces is kept as a revision too.
pub async fn restore_revision(
    db: &Database,
    writer: Writer,
    id: i32,
    version: i32,
    precondition: Precondition,
    now: NaiveDateTime,
) -> Result<(), ApiError> {
    // Only this article, and what lists show of it, changed.
    db.write_touching(Touches::Article(id), move |conn| {
        let current = editable(conn, &writer, id, &precondition, None)?;
        let revision = queries::revision(conn, id, version)?
            .ok_or_else(|| ApiError::NotFound(format!("the article has no revision {version}")))?;
        // Its category may have been deleted since: the content comes back uncategorised.
        let category_id = match revision.category_id {
            Some(id) if categories::queries::find(conn, id)?.is_some() => Some(id),
            _ => None,
        };
        keep_revision(conn, &current, &writer, now)?;
        let body_text = html_to_text(&revision.body_html);
        queries::update(
            conn,
            id,
            &ArticleChanges {
                title: Some(&revision.title),
                summary: Some(&revision.summary),
                body_html: Some(&revision.body_html),
                body_text: Some(&body_text),
                word_count: Some(word_count(&body_text)),
                byline: Some(&revision.byline),
                category_id: Some(category_id),
                cover_image_url: Some(revision.cover_image_url.as_deref()),
                ..ArticleChanges::touching(now, current.version + 1)
            },
        )?;
        let tags: Vec<String> = serde_json::from_str(&revision.tags).unwrap_or_default();
        queries::replace_tags(conn, id, &tags)?;
        link_citations(conn, id)?;
        audit::record(
            conn,
            &writer.actor,
            AuditEvent::on(
                "article.restore_revision",
                AUDITED,
                id,
                json!({"version": version}),
            ),
            now,
        )?;
        announce(conn, id, EventKind::ArticleUpdated, Some(&current), now)?;
        Ok(())
    })
    .await
}

#[cfg(test)]
mod tests {
    use actix_web::ResponseError;
    use actix_web::http::StatusCode;
    use chrono::Duration;

    use super::*;
    use crate::audit::ActorKind;

    fn writer(role: Role, user_id: Option<i32>) -> Writer {
        let actor = Actor {
            kind: ActorKind::User,
            id: user_id,
            label: "someone@example.vn".into(),
            request_id: None,
        };
        Writer {
            actor,
            user_id,
            role,
        }
    }

    fn status_of<T: std::fmt::Debug>(result: Result<T, ApiError>) -> StatusCode {
        result.unwrap_err().status_code()
    }

    #[test]
    fn authors_write_drafts_and_submit_them_and_editors_set_any_status() {
        let (author, editor) = (writer(Role::Author, Some(3)), writer(Role::Editor, Some(2)));
        for status in ArticleStatus::ALL {
            assert!(may_set(&editor, *status).is_ok(), "{status}");
        }
        assert!(may_set(&author, ArticleStatus::Draft).is_ok());
        assert!(may_set(&author, ArticleStatus::PendingReview).is_ok());
        for status in [
            ArticleStatus::Published,
            ArticleStatus::Scheduled,
            ArticleStatus::Archived,
        ] {
            assert_eq!(status_of(may_set(&author, status)), StatusCode::FORBIDDEN);
        }
    }

    #[test]
    fn only_editors_choose_featured_news_but_anyone_may_leave_it_out() {
        let (author, editor) = (writer(Role::Author, Some(3)), writer(Role::Editor, Some(2)));
        assert!(may_feature(&author, None).is_ok());
        assert_eq!(
            status_of(may_feature(&author, Some(false))),
            StatusCode::FORBIDDEN
        );
        assert!(may_feature(&editor, Some(true)).is_ok());
    }

    #[test]
    fn published_in_the_future_is_scheduled_and_scheduled_needs_a_future_time() {
        let now = crate::support::timestamps::now();
        let (past, future) = (now - Duration::hours(1), now + Duration::hours(1));
        let placed = |status, at| placement(status, at, now);
        assert_eq!(
            placed(ArticleStatus::Published, None).unwrap(),
            (ArticleStatus::Published, Some(now))
        );
        assert_eq!(
            placed(ArticleStatus::Published, Some(future)).unwrap(),
            (ArticleStatus::Scheduled, Some(future))
        );
        assert_eq!(
            placed(ArticleStatus::Scheduled, Some(future)).unwrap(),
            (ArticleStatus::Scheduled, Some(future))
        );
        assert_eq!(
            status_of(placed(ArticleStatus::Scheduled, Some(past))),
            StatusCode::CONFLICT
        );
        assert_eq!(
            status_of(placed(ArticleStatus::Scheduled, None)),
            StatusCode::CONFLICT
        );
        assert_eq!(
            placed(ArticleStatus::Draft, Some(past)).unwrap(),
            (ArticleStatus::Draft, Some(past))
        );
    }

    #[test]
    fn only_editors_set_a_publication_time_and_only_in_years_that_sort() {
        let time = |text: &str| Timestamp::parse(text).unwrap();
        let editor = writer(Role::Editor, Some(2));
        assert!(publication_time(&editor, time("2026-12-01T08:00:00+07:00")).is_ok());
        assert_eq!(
            status_of(publication_time(
                &writer(Role::Author, Some(3)),
                time("2026-12-01T08:00:00+07:00")
            )),
            StatusCode::FORBIDDEN
        );
        assert_eq!(
            status_of(publication_time(&editor, time("1969-12-31T00:00:00Z"))),
            StatusCode::UNPROCESSABLE_ENTITY
        );
    }

    #[test]
    fn an_author_touches_only_their_own_drafts_and_an_editor_anything() {
        let author = writer(Role::Author, Some(3));
        assert!(author.may_touch(Some(3), ArticleStatus::Draft));
        assert!(author.may_touch(Some(3), ArticleStatus::PendingReview));
        assert!(!author.may_touch(Some(3), ArticleStatus::Published));
        assert!(!author.may_touch(Some(4), ArticleStatus::Draft));
        assert!(!author.may_touch(None, ArticleStatus::Draft));
        let key = writer(crate::auth::API_KEY_ROLE, None);
        assert!(key.may_touch(None, ArticleStatus::Published));
        assert!(writer(Role::Editor, Some(2)).may_touch(Some(4), ArticleStatus::Published));
    }
}
