use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::rounds;
use crate::Page;
use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = rounds)]
pub struct RoundRow {
    pub id: i64,
    pub department_id: i64,
    pub number: i32,
    pub name: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = rounds, treat_none_as_null = true)]
pub struct RoundValues {
    pub number: i32,
    pub name: Option<String>,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
}

crate::versioned_table!(Rounds, rounds, RoundRow, RoundValues);

#[derive(Debug, Clone, Default)]
pub struct RoundFilter {
    pub department_id: i64,
    pub active: Option<bool>,
    /// Rounds running on this day.
    pub on: Option<NaiveDate>,
}

/// The sorts of the list: by number (ties broken by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoundSort {
    Number,
}

impl SortBy for RoundSort {
    type Row = RoundRow;
    const NAMES: &'static [(&'static str, Self)] = &[("number", RoundSort::Number)];
    /// Newest first.
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        KeyKind::Int
    }
    fn key(self, row: &RoundRow) -> Key {
        Key::Int(i64::from(row.number))
    }
    fn row_id(row: &RoundRow) -> i64 {
        row.id
    }
}

/// The list's filters, shared by its pages and its total.
fn filtered(filter: &RoundFilter) -> rounds::BoxedQuery<'static, crate::Backend> {
    let mut q = rounds::table
        .filter(rounds::department_id.eq(filter.department_id))
        .into_boxed();
    match filter.active {
        Some(true) => q = q.filter(rounds::deactivated_at.is_null()),
        Some(false) => q = q.filter(rounds::deactivated_at.is_not_null()),
        None => {}
    }
    if let Some(day) = filter.on {
        q = q.filter(rounds::starts_on.le(day).and(rounds::ends_on.ge(day)));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &RoundFilter,
    page: &PageRequest<RoundSort>,
) -> QueryResult<Page<RoundRow>> {
    let first = matches!(page.after, crate::keyset::After::Start);
    let total = crate::first_page_total!(conn, first, filtered(filter).select(rounds::id));
    let mut q = filtered(filter).select(RoundRow::as_select());
    let (after, descending) = (page.after.clone().int32()?, page.descending);
    crate::keyset_page!(q, rounds::number, rounds::id, after, descending);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}
