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
    pub name: String,
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = offices, treat_none_as_null = true)]
pub struct OfficeValues {
    pub name: String,
    pub search_text: String,
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
        Key::Text(row.name.clone())
    }
    fn row_id(row: &OfficeRow) -> i64 {
        row.id
    }
}

pub fn list(
    conn: &mut DbConnection,
    filter: &OfficeFilter,
    page: &PageRequest<OfficeSort>,
) -> QueryResult<Page<OfficeRow>> {
    let mut q = offices::table
        .filter(offices::department_id.eq(filter.department_id))
        .select(OfficeRow::as_select())
        .into_boxed();
    match filter.active {
        Some(true) => q = q.filter(offices::deactivated_at.is_null()),
        Some(false) => q = q.filter(offices::deactivated_at.is_not_null()),
        None => {}
    }
    if let Some(pattern) = &filter.search {
        q = q.filter(offices::search_text.like(pattern.clone()).escape('\\'));
    }
    let (after, descending) = (page.after.clone().text()?, page.descending);
    crate::keyset_page!(q, offices::name, offices::id, after, descending);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit))
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
