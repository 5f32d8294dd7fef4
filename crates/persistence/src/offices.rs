use crate::db::DbConnection;
use crate::keyset::After;
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

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = offices, treat_none_as_null = true)]
pub struct OfficeValues {
    pub name: String,
    pub search_text: String,
    pub deactivated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Default)]
pub struct OfficeFilter {
    pub department_id: i64,
    pub active: Option<bool>,
    pub search: Option<String>,
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<OfficeRow> {
    offices::table
        .find(id)
        .select(OfficeRow::as_select())
        .first(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    department_id: i64,
    values: &OfficeValues,
    now: NaiveDateTime,
) -> QueryResult<OfficeRow> {
    let id: i64 = diesel::insert_into(offices::table)
        .values((
            values,
            offices::department_id.eq(department_id),
            offices::version.eq(1),
            offices::created_at.eq(now),
            offices::updated_at.eq(now),
        ))
        .returning(offices::id)
        .get_result(conn)?;
    get(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    values: &OfficeValues,
    now: NaiveDateTime,
) -> QueryResult<Option<OfficeRow>> {
    let n =
        diesel::update(offices::table.filter(offices::id.eq(id).and(offices::version.eq(version))))
            .set((
                values,
                offices::version.eq(version + 1),
                offices::updated_at.eq(now),
            ))
            .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

pub fn list(
    conn: &mut DbConnection,
    filter: &OfficeFilter,
    descending: bool,
    after: After<String>,
    limit: i64,
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
    crate::keyset_page!(q, offices::name, offices::id, after, descending);
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, limit))
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
