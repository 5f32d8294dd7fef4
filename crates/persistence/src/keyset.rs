//! Keyset pagination: a page continues after the (sort value, id) of the last row of the previous
//! one, so deep pages cost as little as the first and concurrent inserts never shift rows.

/// Where the next page starts: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq)]
pub enum After<V> {
    Start,
    Row(V, i64),
}

/// Adds the keyset condition and the order to a boxed query, for a non-null sort column.
#[macro_export]
macro_rules! keyset_page {
    ($query:ident, $col:expr, $id:expr, $after:expr, $desc:expr) => {{
        use diesel::prelude::*;
        if let $crate::keyset::After::Row(v, last_id) = $after {
            if $desc {
                $query = $query.filter($col.lt(v.clone()).or($col.eq(v).and($id.lt(last_id))));
            } else {
                $query = $query.filter($col.gt(v.clone()).or($col.eq(v).and($id.gt(last_id))));
            }
        }
        $query = if $desc {
            $query.order_by($col.desc()).then_order_by($id.desc())
        } else {
            $query.order_by($col.asc()).then_order_by($id.asc())
        };
    }};
}

/// Keyset on the id alone.
#[macro_export]
macro_rules! keyset_by_id {
    ($query:ident, $id:expr, $after:expr, $desc:expr) => {{
        use diesel::prelude::*;
        if let Some(last_id) = $after {
            $query = if $desc {
                $query.filter($id.lt(last_id))
            } else {
                $query.filter($id.gt(last_id))
            };
        }
        $query = if $desc {
            $query.order_by($id.desc())
        } else {
            $query.order_by($id.asc())
        };
    }};
}
