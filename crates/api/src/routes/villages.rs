//! Villages: where teams are stationed. Chinese and Tibetan names, place, administrative code.

use crate::audit::{self, NONE};
use crate::auth::Auth;
use crate::dto::{deactivation, patch, some, utc};
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
use zhucun_domain::{list_scope, organisation, text, Action, Invalid, Resource, Target};
use zhucun_persistence::villages::{
    self as q, VillageFilter, VillageRow, VillageSort, VillageValues,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Village {
    #[schema(example = 1)]
    pub id: i64,
    #[schema(example = "马格达村")]
    pub name: String,
    /// The name in Tibetan script.
    #[schema(example = "མ་སྒལ་མདའ")]
    pub name_bo: Option<String>,
    /// 市 (prefecture-level city).
    #[schema(example = "日喀则市")]
    pub prefecture: String,
    /// 县.
    #[schema(example = "南木林县")]
    pub county: String,
    /// 乡镇.
    #[schema(example = "土布加乡")]
    pub township: Option<String>,
    /// 行政区划代码.
    #[schema(example = "540221203201")]
    pub code: Option<String>,
    #[schema(example = 29.68)]
    pub latitude: Option<f64>,
    #[schema(example = 89.1)]
    pub longitude: Option<f64>,
    /// False once deactivated; deactivated villages keep their history.
    pub active: bool,
    /// Changes with every update; send it back as `If-Match`.
    #[schema(example = 1)]
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<VillageRow> for Village {
    fn from(r: VillageRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            name_bo: r.name_bo,
            prefecture: r.prefecture,
            county: r.county,
            township: r.township,
            code: r.code,
            latitude: r.latitude,
            longitude: r.longitude,
            active: r.deactivated_at.is_none(),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(VillageList, Village);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VillageCreate {
    #[schema(example = "琼果村")]
    pub name: String,
    #[schema(example = "ཆུང་སྐོར")]
    pub name_bo: Option<String>,
    #[schema(example = "那曲市")]
    pub prefecture: String,
    #[schema(example = "班戈县")]
    pub county: String,
    pub township: Option<String>,
    #[schema(example = "540627100201")]
    pub code: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
}

/// Only the fields sent change; `null` clears an optional field.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VillagePatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub name_bo: Option<Option<String>>,
    pub prefecture: Option<String>,
    pub county: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub township: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub code: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<f64>, nullable)]
    pub latitude: Option<Option<f64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<f64>, nullable)]
    pub longitude: Option<Option<f64>>,
    /// `false` deactivates, `true` reactivates.
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct VillageQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
    /// `name`, `county` or `id`; prefix `-` for descending. Default `name`.
    pub sort: Option<String>,
    /// Text in the Chinese or Tibetan name, place names or code.
    pub q: Option<String>,
    pub prefecture: Option<String>,
    pub county: Option<String>,
    pub township: Option<String>,
    /// Only active (`true`) or only deactivated (`false`) villages.
    pub active: Option<bool>,
}

const SORTS: [(&str, VillageSort); 3] = [
    ("name", VillageSort::Name),
    ("county", VillageSort::County),
    ("id", VillageSort::Id),
];

/// A village's fields as a request leaves them (after merging a patch).
struct Fields<'a> {
    name: &'a str,
    name_bo: Option<&'a str>,
    prefecture: &'a str,
    county: &'a str,
    township: Option<&'a str>,
    code: Option<&'a str>,
    latitude: Option<f64>,
    longitude: Option<f64>,
    deactivated_at: Option<chrono::NaiveDateTime>,
}

/// Validates every field at once and builds the stored values.
fn values(f: Fields<'_>) -> Result<VillageValues, Invalid> {
    let Fields {
        name,
        name_bo,
        prefecture,
        county,
        township,
        code,
        latitude,
        longitude,
        deactivated_at,
    } = f;
    let coords = (latitude, longitude);
    let mut inv = Invalid::new();
    let name = inv.check(text::name("name", name, 100));
    let name_bo = inv.check(text::tibetan_name("name_bo", name_bo, 200));
    let prefecture = inv.check(text::name("prefecture", prefecture, 50));
    let county = inv.check(text::name("county", county, 50));
    let township = inv.check(text::optional_line("township", township, 50));
    let code = inv.check(organisation::village_code(code));
    inv.check(organisation::coordinates(coords.0, coords.1));
    inv.clone().into_result()?;
    let (Some(name), Some(name_bo), Some(prefecture), Some(county), Some(township), Some(code)) =
        (name, name_bo, prefecture, county, township, code)
    else {
        return Err(inv);
    };
    let search_text = text::search_key([
        Some(name.as_str()),
        name_bo.as_deref(),
        Some(prefecture.as_str()),
        Some(county.as_str()),
        township.as_deref(),
        code.as_deref(),
    ]);
    Ok(VillageValues {
        name,
        name_bo,
        prefecture,
        county,
        township,
        code,
        latitude: coords.0,
        longitude: coords.1,
        search_text,
        deactivated_at,
    })
}

/// List villages the caller may see.
#[utoipa::path(
    tag = "villages",
    operation_id = "list_villages",
    params(VillageQuery),
    responses((status = 200, description = "One page of villages", body = VillageList)),
    security(("bearer" = []))
)]
#[get("/villages")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<VillageQuery>,
) -> Result<web::Json<VillageList>, ApiError> {
    let query = query.into_inner();
    let scope = list_scope(&auth.actor, Resource::Village).map_err(ApiError::from)?;
    let req = ListRequest::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
        &SORTS,
        VillageSort::Name,
    )?;
    let filter = VillageFilter {
        department_id: scope.department_id,
        only: scope.villages,
        prefecture: query.prefecture.filter(|s| !s.is_empty()),
        county: query.county.filter(|s| !s.is_empty()),
        township: query.township.filter(|s| !s.is_empty()),
        active: query.active,
        search: query
            .q
            .as_deref()
            .and_then(text::search_query)
            .map(|s| text::like_contains(&s)),
    };
    let (field, descending, after, limit) =
        (req.field, req.descending, req.after.clone(), req.limit);
    let page = state
        .read(move |conn| Ok(q::list(conn, &filter, field, descending, after, limit)?))
        .await?;
    let next_cursor = req.next(page.has_more, page.items.last(), |last| {
        let value = match field {
            VillageSort::Name => last.name.clone(),
            VillageSort::County => last.county.clone(),
            VillageSort::Id => String::new(),
        };
        (value, last.id)
    });
    Ok(web::Json(VillageList {
        items: page.items.into_iter().map(Village::from).collect(),
        next_cursor,
    }))
}

/// Create a village (admin).
#[utoipa::path(
    tag = "villages",
    operation_id = "create_village",
    request_body = VillageCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat a create safely: the same key and body answer the first response again", pattern = "^[!-~]{1,255}$")),
    responses((status = 201, description = "Created; `ETag` carries the version", body = Village)),
    security(("bearer" = []))
)]
#[post("/villages")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    idem: Idempotency,
    body: web::Json<VillageCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require_own(Action::Create, Resource::Village, None)?;
    let b = body.into_inner();
    let vals = values(Fields {
        name: &b.name,
        name_bo: b.name_bo.as_deref(),
        prefecture: &b.prefecture,
        county: &b.county,
        township: b.township.as_deref(),
        code: b.code.as_deref(),
        latitude: b.latitude,
        longitude: b.longitude,
        deactivated_at: None,
    })?;
    let created = state
        .write(move |conn| {
            create_once(conn, auth.user.id, &idem, "POST /villages", &b, |conn| {
                let row = q::insert(conn, auth.department_id(), &vals, zhucun_persistence::now())?;
                let dto = Village::from(row);
                audit::record(
                    conn,
                    &auth.audit(),
                    "create",
                    "village",
                    dto.id,
                    NONE,
                    Some(&dto),
                )?;
                let version = dto.version;
                Ok((dto, version))
            })
        })
        .await?;
    Ok(created.into_response())
}

fn target(row: &VillageRow) -> Target {
    Target {
        department_id: row.department_id,
        village_id: Some(row.id),
    }
}

/// One village.
#[utoipa::path(
    tag = "villages",
    operation_id = "get_village",
    params(("id" = i64, Path, description = "Village id")),
    responses((status = 200, description = "The village; `ETag` carries the version", body = Village)),
    security(("bearer" = []))
)]
#[get("/villages/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state.read(move |conn| Ok(q::get(conn, id)?)).await?;
    auth.require(Action::Read, Resource::Village, target(&row))?;
    let version = row.version;
    json_with_etag(StatusCode::OK, &Village::from(row), version)
}

/// Change a village (admin). Send `If-Match` with the version you edited.
#[utoipa::path(
    tag = "villages",
    operation_id = "update_village",
    params(
        ("id" = i64, Path, description = "Village id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you loaded; a stale one is a 412", pattern = r#"^(\*|(W/)?"?[0-9]+"?(, *(W/)?"?[0-9]+"?)*)$"#)
    ),
    request_body = VillagePatch,
    responses((status = 200, description = "The changed village", body = Village)),
    security(("bearer" = []))
)]
#[patch("/villages/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<VillagePatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let p = body.into_inner();
    let dto = state
        .write(move |conn| {
            let row = q::get(conn, id)?;
            auth.require(Action::Update, Resource::Village, target(&row))?;
            if_match.check(row.version)?;
            let (name_bo, township, code) = (
                patch(&p.name_bo, &row.name_bo),
                patch(&p.township, &row.township),
                patch(&p.code, &row.code),
            );
            let vals = values(Fields {
                name: p.name.as_deref().unwrap_or(&row.name),
                name_bo: name_bo.as_deref(),
                prefecture: p.prefecture.as_deref().unwrap_or(&row.prefecture),
                county: p.county.as_deref().unwrap_or(&row.county),
                township: township.as_deref(),
                code: code.as_deref(),
                latitude: patch(&p.latitude, &row.latitude),
                longitude: patch(&p.longitude, &row.longitude),
                deactivated_at: deactivation(p.active, row.deactivated_at),
            })?;
            let before = Village::from(row.clone());
            let Some(after) = update_if_changed(conn, &before, |conn| {
                let updated = q::update(conn, id, row.version, &vals, zhucun_persistence::now())?
                    .ok_or(ApiError::PreconditionFailed)?;
                Ok(Village::from(updated))
            })?
            else {
                return Ok(before);
            };
            audit::record(
                conn,
                &auth.audit(),
                "update",
                "village",
                id,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
        .await?;
    let version = dto.version;
    json_with_etag(StatusCode::OK, &dto, version)
}
