//! Writing a portal's rows, in the caller's transaction, in the order their
//! links need: categories, areas, documents (then their replacements),
//! articles (then the documents they cite), comments (then the counts).
//! Each row already imported (by its NukeViet id) is left as it is.

mod article_rows;
mod category_rows;
mod comment_rows;
mod document_rows;

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
use crate::identity::{DisplayName, Email};
use crate::import::Progress;
use crate::import::report::Report;
use crate::legacy::{LegacyKind, Source, queries as legacy};
use crate::support::timestamps::{CalendarDate, Timestamp};
use crate::text::html_to_text;
use crate::text::lang::Lang;
use crate::text::slug::{IdOrSlug, Slug};
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
    let categories = category_rows::write_categories(conn, &portal, context, report)?;
    let areas = category_rows::write_areas(conn, &portal, context, report)?;
    document_rows::write_documents(conn, &portal, &areas, context, report)?;
    // The articles and their comments, most of a portal, are let go once
    // written: the full-text index, written in bulk after them, needs the room.
    db::load_articles_in_bulk(conn, |conn| {
        let articles =
            article_rows::write_articles(conn, &mut portal, &categories, context, report)?;
        drop(std::mem::take(&mut portal.articles));
        comment_rows::write_comments(conn, &portal, &articles, context, report)?;
        drop(portal);
        crate::support::allocator::give_freed_memory_back();
        Ok::<_, Abort>(())
    })?;
    if report.total_created() > 0 {
        record(conn, report, context.now)?;
    }
    Ok(())
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
