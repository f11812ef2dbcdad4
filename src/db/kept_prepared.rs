//! Statements kept prepared from one run to the next. Diesel prepares every
//! `UPDATE` and every upsert anew each time it runs one: the columns an
//! update sets may vary with the values given, and it will not fill its
//! statement cache with each combination. The hottest writes set the same
//! columns every time, so they are written out as statements of their own
//! (a fixed text around bound values), which each connection prepares once
//! and then finds by that text. Preparing a vote's upsert and aggregate
//! anew took a fifth of the writer's time under a stream of votes, and a
//! view flush prepared one update for each article it counted. Statements
//! written as SQL text (`KeptText`) are kept so too.

use std::marker::PhantomData;

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::{
    AppearsOnTable, Expression, SelectableExpression, TypedExpressionType, ValidGrouping,
    is_aggregate,
};
use diesel::query_builder::{AstPass, Query, QueryFragment};
use diesel::query_source::{Column, QuerySource, Table};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Integer, Untyped};

/// Makes `$statement` runnable, found in the statement cache by its text.
/// A type id would spare writing that text on each run, but it must be a
/// `'static` type, and a vote's statement borrows its voter; the text is
/// one short string, where the multi-engine connection wrote it three
/// times (see `on_engine!`). Its generic parameters, if any, follow in
/// brackets:
/// `kept_by_text!(AddTo<C> where [C: Column])`.
macro_rules! kept_by_text {
    ($statement:ty $(where [$($generics:tt)+])?) => {
        impl<$($($generics)+)?> diesel::query_builder::QueryId for $statement {
            type QueryId = ();
            const HAS_STATIC_QUERY_ID: bool = false;
        }

        impl<$($($generics)+,)? Conn> diesel::query_dsl::RunQueryDsl<Conn> for $statement {}
    };
}

pub(crate) use kept_by_text;

/// `UPDATE <table> SET <column> = <column> + <by> WHERE <key> = <id>`: a
/// counter moved by what was counted in memory, in the row its table's
/// primary key names.
pub struct AddTo<C: Column> {
    table: <C::Table as QuerySource>::FromClause,
    id: i32,
    by: i64,
}

kept_by_text!(AddTo<C> where [C: Column]);

/// Adds `by` to counter `column` of the row `id` of its table.
pub fn add_to<C>(_column: C, id: i32, by: i64) -> AddTo<C>
where
    C: Column<SqlType = BigInt>,
    C::Table: Table + Default,
    <C::Table as Table>::PrimaryKey: Column<SqlType = Integer>,
{
    AddTo {
        table: C::Table::default().from_clause(),
        id,
        by,
    }
}

impl<C, DB> QueryFragment<DB> for AddTo<C>
where
    C: Column,
    C::Table: Table,
    <C::Table as Table>::PrimaryKey: Column,
    <C::Table as QuerySource>::FromClause: QueryFragment<DB>,
    DB: Backend + HasSqlType<BigInt> + HasSqlType<Integer>,
    i64: ToSql<BigInt, DB>,
    i32: ToSql<Integer, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("UPDATE ");
        self.table.walk_ast(out.reborrow())?;
        out.push_sql(" SET ");
        out.push_identifier(C::NAME)?;
        out.push_sql(" = ");
        out.push_identifier(C::NAME)?;
        out.push_sql(" + ");
        out.push_bind_param::<BigInt, _>(&self.by)?;
        out.push_sql(" WHERE ");
        out.push_identifier(<<C::Table as Table>::PrimaryKey as Column>::NAME)?;
        out.push_sql(" = ");
        out.push_bind_param::<Integer, _>(&self.id)?;
        Ok(())
    }
}

/// SQL written as text, as `diesel::sql_query` or `diesel::dsl::sql`
/// write it, but kept prepared: diesel prepares any statement holding such
/// text anew on every run, since the text might hold values and so never
/// repeat. A search over 10,000 articles spent a twentieth of its time
/// preparing its ranking query so. Its values are bound (`bind`, in the
/// order of the text's `?`s), never written into the text, and its text is
/// one of a fixed few (a search's differ by order and by whether its last
/// term is a prefix): each connection keeps every statement it ran
/// prepared. A `?` stands for a value and nothing else: the text holds no
/// literal with one. A whole statement (`kept_text`) is read by name
/// (`QueryableByName`); a part of one (`kept_sql`) is an expression of SQL
/// type `ST`.
pub struct KeptText<ST = Untyped> {
    text: String,
    /// Whether a statement holding it may be kept prepared (`planned_sql`:
    /// not).
    kept: bool,
    sql_type: PhantomData<ST>,
}

kept_by_text!(KeptText<ST> where [ST]);

/// The statement `text`, kept prepared (see `KeptText`).
pub fn kept_text(text: impl Into<String>) -> KeptText {
    kept_sql(text)
}

/// The expression `text`, of SQL type `ST`, kept prepared (see `KeptText`).
pub fn kept_sql<ST>(text: impl Into<String>) -> KeptText<ST> {
    KeptText {
        text: text.into(),
        kept: true,
        sql_type: PhantomData,
    }
}

/// The expression `text`, of SQL type `ST`, written and bound as
/// `kept_sql`'s, but prepared anew on every run with the statement holding
/// it, so that PostgreSQL plans that statement for the values bound each
/// time. A statement kept prepared is planned for its values five times,
/// then for any values whenever that plan looks no costlier; for a
/// full-text match it guesses 500 rows whatever the words, so a word most
/// articles hold was then searched by reading every match: 84 ms by
/// relevance at 100,000 articles, against 7.6 planned for the word.
pub fn planned_sql<ST>(text: impl Into<String>) -> KeptText<ST> {
    KeptText {
        kept: false,
        ..kept_sql(text)
    }
}

/// A statement's text and how many of its values are bound so far.
pub trait Placeholders {
    fn text(&self) -> &str;
    fn bound(&self) -> usize;
}

impl<ST> KeptText<ST> {
    /// This text with its first `?` bound to `value`, of SQL type `VT`.
    pub fn bind<VT, V>(self, value: V) -> Bound<Self, V, VT> {
        Bound::after(self, value)
    }
}

impl<ST> Placeholders for KeptText<ST> {
    fn text(&self) -> &str {
        &self.text
    }

    fn bound(&self) -> usize {
        0
    }
}

/// The `n`th piece of `text` cut at its `?`s (the first is 0): the `?`s
/// themselves are written by the engine's connection, which numbers them
/// on PostgreSQL.
fn piece(text: &str, n: usize) -> &str {
    text.split('?').nth(n).unwrap_or_default()
}

impl<ST, DB: Backend> QueryFragment<DB> for KeptText<ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        if !self.kept {
            out.unsafe_to_cache_prepared();
        }
        out.push_sql(piece(&self.text, 0));
        Ok(())
    }
}

/// A `KeptText` with its `?`s bound in turn, up to this one's `value`.
pub struct Bound<S, V, VT> {
    statement: S,
    value: V,
    value_type: PhantomData<VT>,
}

kept_by_text!(Bound<S, V, VT> where [S, V, VT]);

impl<S, V, VT> Bound<S, V, VT> {
    fn after(statement: S, value: V) -> Self {
        Self {
            statement,
            value,
            value_type: PhantomData,
        }
    }

    /// This text with its next `?` bound to `value`.
    pub fn bind<VT2, V2>(self, value: V2) -> Bound<Self, V2, VT2> {
        Bound::after(self, value)
    }
}

impl<S: Placeholders, V, VT> Placeholders for Bound<S, V, VT> {
    fn text(&self) -> &str {
        self.statement.text()
    }

    fn bound(&self) -> usize {
        self.statement.bound() + 1
    }
}

impl<S, V, VT, DB> QueryFragment<DB> for Bound<S, V, VT>
where
    DB: Backend + HasSqlType<VT>,
    S: QueryFragment<DB> + Placeholders,
    Self: Placeholders,
    V: ToSql<VT, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.statement.walk_ast(out.reborrow())?;
        out.push_bind_param::<VT, V>(&self.value)?;
        out.push_sql(piece(self.text(), self.bound()));
        Ok(())
    }
}

/// What a kept text is to diesel, whatever its values: a statement, or an
/// expression of its type, on any table, never an aggregate.
macro_rules! kept_text_is {
    ($text:ty, $sql_type:ty where [$($generics:tt)+]) => {
        impl<$($generics)+> Query for $text {
            type SqlType = $sql_type;
        }

        impl<$($generics)+> Expression for $text
        where
            $sql_type: TypedExpressionType,
        {
            type SqlType = $sql_type;
        }

        impl<$($generics)+, QS> AppearsOnTable<QS> for $text where Self: Expression {}

        impl<$($generics)+, QS> SelectableExpression<QS> for $text where Self: Expression {}

        impl<$($generics)+, GB> ValidGrouping<GB> for $text {
            type IsAggregate = is_aggregate::Never;
        }
    };
}

kept_text_is!(KeptText<ST>, ST where [ST]);
kept_text_is!(Bound<S, V, VT>, <S as Query>::SqlType where [S: Query, V, VT]);

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use diesel::connection::{Connection, InstrumentationEvent};
    use diesel::pg::Pg;
    use diesel::prelude::*;
    use diesel::sql_types::{Integer, Text};
    use diesel::sqlite::{Sqlite, SqliteConnection};

    use super::{Bound, KeptText, kept_text};

    #[derive(QueryableByName, Debug, PartialEq)]
    struct Row {
        #[diesel(sql_type = Integer)]
        n: i32,
        #[diesel(sql_type = Text)]
        word: String,
    }

    /// A statement of two values, `n` and `word`.
    fn statement(n: i32, word: &str) -> Bound<Bound<KeptText, i32, Integer>, &str, Text> {
        kept_text("SELECT ? + 1 AS n, ? || '!' AS word")
            .bind::<Integer, _>(n)
            .bind::<Text, _>(word)
    }

    #[test]
    fn values_fill_the_placeholders_in_turn_on_either_engine() {
        let sqlite = diesel::debug_query::<Sqlite, _>(&statement(41, "xin chào")).to_string();
        assert_eq!(
            sqlite,
            r#"SELECT ? + 1 AS n, ? || '!' AS word -- binds: [41, "xin chào"]"#
        );
        let postgres = diesel::debug_query::<Pg, _>(&statement(41, "xin chào")).to_string();
        assert_eq!(
            postgres,
            r#"SELECT $1 + 1 AS n, $2 || '!' AS word -- binds: [41, "xin chào"]"#
        );
    }

    #[test]
    fn a_statement_written_as_text_is_prepared_once_and_run_with_new_values() {
        let mut conn = SqliteConnection::establish(":memory:").unwrap();
        let kept = Arc::new(Mutex::new(Vec::new()));
        let seen = kept.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::CacheQuery { sql, .. } = event {
                seen.lock().unwrap().push(sql.to_owned());
            }
        });
        let rows: Vec<Vec<Row>> = [(1, "một"), (2, "hai")]
            .into_iter()
            .map(|(n, word)| statement(n, word).load(&mut conn).unwrap())
            .collect();
        assert_eq!(
            rows,
            [
                vec![Row {
                    n: 2,
                    word: "một!".into()
                }],
                vec![Row {
                    n: 3,
                    word: "hai!".into()
                }]
            ]
        );
        assert_eq!(
            *kept.lock().unwrap(),
            ["SELECT ? + 1 AS n, ? || '!' AS word"],
            "prepared once and kept"
        );
    }
}
