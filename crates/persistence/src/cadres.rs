use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::cadres;
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = cadres)]
pub struct CadreRow {
    pub id: i64,
    pub department_id: i64,
    /// The pinyin key the name sorts by (`zhucun_domain::pinyin::sort_key`).
    pub sort_key: String,
    pub office_id: Option<i64>,
    pub name: String,
    pub name_bo: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = cadres, treat_none_as_null = true)]
pub struct CadreValues {
    pub office_id: Option<i64>,
    pub name: String,
    pub name_bo: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub search_text: String,
    /// `zhucun_domain::pinyin::sort_key` of the name.
    pub sort_key: String,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
}

crate::versioned_table!(Cadres, cadres, CadreRow, CadreValues);

#[derive(Debug, Clone, Default)]
pub struct CadreFilter {
    pub department_id: i64,
    pub office_id: Option<i64>,
    pub active: Option<bool>,
    pub search: Option<String>,
}

/// The sorts of the list: by name (ties broken by id).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CadreSort {
    Name,
}

impl SortBy for CadreSort {
    type Row = CadreRow;
    const NAMES: &'static [(&'static str, Self)] = &[("name", CadreSort::Name)];
    fn kind(self) -> KeyKind {
        KeyKind::Text
    }
    fn key(self, row: &CadreRow) -> Key {
        Key::Text(row.sort_key.clone())
    }
    fn row_id(row: &CadreRow) -> i64 {
        row.id
    }
}

/// The list's filters, shared by its pages and its total.
fn filtered(filter: &CadreFilter) -> cadres::BoxedQuery<'static, crate::Backend> {
    let mut q = cadres::table
        .filter(cadres::department_id.eq(filter.department_id))
        .into_boxed();
    if let Some(office) = filter.office_id {
        q = q.filter(cadres::office_id.eq(office));
    }
    match filter.active {
        Some(true) => q = q.filter(cadres::deactivated_at.is_null()),
        Some(false) => q = q.filter(cadres::deactivated_at.is_not_null()),
        None => {}
    }
    if let Some(pattern) = &filter.search {
        q = q.filter(cadres::search_text.like(pattern.clone()).escape('\\'));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &CadreFilter,
    page: &PageRequest<CadreSort>,
) -> QueryResult<Page<CadreRow>> {
    let first = matches!(page.after, crate::keyset::After::Start);
    let total = crate::first_page_total!(conn, first, filtered(filter).select(cadres::id));
    let mut q = filtered(filter).select(CadreRow::as_select());
    let (after, descending) = (page.after.clone().text()?, page.descending);
    crate::keyset_page!(q, cadres::sort_key, cadres::id, after, descending);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

crate::derived_columns!(cadres, CadreRow);
