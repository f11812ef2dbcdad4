//! Articles related to one article: the public ones that cite the same
//! official documents, carry its tags or sit in its category, best first.
//! The documents are what no other news API can relate articles by: this
//! one found them in each article's text (`article_references`).
//!
//! The work is bounded whatever the newsroom's size. Candidates are
//! gathered through indexes, at most [`PER_SOURCE`] from each source (each
//! document compared, each tag compared, the category), and only those are
//! checked for visibility, scored and ranked: an article beyond the newest
//! 500 of every source it shares is passed over, where the 500 newer ones
//! of that source stand in for it.
//!
//! Written once for both engines: diesel's DSL, `one_of` for id lists.

use std::cmp::Reverse;
use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use super::queries::is_visible;
use crate::db::schema::{article_references, article_tags, articles, documents};
use crate::db::{DbConnection, one_of};
use crate::error::ApiError;

/// The most candidates one source gives: its newest.
const PER_SOURCE: i64 = 500;
/// How many of an article's documents are compared: the first its text
/// cites. With as many tags, and the category, at most 21 sources.
const COMPARED_DOCUMENTS: i64 = 10;
/// How many of an article's tags are compared (alphabetically).
const COMPARED_TAGS: i64 = 10;

/// How many related articles an answer holds: 1 to [`RelatedLimit::MAX`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RelatedLimit(u32);

impl RelatedLimit {
    pub const DEFAULT: u32 = 5;
    pub const MAX: u32 = 20;

    /// `limit` as sent, the default when left out; a 422 on `limit`
    /// outside 1 to [`Self::MAX`] (never a silent cap).
    pub fn parse(limit: Option<i64>) -> Result<Self, ApiError> {
        let Some(limit) = limit else {
            return Ok(Self(Self::DEFAULT));
        };
        u32::try_from(limit)
            .ok()
            .filter(|limit| (1..=Self::MAX).contains(limit))
            .map(Self)
            .ok_or_else(|| {
                ApiError::validation("limit", format!("must be from 1 to {}", Self::MAX))
            })
    }

    pub fn get(self) -> usize {
        self.0 as usize
    }
}

/// What another article has in common with the one asked about: what
/// ranks it, and what a page shows to explain the choice.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct RelatedScore {
    /// Registered documents both articles cite (of the first 10 the
    /// article asked about cites).
    #[schema(example = 1)]
    pub documents: u32,
    /// Tags both carry, whatever their case (of 10 of its tags).
    #[schema(example = 0)]
    pub tags: u32,
    /// Whether it is filed under the same category (not a subcategory).
    #[schema(example = true)]
    pub same_category: bool,
}

impl RelatedScore {
    fn shares_anything(&self) -> bool {
        self.documents > 0 || self.tags > 0 || self.same_category
    }
}

/// A related article as ranked: its id, publication time and score.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Related {
    pub id: i32,
    pub published_at: NaiveDateTime,
    pub score: RelatedScore,
}

impl Related {
    /// What ranks it, greatest first: shared documents, shared tags, the
    /// same category, newer, higher id (so no two rank alike).
    fn rank(&self) -> (u32, u32, bool, NaiveDateTime, i32) {
        (
            self.score.documents,
            self.score.tags,
            self.score.same_category,
            self.published_at,
            self.id,
        )
    }
}

/// The best `limit` of `candidates`, best first; those sharing nothing
/// (a tag removed since they were gathered) are left out.
pub fn best(mut candidates: Vec<Related>, limit: RelatedLimit) -> Vec<Related> {
    candidates.retain(|candidate| candidate.score.shares_anything());
    candidates.sort_unstable_by_key(|candidate| Reverse(candidate.rank()));
    candidates.truncate(limit.get());
    candidates
}

/// The article asked about, as others are compared with it.
struct Subject {
    id: i32,
    category_id: Option<i32>,
    /// The registered documents it cites, by number, as its text cites them.
    numbers: Vec<String>,
    /// Its tags, in lower case (`content::tag_key`).
    tag_keys: Vec<String>,
}

/// The publicly visible articles related to the article `id` (filed under
/// `category_id`, written in `lang`) at `now`, in its language, best
/// first, at most `limit`; never itself.
pub fn related(
    conn: &mut DbConnection,
    id: i32,
    category_id: Option<i32>,
    lang: &str,
    now: NaiveDateTime,
    limit: RelatedLimit,
) -> QueryResult<Vec<Related>> {
    let subject = Subject {
        id,
        category_id,
        numbers: cited_numbers(conn, id)?,
        tag_keys: tag_keys(conn, id)?,
    };
    let candidates = candidates(conn, &subject, now)?;
    if candidates.is_empty() {
        return Ok(Vec::new());
    }
    let visible = visible_among(conn, &candidates, lang, now)?;
    let ids: Vec<i32> = visible.iter().map(|(id, ..)| *id).collect();
    let documents = shared_documents(conn, &ids, &subject.numbers)?;
    let tags = shared_tags(conn, &ids, &subject.tag_keys)?;
    let scored = visible
        .into_iter()
        .map(|(id, category, published_at)| Related {
            id,
            published_at,
            score: RelatedScore {
                documents: documents.get(&id).copied().unwrap_or(0),
                tags: tags.get(&id).copied().unwrap_or(0),
                same_category: category.is_some() && category == subject.category_id,
            },
        })
        .collect();
    Ok(best(scored, limit))
}

/// The registered documents the article cites, by number, the first its
/// text cites first. A number no document has relates nothing: a client
/// explaining a choice shows registered documents only.
fn cited_numbers(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<String>> {
    article_references::table
        .inner_join(documents::table.on(documents::number.eq(article_references::number)))
        .filter(article_references::article_id.eq(id))
        .order(article_references::position.asc())
        .select(article_references::number)
        .limit(COMPARED_DOCUMENTS)
        .load(conn)
}

/// The article's tags in lower case, each once.
fn tag_keys(conn: &mut DbConnection, id: i32) -> QueryResult<Vec<String>> {
    article_tags::table
        .filter(article_tags::article_id.eq(id))
        .filter(article_tags::tag_key.ne(""))
        .select(article_tags::tag_key)
        .distinct()
        .order(article_tags::tag_key.asc())
        .limit(COMPARED_TAGS)
        .load(conn)
}

/// The ids of the other articles that share a source with `subject`, in
/// any state (visibility is checked once, on all of them).
fn candidates(
    conn: &mut DbConnection,
    subject: &Subject,
    now: NaiveDateTime,
) -> QueryResult<Vec<i32>> {
    let mut found = BTreeSet::new();
    for number in &subject.numbers {
        found.extend(citing(conn, number, subject.id)?);
    }
    for key in &subject.tag_keys {
        found.extend(tagged(conn, key, subject.id)?);
    }
    if let Some(category) = subject.category_id {
        found.extend(in_category(conn, category, subject.id, now)?);
    }
    Ok(found.into_iter().collect())
}

/// The newest articles citing `number` but `except` (by id: the order
/// they were written in), on `article_references_by_number` alone.
fn citing(conn: &mut DbConnection, number: &str, except: i32) -> QueryResult<Vec<i32>> {
    article_references::table
        .filter(article_references::number.eq(number))
        .filter(article_references::article_id.ne(except))
        .order(article_references::article_id.desc())
        .limit(PER_SOURCE)
        .select(article_references::article_id)
        .load(conn)
}

/// The newest articles tagged `key` but `except` (by id), on
/// `article_tags_by_key` alone.
fn tagged(conn: &mut DbConnection, key: &str, except: i32) -> QueryResult<Vec<i32>> {
    article_tags::table
        .filter(article_tags::tag_key.eq(key))
        .filter(article_tags::article_id.ne(except))
        .order(article_tags::article_id.desc())
        .limit(PER_SOURCE)
        .select(article_tags::article_id)
        .load(conn)
}

/// The newest visible articles in `category` but `except` (by publication
/// time), on `articles_visible_by_category` alone.
fn in_category(
    conn: &mut DbConnection,
    category: i32,
    except: i32,
    now: NaiveDateTime,
) -> QueryResult<Vec<i32>> {
    articles::table
        .filter(articles::category_id.eq(category))
        .filter(is_visible(now))
        .filter(articles::id.ne(except))
        .order((articles::published_at.desc(), articles::id.desc()))
        .limit(PER_SOURCE)
        .select(articles::id)
        .load(conn)
}

/// Of `ids`, the articles in `lang` guests see at `now`: id, category, publication
/// time (which visibility implies).
fn visible_among(
    conn: &mut DbConnection,
    ids: &[i32],
    lang: &str,
    now: NaiveDateTime,
) -> QueryResult<Vec<(i32, Option<i32>, NaiveDateTime)>> {
    articles::table
        .filter(one_of(articles::id, ids))
        .filter(is_visible(now))
        .filter(articles::lang.eq(lang))
        .select((
            articles::id,
            articles::category_id,
            articles::published_at.assume_not_null(),
        ))
        .load(conn)
}

/// How many of `numbers` each of `ids` cites, for those citing any.
fn shared_documents(
    conn: &mut DbConnection,
    ids: &[i32],
    numbers: &[String],
) -> QueryResult<HashMap<i32, u32>> {
    if numbers.is_empty() || ids.is_empty() {
        return Ok(HashMap::new());
    }
    // One row per article and number: the table's primary key.
    let citing: Vec<i32> = article_references::table
        .filter(one_of(article_references::article_id, ids))
        .filter(article_references::number.eq_any(numbers.to_vec()))
        .select(article_references::article_id)
        .load(conn)?;
    Ok(tally(citing))
}

/// How many of `keys` each of `ids` is tagged with, for those with any.
fn shared_tags(
    conn: &mut DbConnection,
    ids: &[i32],
    keys: &[String],
) -> QueryResult<HashMap<i32, u32>> {
    if keys.is_empty() || ids.is_empty() {
        return Ok(HashMap::new());
    }
    let tagged: Vec<(i32, String)> = article_tags::table
        .filter(one_of(article_tags::article_id, ids))
        .filter(article_tags::tag_key.eq_any(keys.to_vec()))
        .select((article_tags::article_id, article_tags::tag_key))
        .load(conn)?;
    // Two spellings of one tag (`CCHC`, `cchc`) are one tag.
    let distinct: HashSet<(i32, String)> = tagged.into_iter().collect();
    Ok(tally(distinct.into_iter().map(|(id, _)| id)))
}

/// How many times each id comes.
fn tally(ids: impl IntoIterator<Item = i32>) -> HashMap<i32, u32> {
    let mut counts = HashMap::new();
    for id in ids {
        *counts.entry(id).or_insert(0) += 1;
    }
    counts
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::*;

    fn at(day: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2025, 1, day)
            .unwrap()
            .and_hms_opt(8, 0, 0)
            .unwrap()
    }

    fn candidate(id: i32, day: u32, documents: u32, tags: u32, same_category: bool) -> Related {
        Related {
            id,
            published_at: at(day),
            score: RelatedScore {
                documents,
                tags,
                same_category,
            },
        }
    }

    fn ids(ranked: &[Related]) -> Vec<i32> {
        ranked.iter().map(|related| related.id).collect()
    }

    #[test]
    fn documents_outrank_tags_which_outrank_the_category_which_outranks_newness() {
        let candidates = vec![
            candidate(1, 30, 0, 0, true),
            candidate(2, 1, 1, 0, false),
            candidate(3, 20, 0, 2, false),
            candidate(4, 10, 0, 1, true),
            candidate(5, 2, 2, 0, false),
            candidate(6, 25, 0, 1, false),
        ];
        let ranked = best(candidates, RelatedLimit::parse(Some(20)).unwrap());
        assert_eq!(ids(&ranked), [5, 2, 3, 4, 6, 1]);
    }

    #[test]
    fn equal_scores_go_to_the_newer_then_the_higher_id() {
        let candidates = vec![
            candidate(7, 5, 0, 1, false),
            candidate(9, 5, 0, 1, false),
            candidate(8, 6, 0, 1, false),
        ];
        let ranked = best(candidates, RelatedLimit::parse(None).unwrap());
        assert_eq!(ids(&ranked), [8, 9, 7]);
    }

    #[test]
    fn only_the_best_limit_come_and_those_sharing_nothing_never() {
        let mut candidates: Vec<Related> = (1..=8).map(|id| candidate(id, 1, 0, 0, true)).collect();
        candidates.push(candidate(100, 31, 0, 0, false));
        let ranked = best(candidates, RelatedLimit::parse(None).unwrap());
        assert_eq!(ids(&ranked), [8, 7, 6, 5, 4]);
    }

    #[test]
    fn a_limit_is_1_to_20_and_5_when_left_out() {
        assert_eq!(RelatedLimit::parse(None).unwrap().get(), 5);
        assert_eq!(RelatedLimit::parse(Some(1)).unwrap().get(), 1);
        assert_eq!(RelatedLimit::parse(Some(20)).unwrap().get(), 20);
        for refused in [0, 21, -1, i64::MAX, i64::MIN] {
            assert!(
                matches!(
                    RelatedLimit::parse(Some(refused)),
                    Err(ApiError::Validation(_))
                ),
                "{refused}"
            );
        }
    }

    #[test]
    fn each_id_is_counted_as_often_as_it_comes() {
        let counts = tally([3, 1, 3, 3]);
        assert_eq!(counts.get(&3), Some(&3));
        assert_eq!(counts.get(&1), Some(&1));
        assert_eq!(counts.get(&2), None);
    }
}
