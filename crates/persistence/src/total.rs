//! How many rows a list has, bounded so a large list costs no more than a small one: the count
//! reads at most [`CAP`] + 1 matching rows (`SELECT COUNT(*) FROM (SELECT id … LIMIT 1001)`),
//! and above the cap the total says "more than 1000".

use crate::db::DbConnection;
use diesel::backend::Backend;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::BigInt;
use serde::Serialize;

/// Lists count exactly up to this many rows.
pub const CAP: i64 = 1000;

/// A list's total: exact, or at least `count` when `exact` is false.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Total {
    pub count: i64,
    pub exact: bool,
}

impl Total {
    /// The total from a count of at most `cap + 1` rows.
    pub fn bounded(counted: i64, cap: i64) -> Self {
        if counted > cap {
            Total {
                count: cap,
                exact: false,
            }
        } else {
            Total {
                count: counted,
                exact: true,
            }
        }
    }
}

/// `SELECT COUNT(*) FROM (<query>) AS bounded`: counts what a limited subquery returns.
#[derive(Debug, Clone, QueryId)]
pub struct CountOf<Q>(pub Q);

impl<Q> Query for CountOf<Q> {
    type SqlType = BigInt;
}

impl<Q, C> RunQueryDsl<C> for CountOf<Q> {}

impl<Q, DB> QueryFragment<DB> for CountOf<Q>
where
    DB: Backend,
    Q: QueryFragment<DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        out.push_sql("SELECT COUNT(*) FROM (");
        self.0.walk_ast(out.reborrow())?;
        out.push_sql(") AS bounded");
        Ok(())
    }
}

/// The total of a filtered list: `ids` selects the matching ids, limited to `cap + 1` rows by
/// the caller ([`first_page_total!`] does both).
pub fn count<Q>(conn: &mut DbConnection, ids: Q, cap: i64) -> QueryResult<Total>
where
    CountOf<Q>: diesel::query_dsl::LoadQuery<'static, DbConnection, i64>,
{
    let n: i64 = CountOf(ids).get_result(conn)?;
    Ok(Total::bounded(n, cap))
}

/// The total for the first page of a list (no cursor); later pages skip the query (`None`).
/// `$ids` is the list's filtered query selecting its id column.
#[macro_export]
macro_rules! first_page_total {
    ($conn:expr, $first:expr, $ids:expr) => {{
        use diesel::prelude::*;
        if $first {
            let cap = $crate::total::CAP;
            Some($crate::total::count($conn, $ids.limit(cap + 1), cap)?)
        } else {
            None
        }
    }};
}
