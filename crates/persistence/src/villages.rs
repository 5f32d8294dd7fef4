use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::villages;
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = villages)]
pub struct VillageRow {
    pub id: i64,
    pub department_id: i64,
    /// The pinyin key the name sorts by (`zhucun_domain::pinyin::sort_key`).
    pub sort_key: String,
    pub name: String,
    pub name_bo: Option<String>,
    pub prefecture: String,
    pub county: String,
    pub township: Option<String>,
    pub code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// Every column a create or an update writes.
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = villages, treat_none_as_null = true)]
pub struct VillageValues {
    pub name: String,
    pub name_bo: Option<String>,
    pub prefecture: String,
    pub county: String,
    pub township: Option<String>,
    pub code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub search_text: String,
    /// `zhucun_domain::pinyin::sort_key` of the name.
    pub sort_key: String,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub deactivated_at: Option<NaiveDateTime>,
}

crate::versioned_table!(Villages, villages, VillageRow, VillageValues);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VillageSort {
    Name,
    County,
    Id,
}

impl SortBy for VillageSort {
    type Row = VillageRow;
    const NAMES: &'static [(&'static str, Self)] = &[
        ("name", VillageSort::Name),
        ("county", VillageSort::County),
        ("id", VillageSort::Id),
    ];
    fn kind(self) -> KeyKind {
        match self {
            VillageSort::Name | VillageSort::County => KeyKind::Text,
            VillageSort::Id => KeyKind::Id,
        }
    }
    fn key(self, row: &VillageRow) -> Key {
        match self {
            VillageSort::Name => Key::Text(row.sort_key.clone()),
            VillageSort::County => Key::Text(row.county.clone()),
            VillageSort::Id => Key::Id,
        }
    }
    fn row_id(row: &VillageRow) -> i64 {
        row.id
    }
}

#[derive(Debug, Clone, Default)]
pub struct VillageFilter {
    pub department_id: i64,
    /// Only these villages (a village-bound user's scope).
    pub only: Option<Vec<i64>>,
    pub prefecture: Option<String>,
    pub county: Option<String>,
    pub township: Option<String>,
    pub active: Option<bool>,
    /// A `LIKE` pattern over the search text (see `zhucun_domain::text::like_contains`).
    pub search: Option<String>,
}

/// The list's filters, shared by its pages and its total.
fn filtered(filter: &VillageFilter) -> villages::BoxedQuery<'static, crate::Backend> {
    let mut q = villages::table
        .filter(villages::department_id.eq(filter.department_id))
        .into_boxed();
    if let Some(ids) = &filter.only {
        q = q.filter(villages::id.eq_any(ids.clone()));
    }
    if let Some(v) = &filter.prefecture {
        q = q.filter(villages::prefecture.eq(v.clone()));
    }
    if let Some(v) = &filter.county {
        q = q.filter(villages::county.eq(v.clone()));
    }
    if let Some(v) = &filter.township {
        q = q.filter(villages::township.eq(v.clone()));
    }
    match filter.active {
        Some(true) => q = q.filter(villages::deactivated_at.is_null()),
        Some(false) => q = q.filter(villages::deactivated_at.is_not_null()),
        None => {}
    }
    if let Some(pattern) = &filter.search {
        q = q.filter(villages::search_text.like(pattern.clone()).escape('\\'));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &VillageFilter,
    page: &PageRequest<VillageSort>,
) -> QueryResult<Page<VillageRow>> {
    let (after, descending) = (page.after.clone(), page.descending);
    let first = matches!(page.after, crate::keyset::After::Start);
    let total = crate::first_page_total!(conn, first, filtered(filter).select(villages::id));
    let mut q = filtered(filter).select(VillageRow::as_select());
    match page.sort {
        VillageSort::Name => {
            let after = after.text()?;
            crate::keyset_page!(q, villages::sort_key, villages::id, after, descending)
        }
        VillageSort::County => {
            let after = after.text()?;
            crate::keyset_page!(q, villages::county, villages::id, after, descending)
        }
        VillageSort::Id => {
            crate::keyset_by_id!(q, villages::id, after.id(), descending)
        }
    }
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// The ids of a department's villages (a department has at most a few thousand).
pub fn ids_of_department(conn: &mut DbConnection, department_id: i64) -> QueryResult<Vec<i64>> {
    villages::table
        .filter(villages::department_id.eq(department_id))
        .select(villages::id)
        .order(villages::id)
        .limit(10_000)
        .load(conn)
}

/// The names of villages, for embedding in other lists without a query per row.
pub fn names(
    conn: &mut DbConnection,
    ids: &[i64],
) -> QueryResult<Vec<(i64, String, Option<String>)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    villages::table
        .filter(villages::id.eq_any(ids.to_vec()))
        .select((villages::id, villages::name, villages::name_bo))
        .load(conn)
}

crate::derived_columns!(villages, VillageRow);
