//! Writes kept prepared from one run to the next. Diesel prepares every
//! `UPDATE` and every upsert anew each time it runs one: the columns an
//! update sets may vary with the values given, and it will not fill its
//! statement cache with each combination. The hottest writes set the same
//! columns every time, so they are written out as statements of their own
//! (a fixed text around bound values), which each connection prepares once
//! and then finds by that text. Preparing a vote's upsert and aggregate
//! anew took a fifth of the writer's time under a stream of votes, and a
//! view flush prepared one update for each article it counted.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::query_builder::{AstPass, QueryFragment};
use diesel::query_source::{Column, QuerySource, Table};
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Integer};

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
