//! The rows of a NukeViet 4.5 portal (news, comments, laws modules) as typed
//! values, read once from the dump's tables. A row that does not read (a
//! column missing, a number that is text) becomes a reason, not a value.

use std::collections::HashMap;
use std::io::BufRead;

use crate::import::dump::{Dump, DumpError, Rows, SqlValue};
use crate::import::spool::Spool;
use crate::legacy::LegacyKind;
use crate::support::grouping::grouped;
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

/// An article: its header (`_news_rows`) with its tags; its body
/// (`_news_detail`) is in the portal's [`Portal::bodies`].
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
#[derive(Debug)]
pub struct Portal {
    pub categories: Vec<LegacyCategory>,
    pub articles: Vec<LegacyArticle>,
    /// The articles' bodies (`bodyhtml` of `_news_detail`) by id, set aside
    /// as the dump is read.
    pub bodies: Spool,
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

/// Why a dump holds no portal to import.
#[derive(Debug, thiserror::Error)]
pub enum PortalError {
    #[error(transparent)]
    Dump(#[from] DumpError),
    #[error("the scratch file for the articles' bodies failed: {0}")]
    Spool(#[from] std::io::Error),
    #[error(
        "the dump has no NukeViet news or laws tables with the prefix `{prefix}` and language `{lang}` ({prefix}_{lang}_news_rows, {prefix}_{lang}_laws_row); {found}"
    )]
    NoSuchPortal {
        prefix: String,
        lang: String,
        found: String,
    },
}

/// The tables of a portal the import reads, after `{prefix}_{lang}_`. The
/// others, NukeViet's per-category copies of the news rows among them, are
/// not even parsed, so what they hold cannot stop it.
const READ: [&str; 12] = [
    "news_cat",
    "news_rows",
    "news_detail",
    "news_tags_id",
    "comment",
    "laws_row",
    "laws_row_area",
    "laws_set_replace",
    "laws_area",
    "laws_cat",
    "laws_subject",
    "laws_signer",
];

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
    /// Reads the portal of `prefix` and `lang` from a dump, a statement at
    /// a time, each row into its typed value as it comes: the articles'
    /// bodies go to a scratch file, the rest is kept (headers, comments,
    /// documents: a small part of a dump).
    pub fn read(dump: impl BufRead, prefix: &str, lang: &str) -> Result<Self, PortalError> {
        let portal_prefix = format!("{prefix}_{lang}_");
        let plain_comments = format!("{prefix}_comment");
        // The comment table has no language in its name on older installs.
        let table_of = |table: &str| match table.strip_prefix(&portal_prefix) {
            Some(name) => READ.iter().find(|read| **read == name).copied(),
            None => (table == plain_comments).then_some(OLD_COMMENTS),
        };
        let rows_of = |table: &str| match table_of(table) {
            Some(_) => Rows::Streamed,
            None => Rows::PassedOver,
        };
        let mut gathered = Gathered::new()?;
        let dump = Dump::read(dump, rows_of, |table, columns, values| {
            let row = Row {
                columns,
                values: &values,
            };
            let name = table_of(table).unwrap_or_default();
            gathered.take(name, table, &row)
        })?;
        let has = |name: &str| dump.tables.contains_key(&format!("{portal_prefix}{name}"));
        if !has("news_rows") && !has("laws_row") {
            let found = portals_in(&dump);
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
        Ok(gathered.into_portal(has("comment")))
    }
}

/// What `Portal::read` calls the comment table without a language.
const OLD_COMMENTS: &str = "old comment";

/// The rows of a portal's tables, read into typed values as they come.
struct Gathered {
    categories: Vec<LegacyCategory>,
    articles: Vec<LegacyArticle>,
    bodies: Spool,
    tags: Vec<(i64, String)>,
    comments: Vec<LegacyComment>,
    old_comments: Vec<LegacyComment>,
    documents: Vec<LegacyDocument>,
    /// (document, area) pairs.
    row_areas: Vec<(i64, i64)>,
    /// (replaced, replacing): `nid` replaces `oid`.
    replacements: Vec<(i64, i64)>,
    areas: Vec<LegacyName>,
    document_types: HashMap<i64, LegacyName>,
    issuing_bodies: HashMap<i64, LegacyName>,
    signers: HashMap<i64, LegacyName>,
    unreadable: Unreadable,
    old_unreadable_comments: Vec<(i64, String)>,
}

impl Gathered {
    fn new() -> std::io::Result<Self> {
        Ok(Self {
            categories: Vec::new(),
            articles: Vec::new(),
            bodies: Spool::new()?,
            tags: Vec::new(),
            comments: Vec::new(),
            old_comments: Vec::new(),
            documents: Vec::new(),
            row_areas: Vec::new(),
            replacements: Vec::new(),
            areas: Vec::new(),
            document_types: HashMap::new(),
            issuing_bodies: HashMap::new(),
            signers: HashMap::new(),
            unreadable: Unreadable::default(),
            old_unreadable_comments: Vec::new(),
        })
    }

    /// Takes a row of the table the import calls `name` (`table` in the dump).
    fn take(&mut self, name: &str, table: &str, row: &Row<'_>) -> Result<(), PortalError> {
        use LegacyKind::{Article, Document};
        let bad = &mut self.unreadable;
        let mut completing = Completing { table, row, bad };
        match name {
            "news_cat" => keep(
                row,
                "catid",
                LegacyCategory::read,
                &mut self.categories,
                &mut bad.categories,
            ),
            "news_rows" => keep(
                row,
                "id",
                LegacyArticle::read,
                &mut self.articles,
                &mut bad.articles,
            ),
            "comment" => keep(
                row,
                "cid",
                LegacyComment::read,
                &mut self.comments,
                &mut bad.comments,
            ),
            OLD_COMMENTS => keep(
                row,
                "cid",
                LegacyComment::read,
                &mut self.old_comments,
                &mut self.old_unreadable_comments,
            ),
            "laws_row" => keep(
                row,
                "id",
                LegacyDocument::read,
                &mut self.documents,
                &mut bad.documents,
            ),
            "laws_area" => keep(row, "id", LegacyName::read, &mut self.areas, &mut bad.areas),
            "news_detail" => {
                let body = row.int("id").and_then(|id| Ok((id, row.text("bodyhtml")?)));
                if let Some((id, body)) = completing.value(Article, "id", body) {
                    self.bodies.put(id, &body)?;
                }
            }
            "news_tags_id" => {
                let tag = row.int("id").and_then(|id| Ok((id, row.plain("keyword")?)));
                self.tags.extend(completing.value(Article, "id", tag));
            }
            "laws_row_area" => {
                let pair = row
                    .int("row_id")
                    .and_then(|id| Ok((id, row.int("area_id")?)));
                self.row_areas
                    .extend(completing.value(Document, "row_id", pair));
            }
            "laws_set_replace" => {
                let pair = row.int("oid").and_then(|old| Ok((old, row.int("nid")?)));
                self.replacements
                    .extend(completing.value(Document, "id", pair));
            }
            "laws_cat" | "laws_subject" | "laws_signer" => {
                let names = match name {
                    "laws_cat" => &mut self.document_types,
                    "laws_subject" => &mut self.issuing_bodies,
                    _ => &mut self.signers,
                };
                let entry = completing.value(Document, "id", LegacyName::read(row));
                names.extend(entry.map(|entry| (entry.id, entry)));
            }
            _ => {}
        }
        Ok(())
    }

    /// The portal these rows make: tags to their articles, areas and
    /// replacements to their documents. `has_comments`: whether the dump
    /// has the comment table with the portal's language in its name, which
    /// then is the one read.
    fn into_portal(self, has_comments: bool) -> Portal {
        let Gathered {
            categories,
            mut articles,
            bodies,
            tags,
            comments,
            old_comments,
            mut documents,
            row_areas,
            replacements,
            areas,
            document_types,
            issuing_bodies,
            signers,
            mut unreadable,
            old_unreadable_comments,
        } = self;
        // Each row's tags by its id: a dump of a large newsroom holds
        // hundreds of thousands of tags.
        let mut tags = grouped(tags);
        for article in &mut articles {
            article.tags = tags.remove(&article.id).unwrap_or_default();
        }
        let comments = if has_comments {
            comments
        } else {
            unreadable.comments = old_unreadable_comments;
            old_comments
        };
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
        Portal {
            categories,
            articles,
            bodies,
            comments,
            documents,
            areas,
            document_types,
            issuing_bodies,
            signers,
            unreadable,
        }
    }
}

/// A row of a table that completes others (bodies, tags, links, names) being read.
struct Completing<'a> {
    table: &'a str,
    row: &'a Row<'a>,
    bad: &'a mut Unreadable,
}

impl Completing<'_> {
    /// The value read, or `None` with the row noted as one that did not
    /// read: its id (in `id_column`), the `kind` it completes and why.
    fn value<T>(
        &mut self,
        kind: LegacyKind,
        id_column: &str,
        read: Result<T, String>,
    ) -> Option<T> {
        read.map_err(|reason| {
            self.bad.others.push(UnreadableRow {
                table: self.table.to_owned(),
                kind,
                id: self.row.int(id_column).unwrap_or(0),
                reason,
            });
        })
        .ok()
    }
}

/// Keeps what `read` makes of `row` in `into`, or its id (in `id_column`)
/// and why in `bad`.
fn keep<T>(
    row: &Row<'_>,
    id_column: &str,
    read: impl Fn(&Row<'_>) -> Result<T, String>,
    into: &mut Vec<T>,
    bad: &mut Vec<(i64, String)>,
) {
    match read(row) {
        Ok(value) => into.push(value),
        Err(reason) => bad.push((row.int(id_column).unwrap_or(0), reason)),
    }
}
