//! Offices (处室) of a department.

use crate::audit::{self, NONE};
use crate::auth::Auth;
use crate::dto::{deactivation, utc};
use crate::error::ApiError;
use crate::http::{create_once, json_with_etag, update_if_changed, Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{list_scope, text, Action, Resource, Target};
use zhucun_persistence::offices::{self as q, OfficeFilter, OfficeRow, OfficeValues};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Office {
    #[schema(example = 2)]
    pub id: i64,
    #[schema(example = "预算处")]
    pub name: String,
    pub active: bool,
    #[schema(example = 1)]
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<OfficeRow> for Office {
    fn from(r: OfficeRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            active: r.deactivated_at.is_none(),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(OfficeList, Office);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficeCreate {
    #[schema(example = "驻村工作办公室")]
    pub name: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OfficePatch {
    pub name: Option<String>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OfficeQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `name` or `-name`.
    pub sort: Option<String>,
    /// Text in the name.
    pub q: Option<String>,
    pub active: Option<bool>,
}

fn values(
    name: &str,
    deactivated_at: Option<chrono::NaiveDateTime>,
) -> Result<OfficeValues, ApiError> {
    let name = text::name("name", name, 100)?;
    Ok(OfficeValues {
        search_text: text::search_key([Some(name.as_str())]),
        name,
        deactivated_at,
    })
}

/// List the department's offices.
#[utoipa::path(tag = "offices", operation_id = "list_offices", params(OfficeQuery),
    responses((status = 200, description = "One page of offices", body = OfficeList)), security(("bearer" = [])))]
#[get("/offices")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<OfficeQuery>,
) -> Result<web::Json<OfficeList>, ApiError> {
    let query = query.into_inner();
    let scope = list_scope(&auth.actor, Resource::Office).map_err(ApiError::from)?;
    let req = ListRequest::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
        &[("name", ())],
        (),
    )?;
    let filter = OfficeFilter {
        department_id: scope.department_id,
        active: query.active,
        search: query
            .q
            .as_deref()
            .and_then(text::search_query)
            .map(|s| text::like_contains(&s)),
    };
    let (descending, after, limit) = (req.descending, req.after.clone(), req.limit);
    let page = state
        .read(move |conn| Ok(q::list(conn, &filter, descending, after, limit)?))
        .await?;
    let next_cursor = req.next(page.has_more, page.items.last(), |r| (r.name.clone(), r.id));
    Ok(web::Json(OfficeList {
        items: page.items.into_iter().map(Office::from).collect(),
        next_cursor,
    }))
}

/// Create an office (admin).
#[utoipa::path(tag = "offices", operation_id = "create_office", request_body = OfficeCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat a create safely", pattern = "^[!-~]{1,255}$")),
    responses((status = 201, description = "Created", body = Office)), security(("bearer" = [])))]
#[post("/offices")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    idem: Idempotency,
    body: web::Json<OfficeCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require_own(Action::Create, Resource::Office, None)?;
    let b = body.into_inner();
    let vals = values(&b.name, None)?;
    let created = state
        .write(move |conn| {
            create_once(conn, auth.user.id, &idem, "POST /offices", &b, |conn| {
                let dto = Office::from(q::insert(
                    conn,
                    auth.department_id(),
                    &vals,
                    zhucun_persistence::now(),
                )?);
                audit::record(
                    conn,
                    &auth.audit(),
                    "create",
                    "office",
                    dto.id,
                    NONE,
                    Some(&dto),
                )?;
                let v = dto.version;
                Ok((dto, v))
            })
        })
        .await?;
    Ok(created.into_response())
}

fn target(row: &OfficeRow) -> Target {
    Target {
        department_id: row.department_id,
        village_id: None,
    }
}

/// One office.
#[utoipa::path(tag = "offices", operation_id = "get_office", params(("id" = i64, Path, description = "Office id")),
    responses((status = 200, description = "The office", body = Office)), security(("bearer" = [])))]
#[get("/offices/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state.read(move |conn| Ok(q::get(conn, id)?)).await?;
    auth.require(Action::Read, Resource::Office, target(&row))?;
    let v = row.version;
    json_with_etag(StatusCode::OK, &Office::from(row), v)
}

/// Rename or (de)activate an office (admin).
#[utoipa::path(tag = "offices", operation_id = "update_office",
    params(("id" = i64, Path, description = "Office id"), ("If-Match" = Option<String>, Header, description = "The ETag you loaded", pattern = r#"^(\*|(W/)?"?[0-9]+"?(, *(W/)?"?[0-9]+"?)*)$"#)),
    request_body = OfficePatch, responses((status = 200, description = "The changed office", body = Office)), security(("bearer" = [])))]
#[patch("/offices/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<OfficePatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let p = body.into_inner();
    let dto = state
        .write(move |conn| {
            let row = q::get(conn, id)?;
            auth.require(Action::Update, Resource::Office, target(&row))?;
            if_match.check(row.version)?;
            let vals = values(
                p.name.as_deref().unwrap_or(&row.name),
                deactivation(p.active, row.deactivated_at),
            )?;
            let before = Office::from(row.clone());
            let Some(after) = update_if_changed(conn, &before, |conn| {
                Ok(Office::from(
                    q::update(conn, id, row.version, &vals, zhucun_persistence::now())?
                        .ok_or(ApiError::PreconditionFailed)?,
                ))
            })?
            else {
                return Ok(before);
            };
            audit::record(
                conn,
                &auth.audit(),
                "update",
                "office",
                id,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
        .await?;
    let v = dto.version;
    json_with_etag(StatusCode::OK, &dto, v)
}
