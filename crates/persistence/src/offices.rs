use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::offices;
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = offices)]
pub struct OfficeRow {
    pub id: i64,
    pub department_id: i64,
    /// The pinyin key the name sorts by (`zhucun_domain::pinyin::sort_key`).
    pub sort_key: String,
    pub name: String,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = offices, treat_none_as_null = true)]
pub struct OfficeValues {
    pub name: String,
    pub search_text: String,
    /// `zhucun_domain::pinyin::sort_key` of the name.
    pub sort_key: String,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
}

crate::versioned_table!(Offices, offices, OfficeRow, OfficeValues);

#[derive(Debug, Clone, Default)]
pub struct OfficeFilter {
    pub department_id: i64,
    pub active: Option<bool>,
    pub search: Option<String>,
}

/// The sorts of the list: by name (ties broken by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OfficeSort {
    Name,
}

impl SortBy for OfficeSort {
    type Row = OfficeRow;
    const NAMES: &'static [(&'static str, Self)] = &[("name", OfficeSort::Name)];
    fn kind(self) -> KeyKind {
        KeyKind::Text
    }
    fn key(self, row: &OfficeRow) -> Key {
        Key::Text(row.sort_key.clone())
    }
    fn row_id(row: &OfficeRow) -> i64 {
        row.id
    }
}

/// The list's filters, shared by its pages and its total.
fn filtered(filter: &OfficeFilter) -> offices::BoxedQuery<'static, crate::Backend> {
    let mut q = offices::table
        .filter(offices::department_id.eq(filter.department_id))
        .into_boxed();
    match filter.active {
        Some(true) => q = q.filter(offices::deactivated_at.is_null()),
        Some(false) => q = q.filter(offices::deactivated_at.is_not_null()),
        None => {}
    }
    if let Some(pattern) = &filter.search {
        q = q.filter(offices::search_text.like(pattern.clone()).escape('\\'));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &OfficeFilter,
    page: &PageRequest<OfficeSort>,
) -> QueryResult<Page<OfficeRow>> {
    let first = matches!(page.after, crate::keyset::After::Start);
    let total = crate::first_page_total!(conn, first, filtered(filter).select(offices::id));
    let mut q = filtered(filter).select(OfficeRow::as_select());
    let (after, descending) = (page.after.clone().text()?, page.descending);
    crate::keyset_page!(q, offices::sort_key, offices::id, after, descending);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

pub fn names(conn: &mut DbConnection, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    offices::table
        .filter(offices::id.eq_any(ids.to_vec()))
        .select((offices::id, offices::name))
        .load(conn)
}

crate::derived_columns!(offices, OfficeRow);
