use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::users;
use crate::versioned::Versioned;
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

/// A user without their password hash: the hash never leaves `credentials`.
#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Serialize)]
#[diesel(table_name = users)]
pub struct UserRow {
    pub id: i64,
    pub department_id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub office_id: Option<i64>,
    pub village_id: Option<i64>,
    pub cadre_id: Option<i64>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub disabled_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserValues {
    pub display_name: String,
    pub role: String,
    pub office_id: Option<i64>,
    pub village_id: Option<i64>,
    pub cadre_id: Option<i64>,
    pub search_text: String,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub disabled_at: Option<NaiveDateTime>,
}

#[derive(Debug, Clone, Default)]
pub struct UserFilter {
    pub department_id: i64,
    pub role: Option<String>,
    pub office_id: Option<i64>,
    pub village_id: Option<i64>,
    pub disabled: Option<bool>,
    pub search: Option<String>,
}

pub fn get(conn: &mut DbConnection, id: i64) -> QueryResult<UserRow> {
    users::table
        .find(id)
        .select(UserRow::as_select())
        .first(conn)
}

/// The user and password hash for a login name.
pub fn credentials(
    conn: &mut DbConnection,
    username: &str,
) -> QueryResult<Option<(UserRow, String)>> {
    users::table
        .filter(users::username.eq(username))
        .select((UserRow::as_select(), users::password_hash))
        .first(conn)
        .optional()
}

pub fn password_hash(conn: &mut DbConnection, id: i64) -> QueryResult<String> {
    users::table
        .find(id)
        .select(users::password_hash)
        .first(conn)
}

pub fn insert(
    conn: &mut DbConnection,
    department_id: i64,
    username: &str,
    password_hash: &str,
    values: &UserValues,
    now: NaiveDateTime,
) -> QueryResult<UserRow> {
    let id: i64 = diesel::insert_into(users::table)
        .values((
            values,
            users::department_id.eq(department_id),
            users::username.eq(username),
            users::password_hash.eq(password_hash),
            users::version.eq(1),
            users::created_at.eq(now),
            users::updated_at.eq(now),
        ))
        .returning(users::id)
        .get_result(conn)?;
    get(conn, id)
}

pub fn update(
    conn: &mut DbConnection,
    id: i64,
    version: i32,
    values: &UserValues,
    now: NaiveDateTime,
) -> QueryResult<Option<UserRow>> {
    let n = diesel::update(users::table.filter(users::id.eq(id).and(users::version.eq(version))))
        .set((
            values,
            users::version.eq(version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    get(conn, id).map(Some)
}

pub fn set_password(
    conn: &mut DbConnection,
    id: i64,
    hash: &str,
    now: NaiveDateTime,
) -> QueryResult<UserRow> {
    diesel::update(users::table.find(id))
        .set((
            users::password_hash.eq(hash),
            users::version.eq(users::version + 1),
            users::updated_at.eq(now),
        ))
        .execute(conn)?;
    get(conn, id)
}

/// Users are listed by username.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserSort {
    Username,
}

impl SortBy for UserSort {
    type Row = UserRow;
    const NAMES: &'static [(&'static str, Self)] = &[("username", UserSort::Username)];
    fn kind(self) -> KeyKind {
        KeyKind::Text
    }
    fn key(self, row: &UserRow) -> Key {
        Key::Text(row.username.clone())
    }
    fn row_id(row: &UserRow) -> i64 {
        row.id
    }
}

/// Users as a versioned table (created through `insert`, with their credentials).
pub struct Users;

impl Versioned for Users {
    type Row = UserRow;
    type Values = UserValues;

    fn id(row: &UserRow) -> i64 {
        row.id
    }
    fn version(row: &UserRow) -> i32 {
        row.version
    }
    fn get(conn: &mut DbConnection, id: i64) -> QueryResult<UserRow> {
        get(conn, id)
    }
    fn stored(conn: &mut DbConnection, id: i64) -> QueryResult<UserValues> {
        users::table
            .find(id)
            .select(UserValues::as_select())
            .first(conn)
    }
    fn update(
        conn: &mut DbConnection,
        id: i64,
        version: i32,
        values: &UserValues,
        now: NaiveDateTime,
    ) -> QueryResult<Option<UserRow>> {
        update(conn, id, version, values, now)
    }
}

/// The list's filters, shared by its pages and its total.
fn filtered(filter: &UserFilter) -> users::BoxedQuery<'static, crate::Backend> {
    let mut q = users::table
        .filter(users::department_id.eq(filter.department_id))
        .into_boxed();
    if let Some(v) = &filter.role {
        q = q.filter(users::role.eq(v.clone()));
    }
    if let Some(v) = filter.office_id {
        q = q.filter(users::office_id.eq(v));
    }
    if let Some(v) = filter.village_id {
        q = q.filter(users::village_id.eq(v));
    }
    match filter.disabled {
        Some(true) => q = q.filter(users::disabled_at.is_not_null()),
        Some(false) => q = q.filter(users::disabled_at.is_null()),
        None => {}
    }
    if let Some(pattern) = &filter.search {
        q = q.filter(users::search_text.like(pattern.clone()).escape('\\'));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &UserFilter,
    page: &PageRequest<UserSort>,
) -> QueryResult<Page<UserRow>> {
    let first = matches!(page.after, crate::keyset::After::Start);
    let total = crate::first_page_total!(conn, first, filtered(filter).select(users::id));
    let mut q = filtered(filter).select(UserRow::as_select());
    let (after, descending) = (page.after.clone().text()?, page.descending);
    crate::keyset_page!(q, users::username, users::id, after, descending);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// Active admins left in a department (the last one may not be demoted or disabled).
pub fn active_admins(conn: &mut DbConnection, department_id: i64) -> QueryResult<i64> {
    users::table
        .filter(users::department_id.eq(department_id))
        .filter(users::role.eq("admin"))
        .filter(users::disabled_at.is_null())
        .count()
        .get_result(conn)
}
