//! `column IN (ids)` with the ids bound as one parameter, so the
//! statement's text is the same whatever their number and each connection
//! keeps it prepared. Diesel prepares every `IN (?, ?, …)` afresh, and
//! parsing them was a sixth of an uncached article read. Each engine says
//! how it reads the list (see its module); this is what they share.

use diesel::QueryResult;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};
use diesel::sql_types::{Bool, Integer};

use super::Backend;

#[derive(Debug, Clone)]
pub struct OneOf<C> {
    pub(super) column: C,
    pub(super) ids_json: String,
}

/// `column` is one of `ids`.
pub fn one_of<C: Expression<SqlType = Integer>>(column: C, ids: &[i32]) -> OneOf<C> {
    OneOf {
        column,
        ids_json: super::sqlite::json_list(ids),
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

/// The statement's text does not depend on the ids, so a query holding it
/// is known by its type: the statement cache finds it without writing its
/// SQL again on every read (1 to 2 % of the server's time on the long
/// tail, in an article's cited documents and tags).
impl<C: QueryId> QueryId for OneOf<C> {
    type QueryId = OneOf<C::QueryId>;
    const HAS_STATIC_QUERY_ID: bool = C::HAS_STATIC_QUERY_ID;
}

impl<C> QueryFragment<Backend> for OneOf<C>
where
    Self: QueryFragment<diesel::sqlite::Sqlite> + QueryFragment<diesel::pg::Pg>,
{
    fn walk_ast<'b>(&'b self, pass: AstPass<'_, 'b, Backend>) -> QueryResult<()> {
        Backend::walk_variant_ast(self, pass)
    }
}
