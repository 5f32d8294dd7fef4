//! Stored first responses of creates, so a retried create (same user, same key) is answered again
//! instead of creating a second row.

use crate::db::DbConnection;
use crate::schema::idempotency_keys;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable)]
#[diesel(table_name = idempotency_keys)]
pub struct StoredResponse {
    pub user_id: i64,
    pub idem_key: String,
    pub request_hash: String,
    pub status: i32,
    pub body: String,
    pub etag: Option<String>,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
}

pub fn find(
    conn: &mut DbConnection,
    user_id: i64,
    key: &str,
) -> QueryResult<Option<StoredResponse>> {
    crate::idempotency_expiry::drop_expired(conn, user_id, key, crate::now())?;
    idempotency_keys::table
        .find((user_id, key))
        .select(StoredResponse::as_select())
        .first(conn)
        .optional()
}

pub fn store(conn: &mut DbConnection, response: &StoredResponse) -> QueryResult<()> {
    diesel::insert_into(idempotency_keys::table)
        .values(response)
        .execute(conn)?;
    Ok(())
}
