//! Donors (捐赠方): the department's donors, named once and reused by ledger entries.

use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::donors;
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = donors)]
pub struct DonorRow {
    pub id: i64,
    pub department_id: i64,
    #[diesel(embed)]
    pub values: DonorValues,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// Every column a create or an update writes.
#[derive(Debug, Clone, PartialEq, Serialize, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = donors, treat_none_as_null = true)]
pub struct DonorValues {
    pub name: String,
    /// `zhucun_domain::pinyin::sort_key` of the name.
    pub sort_key: String,
    /// The name with its pinyin and initials.
    pub search_text: String,
    /// `zhucun_domain::ledger::DonorKind` code.
    pub kind: String,
    pub contact: Option<String>,
    pub notes: Option<String>,
}

crate::versioned_table!(Donors, donors, DonorRow, DonorValues);

#[derive(Debug, Clone, Default)]
pub struct DonorFilter {
    pub department_id: i64,
    pub kind: Option<String>,
    /// A `LIKE` pattern over `search_text` (escaped with `\`).
    pub search: Option<String>,
}

/// By name (pinyin), ties broken by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DonorSort {
    Name,
}

impl SortBy for DonorSort {
    type Row = DonorRow;
    const NAMES: &'static [(&'static str, Self)] = &[("name", DonorSort::Name)];
    fn kind(self) -> KeyKind {
        KeyKind::Text
    }
    fn key(self, row: &DonorRow) -> Key {
        Key::Text(row.values.sort_key.clone())
    }
    fn row_id(row: &DonorRow) -> i64 {
        row.id
    }
}

/// The list's filters, shared by its pages and its total.
fn filtered(filter: &DonorFilter) -> donors::BoxedQuery<'static, crate::Backend> {
    let mut q = donors::table
        .filter(donors::department_id.eq(filter.department_id))
        .into_boxed();
    if let Some(k) = &filter.kind {
        q = q.filter(donors::kind.eq(k.clone()));
    }
    if let Some(pattern) = &filter.search {
        q = q.filter(donors::search_text.like(pattern.clone()).escape('\\'));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &DonorFilter,
    page: &PageRequest<DonorSort>,
) -> QueryResult<Page<DonorRow>> {
    let first = matches!(page.after, crate::keyset::After::Start);
    let total = crate::first_page_total!(conn, first, filtered(filter).select(donors::id));
    let mut q = filtered(filter).select(DonorRow::as_select());
    let (after, descending) = (page.after.clone().text()?, page.descending);
    crate::keyset_page!(q, donors::sort_key, donors::id, after, descending);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// The department's donor with this name, if any (the demo data and imports reuse donors).
pub fn by_name(
    conn: &mut DbConnection,
    department_id: i64,
    name: &str,
) -> QueryResult<Option<DonorRow>> {
    donors::table
        .filter(donors::department_id.eq(department_id))
        .filter(donors::name.eq(name))
        .select(DonorRow::as_select())
        .first(conn)
        .optional()
}
