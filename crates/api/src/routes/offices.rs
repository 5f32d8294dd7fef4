//! Offices (处室) of a department.

use crate::auth::Bearer;
use crate::dto::{deactivation, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, Planned, Record};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{list_scope, pinyin, text, Resource, Target};
use zhucun_persistence::offices::{self as q, OfficeFilter, OfficeRow, OfficeSort, OfficeValues};

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
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
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
    /// `name` (by pinyin) or `-name`.
    pub sort: Option<String>,
    /// Text in the name, or its pinyin or initials.
    pub q: Option<String>,
    pub active: Option<bool>,
}

/// Offices as versioned records (see [`crate::record`]).
pub struct Offices;

impl Record for Offices {
    type Table = q::Offices;
    type View = Office;
    const RESOURCE: Resource = Resource::Office;
    const ENTITY: &'static str = "office";

    fn target(row: &OfficeRow) -> Target {
        Target {
            department_id: row.department_id,
            village_id: None,
        }
    }
    fn active(row: &OfficeRow) -> bool {
        row.deactivated_at.is_none()
    }
}

/// Validates and builds the stored values (API writes and demo data alike).
pub fn values(
    name: &str,
    deactivated_at: Option<chrono::NaiveDateTime>,
) -> Result<OfficeValues, ApiError> {
    let name = text::name("name", name, 100)?;
    Ok(OfficeValues {
        search_text: search_text(&name),
        sort_key: pinyin::sort_key(&name),
        name,
        deactivated_at,
    })
}

/// What a search matches (also recomputed for stored rows at start-up).
pub fn search_text(name: &str) -> String {
    text::search_key_with_pinyin(name, [])
}

/// List the department's offices.
#[utoipa::path(tag = "offices", operation_id = "list_offices", params(OfficeQuery),
    responses((status = 200, description = "One page of offices", body = OfficeList)), security(("bearer" = [])))]
#[get("/offices")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<OfficeQuery>,
) -> Result<web::Json<OfficeList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<OfficeSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let search = query
        .q
        .as_deref()
        .and_then(text::search_query)
        .map(|s| text::like_contains(&s));
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Office).map_err(ApiError::from)?;
            let filter = OfficeFilter {
                department_id: scope.department_id,
                active: query.active,
                search,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(OfficeList {
        items,
        next_cursor,
        total,
    }))
}

/// Create an office (admin).
#[utoipa::path(tag = "offices", operation_id = "create_office", request_body = OfficeCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Office)), security(("bearer" = [])))]
#[post("/offices")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<OfficeCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(&b.name, None);
    record::create::<Offices, _, _>(&state, bearer, idem, b, move |_, _| {
        Ok(Planned {
            values: values?,
            village_id: None,
        })
    })
    .await
}

/// One office.
#[utoipa::path(tag = "offices", operation_id = "get_office", params(("id" = i64, Path, description = "Office id")),
    responses((status = 200, description = "The office", body = Office)), security(("bearer" = [])))]
#[get("/offices/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Offices>(&state, bearer, id.into_inner()).await
}

/// Rename or (de)activate an office (admin).
#[utoipa::path(tag = "offices", operation_id = "update_office",
    params(("id" = i64, Path, description = "Office id"), IfMatch),
    request_body = OfficePatch, responses((status = 200, description = "The changed office", body = Office)), security(("bearer" = [])))]
#[patch("/offices/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<OfficePatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Offices, _>(&state, bearer, if_match, id.into_inner(), move |_, row| {
        Ok(Planned {
            values: values(
                p.name.as_deref().unwrap_or(&row.name),
                deactivation(p.active, row.deactivated_at),
            )?,
            village_id: None,
        })
    })
    .await
}
