//! Where nulls sort, said explicitly: SQLite puts them first in ascending
//! order and PostgreSQL last, so an order over a nullable column (a
//! draft's missing publication time) would differ between the engines.
//! `NULLS FIRST` and `NULLS LAST` are standard SQL both accept; SQLite still
//! walks an index for the order it would take anyway.

use diesel::QueryResult;
use diesel::backend::Backend;
use diesel::expression::{AppearsOnTable, Expression, SelectableExpression, ValidGrouping};
use diesel::query_builder::{AstPass, QueryFragment, QueryId};

#[derive(Debug, Clone, Copy, QueryId)]
pub struct Nulls<T> {
    order: T,
    placement: &'static str,
}

/// `order` (an `.asc()` or `.desc()`) with its nulls first.
pub fn nulls_first<T>(order: T) -> Nulls<T> {
    Nulls {
        order,
        placement: " NULLS FIRST",
    }
}

/// `order` (an `.asc()` or `.desc()`) with its nulls last.
pub fn nulls_last<T>(order: T) -> Nulls<T> {
    Nulls {
        order,
        placement: " NULLS LAST",
    }
}

impl<T: Expression> Expression for Nulls<T> {
    type SqlType = T::SqlType;
}

impl<T, QS> AppearsOnTable<QS> for Nulls<T> where T: AppearsOnTable<QS> {}

impl<T, QS> SelectableExpression<QS> for Nulls<T> where T: SelectableExpression<QS> {}

impl<T, GroupBy> ValidGrouping<GroupBy> for Nulls<T>
where
    T: ValidGrouping<GroupBy>,
{
    type IsAggregate = T::IsAggregate;
}

impl<T: QueryFragment<DB>, DB: Backend> QueryFragment<DB> for Nulls<T> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        self.order.walk_ast(out.reborrow())?;
        out.push_sql(self.placement);
        Ok(())
    }
}
