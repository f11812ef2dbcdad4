//! What only SQLite understands, behind names the resource modules use.

use diesel::QueryResult;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Integer, Text};
use diesel::sqlite::Sqlite;

/// `column IN (ids)` with the ids bound as one parameter, a JSON array read
/// by `json_each`: the statement's text is the same whatever their number,
/// so each connection keeps it prepared. Diesel prepares every `IN (?, ?, …)`
/// afresh, and parsing them was a sixth of an uncached article read.
#[derive(Debug, Clone)]
pub struct OneOf<C> {
    column: C,
    ids: String,
}

/// `column` is one of `ids`.
pub fn one_of<C: Expression<SqlType = Integer>>(column: C, ids: &[i32]) -> OneOf<C> {
    OneOf {
        column,
        ids: serde_json::Value::from(ids).to_string(),
    }
}

impl<C: Expression> Expression for OneOf<C> {
    type SqlType = Bool;
}

impl<C, QS> AppearsOnTable<QS> for OneOf<C> where C: AppearsOnTable<QS> {}

impl<C, QS> SelectableExpression<QS> for OneOf<C> where C: SelectableExpression<QS> {}

impl<C, GroupBy> ValidGrouping<GroupBy> for OneOf<C>
where
    C: ValidGrouping<GroupBy>,
{
    type IsAggregate = C::IsAggregate;
}

impl<C> QueryId for OneOf<C> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<C: QueryFragment<Sqlite>> QueryFragment<Sqlite> for OneOf<C> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        self.column.walk_ast(out.reborrow())?;
        out.push_sql(" IN (SELECT value FROM json_each(");
        out.push_bind_param::<Text, _>(&self.ids)?;
        out.push_sql("))");
        Ok(())
    }
}
