//! Keyset pagination: a page continues after the (sort value, id) of the last row of the previous
//! one, so deep pages cost as little as the first and concurrent inserts never shift rows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Where the next page starts: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq)]
pub enum After<V> {
    Start,
    Row(V, i64),
}

/// The value of a sort column in a cursor, typed like the column so a cursor can only continue
/// the sort it was made for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Key {
    /// Sorting by the id alone: the id is the whole key.
    Id,
    Text(String),
    Int(i64),
    Date(NaiveDate),
}

/// The kind of [`Key`] a sort column has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyKind {
    Id,
    Text,
    Int,
    Date,
}

impl Key {
    pub fn kind(&self) -> KeyKind {
        match self {
            Key::Id => KeyKind::Id,
            Key::Text(_) => KeyKind::Text,
            Key::Int(_) => KeyKind::Int,
            Key::Date(_) => KeyKind::Date,
        }
    }
}

/// A cursor whose key does not fit its sort column. The API checks kinds when it decodes a
/// cursor, so this only guards against a mistake in a sort's own table.
fn mismatch() -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError("cursor key of another kind than its sort".into())
}

impl After<Key> {
    pub fn text(self) -> diesel::QueryResult<After<String>> {
        match self {
            After::Start => Ok(After::Start),
            After::Row(Key::Text(v), id) => Ok(After::Row(v, id)),
            After::Row(..) => Err(mismatch()),
        }
    }

    pub fn int(self) -> diesel::QueryResult<After<i64>> {
        match self {
            After::Start => Ok(After::Start),
            After::Row(Key::Int(v), id) => Ok(After::Row(v, id)),
            After::Row(..) => Err(mismatch()),
        }
    }

    /// For `INTEGER` (i32) columns.
    pub fn int32(self) -> diesel::QueryResult<After<i32>> {
        match self.int()? {
            After::Start => Ok(After::Start),
            After::Row(v, id) => Ok(After::Row(i32::try_from(v).map_err(|_| mismatch())?, id)),
        }
    }

    pub fn date(self) -> diesel::QueryResult<After<NaiveDate>> {
        match self {
            After::Start => Ok(After::Start),
            After::Row(Key::Date(v), id) => Ok(After::Row(v, id)),
            After::Row(..) => Err(mismatch()),
        }
    }

    /// The last id, for sorts by id alone.
    pub fn id(self) -> Option<i64> {
        match self {
            After::Start => None,
            After::Row(_, id) => Some(id),
        }
    }
}

/// The sorts a list offers, kept beside the query that orders by them: each sort's name as
/// clients write it, its default direction, and the key a row gives for the cursor. A list's sort
/// and its cursor cannot drift apart because both are read from here.
pub trait SortBy: Copy + PartialEq + Send + 'static {
    type Row;
    /// Names clients use; the first is the default sort.
    const NAMES: &'static [(&'static str, Self)];
    /// Whether the default sort runs descending (newest first).
    const DEFAULT_DESCENDING: bool = false;
    fn kind(self) -> KeyKind;
    fn key(self, row: &Self::Row) -> Key;
    /// The row's id, the tie-breaker of every sort.
    fn row_id(row: &Self::Row) -> i64;
}

/// A page request after the API has parsed and checked it.
#[derive(Debug, Clone)]
pub struct PageRequest<S> {
    pub sort: S,
    pub descending: bool,
    pub after: After<Key>,
    pub limit: i64,
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
