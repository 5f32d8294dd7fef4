//! Writing the audit trail: called inside the same transaction as the change it records.

use crate::error::ApiError;
use serde::Serialize;
use zhucun_persistence::audit::{append, NewAuditEntry};
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
    let before = before
        .map(serde_json::to_string)
        .transpose()
        .map_err(ApiError::internal)?;
    let after = after
        .map(serde_json::to_string)
        .transpose()
        .map_err(ApiError::internal)?;
    append(
        conn,
        &NewAuditEntry {
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
        },
    )?;
    Ok(())
}

/// Nothing before (creates) or nothing after.
pub const NONE: Option<&()> = None;
