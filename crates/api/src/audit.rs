//! Writing the audit trail: called inside the same transaction as the change it records.

use crate::error::ApiError;
use serde::Serialize;
use zhucun_persistence::audit::{append, append_many, NewAuditEntry};
use zhucun_persistence::DbConnection;

#[derive(Debug, Clone)]
pub struct AuditCtx {
    pub department_id: i64,
    pub actor_id: Option<i64>,
    pub actor_username: String,
    pub request_id: String,
}

pub fn record<B: Serialize, A: Serialize>(
    conn: &mut DbConnection,
    ctx: &AuditCtx,
    action: &str,
    entity: &str,
    entity_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<(), ApiError> {
    let entry = entry(ctx, action, entity, entity_id, before, after)?;
    append(conn, &entry)?;
    Ok(())
}

/// The entry [`record`] writes, to be written with others by [`record_many`] (the import).
pub fn entry<'a, B: Serialize, A: Serialize>(
    ctx: &'a AuditCtx,
    action: &'a str,
    entity: &'a str,
    entity_id: impl ToString,
    before: Option<&B>,
    after: Option<&A>,
) -> Result<NewAuditEntry<'a>, ApiError> {
    let before = before
        .map(serde_json::to_string)
        .transpose()
        .map_err(ApiError::internal)?;
    let after = after
        .map(serde_json::to_string)
        .transpose()
        .map_err(ApiError::internal)?;
    Ok(NewAuditEntry {
        department_id: ctx.department_id,
        actor_id: ctx.actor_id,
        actor_username: &ctx.actor_username,
        action,
        entity,
        entity_id: entity_id.to_string(),
        before_json: before,
        after_json: after,
        at: zhucun_persistence::now(),
        request_id: &ctx.request_id,
    })
}

/// Writes entries made by [`entry`], in their order, in multi-row inserts.
pub fn record_many(conn: &mut DbConnection, entries: &[NewAuditEntry<'_>]) -> Result<(), ApiError> {
    append_many(conn, entries)?;
    Ok(())
}

/// Nothing before (creates) or nothing after.
pub const NONE: Option<&()> = None;
