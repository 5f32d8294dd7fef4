use crate::db::DbConnection;
use crate::keyset::After;
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
    pub office_id: Option<i64>,
    pub name: String,
    pub name_bo: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub deactivated_at: Option<NaiveDateTime>,
    pub version: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = cadres, treat_none_as_null = true)]
pub struct CadreValues {
    pub office_id: Option<i64>,
    pub name: String,
    pub name_bo: Option<String>,
    pub position: Option<String>,
    pub phone: Option<String>,
    pub search_text: String,
    pub deactivated_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Default)]
pub struct CadreFilter {
    pub department_id: i64,
    pub office_id: Option<i64>,
    pub active: Option<bool>,
    pub search: Option<String>,
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<CadreRow> {
    cadres::table
        .find(id)
        .select(CadreRow::as_select())
        .first(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    department_id: i64,
    values: &CadreValues,
    now: NaiveDateTime,
) -> QueryResult<CadreRow> {
    let id: i64 = diesel::insert_into(cadres::table)
        .values((
            values,
            cadres::department_id.eq(department_id),
            cadres::version.eq(1),
            cadres::created_at.eq(now),
            cadres::updated_at.eq(now),
        ))
        .returning(cadres::id)
        .get_result(conn)?;
    get(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    values: &CadreValues,
    now: NaiveDateTime,
) -> QueryResult<Option<CadreRow>> {
    let n =
        diesel::update(cadres::table.filter(cadres::id.eq(id).and(cadres::version.eq(version))))
            .set((
                values,
                cadres::version.eq(version + 1),
                cadres::updated_at.eq(now),
            ))
            .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

pub fn list(
    conn: &mut DbConnection,
    filter: &CadreFilter,
    descending: bool,
    after: After<String>,
    limit: i64,
) -> QueryResult<Page<CadreRow>> {
    let mut q = cadres::table
        .filter(cadres::department_id.eq(filter.department_id))
        .select(CadreRow::as_select())
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
    crate::keyset_page!(q, cadres::name, cadres::id, after, descending);
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, limit))
}
