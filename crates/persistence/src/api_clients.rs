//! API clients (OAuth 2.0 client credentials): a department's programs that read reports with a
//! short-lived token. The secret is kept only as a hash; the token endpoint looks clients up by
//! their public `client_id`, the token extractor by id on every request.

use crate::db::DbConnection;
use crate::keyset::{Key, KeyKind, PageRequest, SortBy};
use crate::schema::api_clients;
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = api_clients)]
pub struct ApiClientRow {
    pub id: i64,
    pub department_id: i64,
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
    pub scopes: String,
    pub regional: i32,
    pub created_by: Option<i64>,
    pub created_by_name: String,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub last_used_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub revoked_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub rotated_at: Option<NaiveDateTime>,
    pub version: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub updated_at: NaiveDateTime,
}

/// Every column a create, a change, a rotation or a revocation writes (`last_used_at` is not
/// one: using a client is not a change of it and bumps no version).
#[derive(Debug, Clone, PartialEq, Insertable, AsChangeset, Queryable, Selectable)]
#[diesel(table_name = api_clients, treat_none_as_null = true)]
pub struct ApiClientValues {
    pub name: String,
    pub client_id: String,
    pub secret_hash: String,
    pub scopes: String,
    pub regional: i32,
    pub created_by: Option<i64>,
    pub created_by_name: String,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub revoked_at: Option<NaiveDateTime>,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub rotated_at: Option<NaiveDateTime>,
}

crate::versioned_table!(ApiClients, api_clients, ApiClientRow, ApiClientValues);

/// The list's sorts: newest first by default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiClientSort {
    Id,
}

impl SortBy for ApiClientSort {
    type Row = ApiClientRow;
    const NAMES: &'static [(&'static str, Self)] = &[("id", ApiClientSort::Id)];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> KeyKind {
        KeyKind::Id
    }
    fn key(self, _: &ApiClientRow) -> Key {
        Key::Id
    }
    fn row_id(row: &ApiClientRow) -> i64 {
        row.id
    }
}

#[derive(Debug, Clone, Default)]
pub struct ApiClientFilter {
    pub department_id: i64,
    /// `Some(false)`: only clients not revoked; `Some(true)`: only revoked ones.
    pub revoked: Option<bool>,
}

fn filtered(filter: &ApiClientFilter) -> api_clients::BoxedQuery<'static, crate::Backend> {
    let mut q = api_clients::table
        .filter(api_clients::department_id.eq(filter.department_id))
        .into_boxed();
    match filter.revoked {
        Some(true) => q = q.filter(api_clients::revoked_at.is_not_null()),
        Some(false) => q = q.filter(api_clients::revoked_at.is_null()),
        None => {}
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &ApiClientFilter,
    page: &PageRequest<ApiClientSort>,
) -> QueryResult<Page<ApiClientRow>> {
    let first = matches!(page.after, crate::keyset::After::Start);
    let total = crate::first_page_total!(conn, first, filtered(filter).select(api_clients::id));
    let mut q = filtered(filter).select(ApiClientRow::as_select());
    let (after, descending) = (page.after.clone(), page.descending);
    crate::keyset_by_id!(q, api_clients::id, after.id(), descending);
    let rows = q.limit(page.limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, page.limit).with_total(total))
}

/// The client with this public id (the token endpoint), and whether its department is the
/// installation's operator.
pub fn by_client_id(conn: &mut DbConnection, client_id: &str) -> QueryResult<Option<ApiClientRow>> {
    api_clients::table
        .filter(api_clients::client_id.eq(client_id))
        .select(ApiClientRow::as_select())
        .first(conn)
        .optional()
}

/// The client of a token with its department's operator flag (checked on every request).
pub fn with_operator(conn: &mut DbConnection, id: i64) -> QueryResult<Option<(ApiClientRow, i32)>> {
    use crate::schema::departments;
    api_clients::table
        .inner_join(departments::table)
        .filter(api_clients::id.eq(id))
        .select((ApiClientRow::as_select(), departments::is_operator))
        .first(conn)
        .optional()
}

/// Records that a token was issued (no new version: nothing about the client changed).
pub fn mark_used(conn: &mut DbConnection, id: i64, now: NaiveDateTime) -> QueryResult<()> {
    diesel::update(api_clients::table.find(id))
        .set(api_clients::last_used_at.eq(now))
        .execute(conn)?;
    Ok(())
}
