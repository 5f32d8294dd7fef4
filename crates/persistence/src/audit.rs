//! The append-only audit trail. There is no update or delete here, and triggers refuse them.

use crate::db::DbConnection;
use crate::schema::audit_entries;
use crate::Page;
use chrono::NaiveDateTime;
use diesel::prelude::*;

#[derive(Debug, Clone, PartialEq, Queryable, Selectable)]
#[diesel(table_name = audit_entries)]
pub struct AuditRow {
    pub id: i64,
    pub department_id: i64,
    pub actor_id: Option<i64>,
    pub actor_username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    #[diesel(deserialize_as = crate::stamp::Stamp)]
    pub at: NaiveDateTime,
    pub request_id: String,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = audit_entries)]
pub struct NewAuditEntry<'a> {
    pub department_id: i64,
    pub actor_id: Option<i64>,
    pub actor_username: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub at: NaiveDateTime,
    pub request_id: &'a str,
}

pub fn append(conn: &mut DbConnection, entry: &NewAuditEntry<'_>) -> QueryResult<()> {
    diesel::insert_into(audit_entries::table)
        .values(entry)
        .execute(conn)?;
    Ok(())
}

/// Appends many entries in order, in multi-row `INSERT`s of a few hundred (the import).
pub fn append_many(conn: &mut DbConnection, entries: &[NewAuditEntry<'_>]) -> QueryResult<()> {
    for chunk in entries.chunks(500) {
        // diesel's MultiConnection has no multi-row INSERT: each backend's own.
        crate::on_backend!(conn, |c| {
            diesel::insert_into(audit_entries::table)
                .values(chunk)
                .execute(c)?
        });
    }
    Ok(())
}

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    pub department_id: i64,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    pub since: Option<NaiveDateTime>,
    pub until: Option<NaiveDateTime>,
}

/// Newest first.
/// The trail is read newest first, by id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditSort {
    Id,
}

impl crate::keyset::SortBy for AuditSort {
    type Row = AuditRow;
    const NAMES: &'static [(&'static str, Self)] = &[("id", AuditSort::Id)];
    const DEFAULT_DESCENDING: bool = true;
    fn kind(self) -> crate::keyset::KeyKind {
        crate::keyset::KeyKind::Id
    }
    fn key(self, _: &AuditRow) -> crate::keyset::Key {
        crate::keyset::Key::Id
    }
    fn row_id(row: &AuditRow) -> i64 {
        row.id
    }
}

/// The list's filters, shared by its pages and its total.
fn filtered(filter: &AuditFilter) -> audit_entries::BoxedQuery<'static, crate::Backend> {
    let mut q = audit_entries::table
        .filter(audit_entries::department_id.eq(filter.department_id))
        .into_boxed();
    if let Some(v) = &filter.entity {
        q = q.filter(audit_entries::entity.eq(v.clone()));
    }
    if let Some(v) = &filter.entity_id {
        q = q.filter(audit_entries::entity_id.eq(v.clone()));
    }
    if let Some(v) = &filter.action {
        q = q.filter(audit_entries::action.eq(v.clone()));
    }
    if let Some(v) = filter.actor_id {
        q = q.filter(audit_entries::actor_id.eq(v));
    }
    if let Some(v) = filter.since {
        q = q.filter(audit_entries::at.ge(v));
    }
    if let Some(v) = filter.until {
        q = q.filter(audit_entries::at.lt(v));
    }
    q
}

pub fn list(
    conn: &mut DbConnection,
    filter: &AuditFilter,
    after: Option<i64>,
    limit: i64,
) -> QueryResult<Page<AuditRow>> {
    let total = crate::first_page_total!(
        conn,
        after.is_none(),
        filtered(filter).select(audit_entries::id)
    );
    let mut q = filtered(filter).select(AuditRow::as_select());
    crate::keyset_by_id!(q, audit_entries::id, after, true);
    let rows = q.limit(limit + 1).load(conn)?;
    Ok(Page::from_overfetch(rows, limit).with_total(total))
}
