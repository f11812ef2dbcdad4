//! The rows of a NukeViet 4.5 portal (news, comments, laws modules) as typed
//! values, read once from the dump's tables. A row that does not read (a
//! column missing, a number that is text) becomes a reason, not a value.

use std::collections::HashMap;

use crate::grouping::grouped;
use crate::import::dump::{Dump, SqlValue, Table};
use crate::legacy::LegacyKind;
use crate::text::html_to_text;

/// One dumped row, read by column name.
struct Row<'a> {
    columns: &'a [String],
    values: &'a [SqlValue],
}

impl Row<'_> {
    fn value(&self, column: &str) -> Result<&SqlValue, String> {
        self.columns
            .iter()
            .position(|name| name == column)
            .and_then(|at| self.values.get(at))
            .ok_or_else(|| format!("the row has no column `{column}`"))
    }

    fn int(&self, column: &str) -> Result<i64, String> {
        match self.value(column)? {
            SqlValue::Integer(n) => Ok(*n),
            SqlValue::Text(text) => text
                .trim()
                .parse()
                .map_err(|_| format!("`{column}` is `{text}`, not a whole number")),
            SqlValue::Null => Ok(0),
            SqlValue::Decimal(n) => Err(format!("`{column}` is {n}, not a whole number")),
        }
    }

    fn text(&self, column: &str) -> Result<String, String> {
        Ok(match self.value(column)? {
            SqlValue::Text(text) => text.clone(),
            SqlValue::Integer(n) => n.to_string(),
            SqlValue::Decimal(n) => n.clone(),
            SqlValue::Null => String::new(),
        })
    }

    /// A text NukeViet stores with HTML entities (`&quot;`, `&#039;`,
    /// `&amp;`: its `nv_htmlspecialchars` on titles, names and tags), decoded
    /// here once, so nothing further on sees them.
    fn plain(&self, column: &str) -> Result<String, String> {
        Ok(html_to_text(&self.text(column)?))
    }

    /// A comma-separated list of ids (`"8,1"`); empty parts are passed over.
    fn ids(&self, column: &str) -> Result<Vec<i64>, String> {
        let text = self.text(column)?;
        text.split(',')
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .map(|part| {
                part.parse()
                    .map_err(|_| format!("`{column}` is `{text}`, not a list of ids"))
            })
            .collect()
    }
}

/// Every row of `table` read by `read`; the rows that do not read, with why.
fn read_all<T>(
    table: Option<&Table>,
    id_column: &str,
    read: impl Fn(&Row<'_>) -> Result<T, String>,
) -> (Vec<T>, Vec<(i64, String)>) {
    let mut read_rows = Vec::new();
    let mut unreadable = Vec::new();
    for values in table.map_or(&[][..], |table| &table.rows) {
        let row = Row {
            columns: table.map_or(&[][..], |table| &table.columns),
            values,
        };
        match read(&row) {
            Ok(value) => read_rows.push(value),
            Err(reason) => unreadable.push((row.int(id_column).unwrap_or(0), reason)),
        }
    }
    (read_rows, unreadable)
}

/// A news category (`_news_cat`).
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyCategory {
    pub id: i64,
    /// 0 for a top-level category.
    pub parent_id: i64,
    pub title: String,
    pub alias: String,
    pub description: String,
    /// 1 shown, else hidden.
    pub status: i64,
    /// The user groups that may read it (6: everyone).
    pub groups_view: Vec<i64>,
}

impl LegacyCategory {
    fn read(row: &Row<'_>) -> Result<Self, String> {
        Ok(Self {
            id: row.int("catid")?,
            parent_id: row.int("parentid")?,
            title: row.plain("title")?,
            alias: row.text("alias")?,
            description: row.text("description")?,
            status: row.int("status")?,
            groups_view: row.ids("groups_view")?,
        })
    }
}

/// An article: its header (`_news_rows`) with its body (`_news_detail`) and tags.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyArticle {
    pub id: i64,
    pub category_id: i64,
    /// Every category it is listed in, the main one included.
    pub category_ids: Vec<i64>,
    pub author: String,
    pub status: i64,
    pub added: i64,
    pub edited: i64,
    pub published: i64,
    /// 0: never.
    pub expires: i64,
    pub title: String,
    pub alias: String,
    pub hometext: String,
    pub image_file: String,
    /// Where `image_file` is: 1 and 2 under the site's uploads, 3 a URL, 0 none.
    pub image_kind: i64,
    pub views: i64,
    pub rating_total: i64,
    pub rating_count: i64,
    /// From `_news_detail`; `None` when it has no row there.
    pub body_html: Option<String>,
    pub tags: Vec<String>,
}

impl LegacyArticle {
    fn read(row: &Row<'_>) -> Result<Self, String> {
        Ok(Self {
            id: row.int("id")?,
            category_id: row.int("catid")?,
            category_ids: row.ids("listcatid")?,
            author: row.plain("author")?,
            status: row.int("status")?,
            added: row.int("addtime")?,
            edited: row.int("edittime")?,
            published: row.int("publtime")?,
            expires: row.int("exptime")?,
            title: row.plain("title")?,
            alias: row.text("alias")?,
            hometext: row.text("hometext")?,
            image_file: row.text("homeimgfile")?,
            image_kind: row.int("homeimgthumb")?,
            views: row.int("hitstotal")?,
            rating_total: row.int("total_rating")?,
            rating_count: row.int("click_rating")?,
            body_html: None,
            tags: Vec::new(),
        })
    }
}

/// A comment (`_comment`, shared by every module).
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyComment {
    pub id: i64,
    pub module: String,
    /// The article's id, for the news module.
    pub article_id: i64,
    /// 0 for a top-level comment.
    pub parent_id: i64,
    pub content: String,
    pub posted: i64,
    /// 0 for a guest.
    pub user_id: i64,
    pub name: String,
    pub email: String,
    pub ip: String,
    pub status: i64,
    pub likes: i64,
    pub dislikes: i64,
}

impl LegacyComment {
    fn read(row: &Row<'_>) -> Result<Self, String> {
        Ok(Self {
            id: row.int("cid")?,
            module: row.text("module")?,
            article_id: row.int("id")?,
            parent_id: row.int("pid")?,
            content: row.text("content")?,
            posted: row.int("post_time")?,
            user_id: row.int("userid")?,
            name: row.text("post_name")?,
            email: row.text("post_email")?,
            ip: row.text("post_ip")?,
            status: row.int("status")?,
            likes: row.int("likes")?,
            dislikes: row.int("dislikes")?,
        })
    }
}

/// A document of the laws module (`_laws_row`).
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyDocument {
    pub id: i64,
    pub code: String,
    pub title: String,
    pub alias: String,
    pub introtext: String,
    /// Document type (`_laws_cat`).
    pub type_id: i64,
    /// Issuing body (`_laws_subject`).
    pub subject_id: i64,
    /// Signer (`_laws_signer`), 0 for none.
    pub signer_id: i64,
    pub area_ids: Vec<i64>,
    /// The documents that replace this one. NukeViet's laws module
    /// (`admin/content.php`, `funcs/detail.php`) keeps in `replacement` the
    /// documents that replace this one, and writes each as a `_set_replace`
    /// row with `oid` this document and `nid` the one replacing it; both are
    /// read here, the one way.
    pub replaced_by: Vec<i64>,
    pub related: Vec<i64>,
    /// 1 shown, 0 hidden.
    pub status: i64,
    /// The user groups that may read it (6: everyone).
    pub groups_view: Vec<i64>,
    /// 1 adopted, 0 a draft.
    pub approval: i64,
    pub issued: i64,
    pub effective: i64,
    pub expires: i64,
    pub consultation_from: i64,
    pub consultation_to: i64,
    pub views: i64,
    pub downloads: i64,
}

impl LegacyDocument {
    fn read(row: &Row<'_>) -> Result<Self, String> {
        Ok(Self {
            id: row.int("id")?,
            code: row.text("code")?,
            title: row.text("title")?,
            alias: row.text("alias")?,
            introtext: row.text("introtext")?,
            type_id: row.int("cid")?,
            subject_id: row.int("sid")?,
            signer_id: row.int("sgid")?,
            area_ids: row.ids("area_ids")?,
            replaced_by: row.ids("replacement")?,
            related: row.ids("relatement")?,
            status: row.int("status")?,
            groups_view: row.ids("groups_view")?,
            approval: row.int("approval")?,
            issued: row.int("publtime")?,
            effective: row.int("startvalid")?,
            expires: row.int("exptime")?,
            consultation_from: row.int("start_comm_time")?,
            consultation_to: row.int("end_comm_time")?,
            views: row.int("view_hits")?,
            downloads: row.int("download_hits")?,
        })
    }
}

/// A named entry of the laws module: a type, an issuing body, an area, a signer.
#[derive(Debug, Clone, PartialEq)]
pub struct LegacyName {
    pub id: i64,
    pub parent_id: i64,
    pub alias: String,
    pub title: String,
}

impl LegacyName {
    fn read(row: &Row<'_>) -> Result<Self, String> {
        Ok(Self {
            id: row.int("id")?,
            parent_id: row.int("parentid").unwrap_or(0),
            alias: row.text("alias").unwrap_or_default(),
            title: row.plain("title")?,
        })
    }
}

/// The portal's content, read from the tables of one prefix and language.
#[derive(Debug, Default)]
pub struct Portal {
    pub categories: Vec<LegacyCategory>,
    pub articles: Vec<LegacyArticle>,
    pub comments: Vec<LegacyComment>,
    pub documents: Vec<LegacyDocument>,
    pub areas: Vec<LegacyName>,
    pub document_types: HashMap<i64, LegacyName>,
    pub issuing_bodies: HashMap<i64, LegacyName>,
    pub signers: HashMap<i64, LegacyName>,
    /// Rows that did not read, by kind of table: (id, reason).
    pub unreadable: Unreadable,
}

#[derive(Debug, Default)]
pub struct Unreadable {
    pub categories: Vec<(i64, String)>,
    pub articles: Vec<(i64, String)>,
    pub comments: Vec<(i64, String)>,
    pub documents: Vec<(i64, String)>,
    pub areas: Vec<(i64, String)>,
    /// Rows of the tables that complete those (bodies, tags, links, names).
    pub others: Vec<UnreadableRow>,
}

/// A row of a completing table that did not read, and the kind it completes.
#[derive(Debug, Clone, PartialEq)]
pub struct UnreadableRow {
    pub table: String,
    pub kind: LegacyKind,
    pub id: i64,
    pub reason: String,
}

impl Unreadable {
    /// Keeps the rows of `table` that did not read.
    fn note(&mut self, table: String, kind: LegacyKind, rows: Vec<(i64, String)>) {
        self.others
            .extend(rows.into_iter().map(|(id, reason)| UnreadableRow {
                table: table.clone(),
                kind,
                id,
                reason,
            }));
    }
}

/// Why a dump holds no portal to import.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PortalError {
    #[error(
        "the dump has no NukeViet news or laws tables with the prefix `{prefix}` and language `{lang}` ({prefix}_{lang}_news_rows, {prefix}_{lang}_laws_row); {found}"
    )]
    NoSuchPortal {
        prefix: String,
        lang: String,
        found: String,
    },
}

/// Whether `table` is one the import reads (news, laws, comments of the
/// portal): the others are not even parsed, so what they hold cannot stop it.
pub fn is_read(table: &str, prefix: &str, lang: &str) -> bool {
    let portal = format!("{prefix}_{lang}_");
    table.strip_prefix(&portal).is_some_and(|rest| {
        rest.starts_with("news_") || rest.starts_with("laws_") || rest == "comment"
    }) || table == format!("{prefix}_comment")
}

/// The `(prefix, language)` pairs of the NukeViet portals in a dump.
pub fn portals_in(dump: &Dump) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = dump
        .tables
        .keys()
        .chain(&dump.passed_over)
        .filter_map(|name| {
            let head = name
                .strip_suffix("_news_rows")
                .or_else(|| name.strip_suffix("_laws_row"))?;
            let (prefix, lang) = head.rsplit_once('_')?;
            Some((prefix.to_owned(), lang.to_owned()))
        })
        .collect();
    found.sort();
    found.dedup();
    found
}

impl Portal {
    pub fn read(dump: &Dump, prefix: &str, lang: &str) -> Result<Self, PortalError> {
        let full = |name: &str| format!("{prefix}_{lang}_{name}");
        let table = |name: &str| dump.tables.get(&full(name));
        if table("news_rows").is_none() && table("laws_row").is_none() {
            let found = portals_in(dump);
            let found = if found.is_empty() {
                "it holds none at all".to_owned()
            } else {
                let listed: Vec<String> = found
                    .iter()
                    .map(|(prefix, lang)| format!("--prefix {prefix} --lang {lang}"))
                    .collect();
                format!("the dump has: {}", listed.join(", "))
            };
            return Err(PortalError::NoSuchPortal {
                prefix: prefix.to_owned(),
                lang: lang.to_owned(),
                found,
            });
        }
        let mut unreadable = Unreadable::default();
        let (categories, bad) = read_all(table("news_cat"), "catid", LegacyCategory::read);
        unreadable.categories = bad;
        let (mut articles, bad) = read_all(table("news_rows"), "id", LegacyArticle::read);
        unreadable.articles = bad;
        let (bodies, bad) = read_all(table("news_detail"), "id", |row| {
            Ok((row.int("id")?, row.text("bodyhtml")?))
        });
        unreadable.note(full("news_detail"), LegacyKind::Article, bad);
        let (tags, bad) = read_all(table("news_tags_id"), "id", |row| {
            Ok((row.int("id")?, row.plain("keyword")?))
        });
        unreadable.note(full("news_tags_id"), LegacyKind::Article, bad);
        // Each row's bodies and tags by its id: a dump of a large newsroom
        // holds hundreds of thousands of tags.
        let mut bodies: HashMap<i64, String> = bodies.into_iter().collect();
        let mut tags = grouped(tags);
        for article in &mut articles {
            article.body_html = bodies.remove(&article.id);
            article.tags = tags.remove(&article.id).unwrap_or_default();
        }
        // The comment table has no language in its name on older installs.
        let comments = table("comment").or_else(|| dump.tables.get(&format!("{prefix}_comment")));
        let (comments, bad) = read_all(comments, "cid", LegacyComment::read);
        unreadable.comments = bad;
        let (mut documents, bad) = read_all(table("laws_row"), "id", LegacyDocument::read);
        unreadable.documents = bad;
        let (row_areas, bad) = read_all(table("laws_row_area"), "row_id", |row| {
            Ok((row.int("row_id")?, row.int("area_id")?))
        });
        unreadable.note(full("laws_row_area"), LegacyKind::Document, bad);
        // (replaced, replacing): `nid` replaces `oid`.
        let (replacements, bad) = read_all(table("laws_set_replace"), "id", |row| {
            Ok((row.int("oid")?, row.int("nid")?))
        });
        unreadable.note(full("laws_set_replace"), LegacyKind::Document, bad);
        let (mut row_areas, mut replacements) = (grouped(row_areas), grouped(replacements));
        for document in &mut documents {
            document
                .area_ids
                .extend(row_areas.remove(&document.id).unwrap_or_default());
            document.area_ids.sort_unstable();
            document.area_ids.dedup();
            document
                .replaced_by
                .extend(replacements.remove(&document.id).unwrap_or_default());
            document.replaced_by.sort_unstable();
            document.replaced_by.dedup();
        }
        let (areas, bad) = read_all(table("laws_area"), "id", LegacyName::read);
        unreadable.areas = bad;
        let mut by_id = |name: &str| -> HashMap<i64, LegacyName> {
            let (names, bad) = read_all(table(name), "id", LegacyName::read);
            unreadable.note(full(name), LegacyKind::Document, bad);
            names.into_iter().map(|entry| (entry.id, entry)).collect()
        };
        let document_types = by_id("laws_cat");
        let issuing_bodies = by_id("laws_subject");
        let signers = by_id("laws_signer");
        Ok(Self {
            categories,
            articles,
            comments,
            documents,
            areas,
            document_types,
            issuing_bodies,
            signers,
            unreadable,
        })
    }
}
