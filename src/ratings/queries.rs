//! SQL for ratings: the votes, and the aggregate kept on the article.

use chrono::NaiveDateTime;
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Integer, Text, Timestamp};

use super::Stars;
use crate::db::schema::{articles, ratings};
use crate::db::{DbConnection, kept_by_text};

/// An article's aggregate: total stars, votes, and votes per star.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct Tally {
    pub total: i64,
    pub count: i64,
    pub by_stars: [i64; 5],
}

pub fn tally(conn: &mut DbConnection, article_id: i32) -> QueryResult<Tally> {
    crate::db::on_engine!(conn, conn => {
        let (total, count, one, two, three, four, five) = articles::table
            .find(article_id)
            .select((
                articles::rating_total,
                articles::rating_count,
                articles::rated_1,
                articles::rated_2,
                articles::rated_3,
                articles::rated_4,
                articles::rated_5,
            ))
            .first::<(i64, i64, i64, i64, i64, i64, i64)>(conn)?;
        Ok(Tally {
            total,
            count,
            by_stars: [one, two, three, four, five],
        })
    })
}

/// The stars `voter` gave the article, if any.
pub fn vote_of(conn: &mut DbConnection, article_id: i32, voter: &str) -> QueryResult<Option<i32>> {
    crate::db::on_engine!(conn, conn => {
        ratings::table
            .find((article_id, voter))
            .select(ratings::stars)
            .first(conn)
            .optional()
    })
}

/// Records `voter`'s vote, replacing an earlier one, and moves the
/// aggregate with it; answers the new aggregate. Run inside the write
/// transaction: the read of the earlier vote and both writes are one step,
/// so no vote is lost or counted twice however many arrive at once.
pub fn vote(
    conn: &mut DbConnection,
    article_id: i32,
    voter: &str,
    stars: Stars,
    now: NaiveDateTime,
) -> QueryResult<Tally> {
    let earlier = vote_of(conn, article_id, voter)?;
    let stars = i32::from(stars.get());
    let vote = RecordVote {
        article_id,
        voter,
        stars,
        at: now,
    };
    crate::db::on_engine!(conn, conn => vote.execute(conn))?;
    let mut current = tally(conn, article_id)?;
    match earlier {
        Some(old) => {
            current.total += i64::from(stars - old);
            current.by_stars[old as usize - 1] -= 1;
        }
        None => {
            current.total += i64::from(stars);
            current.count += 1;
        }
    }
    current.by_stars[stars as usize - 1] += 1;
    set_tally(conn, article_id, &current)?;
    Ok(current)
}

/// `voter`'s vote, replacing an earlier one: an upsert both engines read
/// alike, written out so that it stays prepared (see `db::kept_by_text`).
struct RecordVote<'a> {
    article_id: i32,
    voter: &'a str,
    stars: i32,
    at: NaiveDateTime,
}

kept_by_text!(RecordVote<'a> where ['a]);

impl<DB> QueryFragment<DB> for RecordVote<'_>
where
    DB: Backend + HasSqlType<Integer> + HasSqlType<Text> + HasSqlType<Timestamp>,
    i32: ToSql<Integer, DB>,
    str: ToSql<Text, DB>,
    NaiveDateTime: ToSql<Timestamp, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("INSERT INTO ratings (article_id, voter, stars, rated_at) VALUES (");
        out.push_bind_param::<Integer, _>(&self.article_id)?;
        out.push_sql(", ");
        out.push_bind_param::<Text, _>(self.voter)?;
        out.push_sql(", ");
        out.push_bind_param::<Integer, _>(&self.stars)?;
        out.push_sql(", ");
        out.push_bind_param::<Timestamp, _>(&self.at)?;
        out.push_sql(
            ") ON CONFLICT (article_id, voter) \
             DO UPDATE SET stars = excluded.stars, rated_at = excluded.rated_at",
        );
        Ok(())
    }
}

/// An article's aggregate written over the old one, kept prepared.
struct SetTally {
    article_id: i32,
    tally: Tally,
}

kept_by_text!(SetTally);

impl<DB> QueryFragment<DB> for SetTally
where
    DB: Backend + HasSqlType<BigInt> + HasSqlType<Integer>,
    i64: ToSql<BigInt, DB>,
    i32: ToSql<Integer, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        let Tally {
            total,
            count,
            by_stars: [one, two, three, four, five],
        } = &self.tally;
        let columns = [
            (articles::rating_total::NAME, total),
            (articles::rating_count::NAME, count),
            (articles::rated_1::NAME, one),
            (articles::rated_2::NAME, two),
            (articles::rated_3::NAME, three),
            (articles::rated_4::NAME, four),
            (articles::rated_5::NAME, five),
        ];
        out.push_sql("UPDATE articles SET ");
        for (n, (column, value)) in columns.into_iter().enumerate() {
            if n > 0 {
                out.push_sql(", ");
            }
            out.push_identifier(column)?;
            out.push_sql(" = ");
            out.push_bind_param::<BigInt, _>(value)?;
        }
        out.push_sql(" WHERE id = ");
        out.push_bind_param::<Integer, _>(&self.article_id)?;
        Ok(())
    }
}

/// Writes an aggregate known only as a total and a count (the demo's, an
/// imported portal's): the most even votes adding up to it, see
/// [`Distribution::of_aggregate`](super::Distribution::of_aggregate).
pub fn set_aggregate(
    conn: &mut DbConnection,
    article_id: i32,
    total: i64,
    count: i64,
) -> QueryResult<()> {
    let tally = Tally {
        total,
        count,
        by_stars: super::Distribution::of_aggregate(total, count),
    };
    set_tally(conn, article_id, &tally)
}

/// Writes an article's aggregate (after a vote, or an imported one).
pub fn set_tally(conn: &mut DbConnection, article_id: i32, tally: &Tally) -> QueryResult<()> {
    crate::db::on_engine!(conn, conn => {
        SetTally {
            article_id,
            tally: *tally,
        }
        .execute(conn)
        .map(drop)
    })
}
