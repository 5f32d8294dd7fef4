//! Reading the audit trail (admin). Nothing here, or anywhere, changes or deletes an entry.

use crate::auth::Bearer;
use crate::dto::utc;
use crate::error::ApiError;
use crate::paging::ListRequest;
use crate::state::AppState;
use actix_web::{get, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{list_scope, Resource};
use zhucun_persistence::audit::{self as q, AuditFilter, AuditRow, AuditSort};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    #[schema(example = 42)]
    pub id: i64,
    pub actor_id: Option<i64>,
    #[schema(example = "admin")]
    pub actor_username: String,
    /// `create`, `update`, `delete`, `login`, `logout`, `change_password`, `reset_password`.
    #[schema(example = "update")]
    pub action: String,
    /// `village`, `team`, `user`, …
    #[schema(example = "village")]
    pub entity: String,
    #[schema(example = "3")]
    pub entity_id: String,
    /// The row before the change (`null` for creates).
    #[schema(value_type = Option<serde_json::Value>)]
    pub before: Option<serde_json::Value>,
    /// The row after the change (`null` for logins and password changes).
    #[schema(value_type = Option<serde_json::Value>)]
    pub after: Option<serde_json::Value>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub at: DateTime<Utc>,
    pub request_id: String,
}

impl From<AuditRow> for AuditEntry {
    fn from(r: AuditRow) -> Self {
        let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
        Self {
            id: r.id,
            actor_id: r.actor_id,
            actor_username: r.actor_username,
            action: r.action,
            entity: r.entity,
            entity_id: r.entity_id,
            before: parse(r.before_json),
            after: parse(r.after_json),
            at: utc(r.at),
            request_id: r.request_id,
        }
    }
}

crate::list_type!(AuditList, AuditEntry);

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    pub action: Option<String>,
    pub actor_id: Option<i64>,
    /// Entries at or after this time (RFC 3339).
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub since: Option<DateTime<Utc>>,
    /// Entries before this time (RFC 3339).
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub until: Option<DateTime<Utc>>,
}

/// The department's audit trail, newest first (admin).
#[utoipa::path(tag = "audit", operation_id = "list_audit", params(AuditQuery),
    responses((status = 200, description = "One page of audit entries", body = AuditList)), security(("bearer" = [])))]
#[get("/audit")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<AuditQuery>,
) -> Result<web::Json<AuditList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<AuditSort>::parse(query.limit, None, query.cursor.as_deref())?;
    let (after, limit) = (req.page.after.clone().id(), req.page.limit);
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Audit).map_err(ApiError::from)?;
            let filter = AuditFilter {
                department_id: scope.department_id,
                entity: query.entity.filter(|s| !s.is_empty()),
                entity_id: query.entity_id.filter(|s| !s.is_empty()),
                action: query.action.filter(|s| !s.is_empty()),
                actor_id: query.actor_id,
                since: query.since.map(|t| t.naive_utc()),
                until: query.until.map(|t| t.naive_utc()),
            };
            Ok(q::list(conn, &filter, after, limit)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(AuditList {
        items,
        next_cursor,
        total,
    }))
}
