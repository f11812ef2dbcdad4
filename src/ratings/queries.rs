//! SQL for ratings: the votes, and the aggregate kept on the article.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::Stars;
use crate::db::DbConnection;
use crate::db::schema::{articles, ratings};

/// An article's aggregate: total stars, votes, and votes per star.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Queryable)]
pub struct Tally {
    pub total: i64,
    pub count: i64,
    pub by_stars: [i64; 5],
}

pub fn tally(conn: &mut DbConnection, article_id: i32) -> QueryResult<Tally> {
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
}

/// The stars `voter` gave the article, if any.
pub fn vote_of(conn: &mut DbConnection, article_id: i32, voter: &str) -> QueryResult<Option<i32>> {
    ratings::table
        .find((article_id, voter))
        .select(ratings::stars)
        .first(conn)
        .optional()
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
    crate::db::on_engine!(conn, inner => diesel::insert_into(ratings::table)
        .values((
            ratings::article_id.eq(article_id),
            ratings::voter.eq(voter),
            ratings::stars.eq(stars),
            ratings::rated_at.eq(now),
        ))
        .on_conflict((ratings::article_id, ratings::voter))
        .do_update()
        .set((ratings::stars.eq(stars), ratings::rated_at.eq(now)))
        .execute(inner))?;
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
    let [one, two, three, four, five] = tally.by_stars;
    diesel::update(articles::table.find(article_id))
        .set((
            articles::rating_total.eq(tally.total),
            articles::rating_count.eq(tally.count),
            articles::rated_1.eq(one),
            articles::rated_2.eq(two),
            articles::rated_3.eq(three),
            articles::rated_4.eq(four),
            articles::rated_5.eq(five),
        ))
        .execute(conn)
        .map(drop)
}
