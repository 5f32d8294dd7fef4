//! Logins (sessions), their rotating refresh tokens, and the failed-login throttle.

use crate::db::DbConnection;
use crate::schema::{departments, login_throttle, refresh_tokens, sessions, users};
use crate::users::UserRow;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = sessions)]
pub struct SessionRow {
    pub id: String,
    pub user_id: i64,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub revoked_at: Option<NaiveDateTime>,
    pub revoked_reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = refresh_tokens)]
pub struct RefreshTokenRow {
    pub token_hash: String,
    pub session_id: String,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub created_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub expires_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub used_at: Option<NaiveDateTime>,
}

pub fn create(
    conn: &mut DbConnection,
    session_id: &str,
    user_id: i64,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::id.eq(session_id),
            sessions::user_id.eq(user_id),
            sessions::created_at.eq(now),
        ))
        .execute(conn)?;
    add_refresh_token(conn, session_id, token_hash, expires_at, now)
}

pub fn add_refresh_token(
    conn: &mut DbConnection,
    session_id: &str,
    token_hash: &str,
    expires_at: NaiveDateTime,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(refresh_tokens::table)
        .values((
            refresh_tokens::token_hash.eq(token_hash),
            refresh_tokens::session_id.eq(session_id),
            refresh_tokens::created_at.eq(now),
            refresh_tokens::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The refresh token, its session and the session's user.
pub fn find_refresh(
    conn: &mut DbConnection,
    token_hash: &str,
) -> QueryResult<Option<(RefreshTokenRow, SessionRow, UserRow)>> {
    refresh_tokens::table
        .inner_join(sessions::table.inner_join(users::table))
        .filter(refresh_tokens::token_hash.eq(token_hash))
        .select((
            RefreshTokenRow::as_select(),
            SessionRow::as_select(),
            UserRow::as_select(),
        ))
        .first(conn)
        .optional()
}

/// Marks a token used; false when it already was (a concurrent rotation won).
pub fn mark_used(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(
        refresh_tokens::table
            .filter(refresh_tokens::token_hash.eq(token_hash))
            .filter(refresh_tokens::used_at.is_null()),
    )
    .set(refresh_tokens::used_at.eq(now))
    .execute(conn)?;
    Ok(n == 1)
}

pub fn revoke(
    conn: &mut DbConnection,
    session_id: &str,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::id.eq(session_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
}

pub fn revoke_all_of_user(
    conn: &mut DbConnection,
    user_id: i64,
    reason: &str,
    now: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::revoked_at.is_null()),
    )
    .set((
        sessions::revoked_at.eq(now),
        sessions::revoked_reason.eq(reason),
    ))
    .execute(conn)
}

/// What every authenticated request checks: the session is live and its user is who they were.
/// What checking a login needs: the user as stored, whether the login was ended, and whether the
/// user's department is the operator. Kept by [`crate::login_cache::LoginCache`].
#[derive(Debug, Clone, PartialEq)]
pub struct SessionUser {
    pub user: UserRow,
    pub revoked: bool,
    pub operator: bool,
}

pub fn session_user(conn: &mut DbConnection, session_id: &str) -> QueryResult<Option<SessionUser>> {
    // One query: the session is live, the user is who they were, the department's operator flag.
    // On the backend's own connection, so the statement is found by type (see versioned::get).
    let row: Option<(Option<NaiveDateTime>, UserRow, i32)> = crate::on_backend!(conn, |c| {
        sessions::table
            .inner_join(users::table.inner_join(departments::table))
            .filter(sessions::id.eq(session_id))
            .select((
                sessions::revoked_at,
                UserRow::as_select(),
                departments::is_operator,
            ))
            .first(c)
            .optional()
    })?;
    Ok(row.map(|(revoked_at, user, operator)| SessionUser {
        user,
        revoked: revoked_at.is_some(),
        operator: operator == 1,
    }))
}

#[derive(Debug, Clone, PartialEq, Queryable, Selectable, Insertable, AsChangeset)]
#[diesel(table_name = login_throttle, treat_none_as_null = true)]
pub struct ThrottleRow {
    pub username: String,
    pub failures: i32,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub window_started_at: NaiveDateTime,
    #[diesel(deserialize_as = crate::stamp::MaybeStamp)]
    pub locked_until: Option<NaiveDateTime>,
}

pub fn throttle(conn: &mut DbConnection, username: &str) -> QueryResult<Option<ThrottleRow>> {
    login_throttle::table
        .find(username)
        .select(ThrottleRow::as_select())
        .first(conn)
        .optional()
}

pub fn save_throttle(conn: &mut DbConnection, row: &ThrottleRow) -> QueryResult<()> {
    crate::on_backend!(conn, |c| {
        diesel::insert_into(login_throttle::table)
            .values(row)
            .on_conflict(login_throttle::username)
            .do_update()
            .set(row)
            .execute(c)
    })?;
    Ok(())
}

pub fn clear_throttle(conn: &mut DbConnection, username: &str) -> QueryResult<()> {
    diesel::delete(login_throttle::table.find(username)).execute(conn)?;
    Ok(())
}

/// Logins still live (for `/metrics`): not revoked, with an unspent refresh token that has not
/// expired. Rotation spends the old token as it adds the new one, so a live login has exactly one.
pub fn count_live(conn: &mut DbConnection, now: NaiveDateTime) -> QueryResult<i64> {
    refresh_tokens::table
        .inner_join(sessions::table)
        .filter(sessions::revoked_at.is_null())
        .filter(refresh_tokens::used_at.is_null())
        .filter(refresh_tokens::expires_at.gt(now))
        .count()
        .get_result(conn)
}
