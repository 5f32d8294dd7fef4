use crate::db::DbConnection;
use crate::keyset::After;
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
    pub name: String,
    pub name_bo: Option<String>,
    pub prefecture: String,
    pub county: String,
    pub township: Option<String>,
    pub code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

/// Every column a create or an update writes.
#[derive(Debug, Clone, Insertable, AsChangeset)]
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
    pub deactivated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VillageSort {
    Name,
    County,
    Id,
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

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<VillageRow> {
    villages::table
        .find(id)
        .select(VillageRow::as_select())
        .first(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    department_id: i64,
    values: &VillageValues,
    now: NaiveDateTime,
) -> QueryResult<VillageRow> {
    let id: i64 = diesel::insert_into(villages::table)
        .values((
            values,
            villages::department_id.eq(department_id),
            villages::version.eq(1),
            villages::created_at.eq(now),
            villages::updated_at.eq(now),
        ))
        .returning(villages::id)
        .get_result(conn)?;
    get(conn, id)
}

/// Writes the new values when the row still has `version`; `Ok(None)` when it changed meanwhile.
pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    values: &VillageValues,
    now: NaiveDateTime,
) -> QueryResult<Option<VillageRow>> {
    let n = diesel::update(
        villages::table.filter(villages::id.eq(id).and(villages::version.eq(version))),
    )
    .set((
        values,
        villages::version.eq(version + 1),
        villages::updated_at.eq(now),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

pub fn list(
    conn: &mut DbConnection,
    filter: &VillageFilter,
    sort: VillageSort,
    descending: bool,
    after: After<String>,
    limit: i64,
) -> QueryResult<Page<VillageRow>> {
    let mut q = villages::table
        .filter(villages::department_id.eq(filter.department_id))
        .select(VillageRow::as_select())
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
    match sort {
        VillageSort::Name => {
            crate::keyset_page!(q, villages::name, villages::id, after, descending)
        }
        VillageSort::County => {
            crate::keyset_page!(q, villages::county, villages::id, after, descending)
        }
        VillageSort::Id => {
            let after = match after {
                After::Row(_, id) => Some(id),
                After::Start => None,
            };
            crate::keyset_by_id!(q, villages::id, after, descending)
        }
    }
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, limit))
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
