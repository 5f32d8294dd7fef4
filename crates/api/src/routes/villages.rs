//! Villages: where teams are stationed. Chinese and Tibetan names, place, administrative code.

use crate::auth::Bearer;
use crate::dto::{deactivation, patch, some, utc};
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
use zhucun_domain::{divisions, list_scope, organisation, pinyin, text, Invalid, Resource, Target};
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
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
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
    /// A prefecture of `GET /divisions`, or 未记录 (not recorded).
    #[schema(example = "那曲市")]
    pub prefecture: String,
    /// A county of that prefecture (`GET /divisions`), or 未记录.
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
    /// `name` (by pinyin: 才纳村 before 曲水村), `county` or `id`; prefix `-` for descending.
    /// Default `name`.
    pub sort: Option<String>,
    /// Text in the Chinese or Tibetan name, place names or code; the Chinese name also matches
    /// its pinyin without spaces or tones (`mageda`) and its initials (`mgd`).
    pub q: Option<String>,
    pub prefecture: Option<String>,
    pub county: Option<String>,
    pub township: Option<String>,
    /// Only active (`true`) or only deactivated (`false`) villages.
    pub active: Option<bool>,
}

/// Villages as versioned records (see [`crate::record`]).
pub struct Villages;

impl Record for Villages {
    type Table = q::Villages;
    type View = Village;
    const RESOURCE: Resource = Resource::Village;
    const ENTITY: &'static str = "village";

    fn target(row: &VillageRow) -> Target {
        Target {
            department_id: row.department_id,
            village_id: Some(row.id),
        }
    }
    fn active(row: &VillageRow) -> bool {
        row.deactivated_at.is_none()
    }
}

/// A village's fields as a request leaves them (after merging a patch).
pub struct Fields<'a> {
    pub name: &'a str,
    pub name_bo: Option<&'a str>,
    pub prefecture: &'a str,
    pub county: &'a str,
    pub township: Option<&'a str>,
    pub code: Option<&'a str>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub deactivated_at: Option<chrono::NaiveDateTime>,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
pub fn values(f: Fields<'_>) -> Result<VillageValues, Invalid> {
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
    // 市 and 县 from the region's divisions (or 未记录); a county is checked against its
    // prefecture only when the prefecture itself is fine.
    if let (Some(p), Some(c)) = (&prefecture, &county) {
        if let Some(known) = inv.check(divisions::check_prefecture(p)) {
            inv.check(divisions::check_county(known, c));
        }
    }
    let code = inv.check(organisation::village_code(code));
    inv.check(organisation::coordinates(coords.0, coords.1));
    inv.clone().into_result()?;
    let (Some(name), Some(name_bo), Some(prefecture), Some(county), Some(township), Some(code)) =
        (name, name_bo, prefecture, county, township, code)
    else {
        return Err(inv);
    };
    let search_text = search_text(
        &name,
        name_bo.as_deref(),
        &prefecture,
        &county,
        township.as_deref(),
        code.as_deref(),
    );
    Ok(VillageValues {
        sort_key: pinyin::sort_key(&name),
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

/// What a search matches: names (the Chinese one also by pinyin and initials), place and code
/// (also recomputed for stored rows at start-up).
pub fn search_text(
    name: &str,
    name_bo: Option<&str>,
    prefecture: &str,
    county: &str,
    township: Option<&str>,
    code: Option<&str>,
) -> String {
    text::search_key_with_pinyin(
        name,
        [name_bo, Some(prefecture), Some(county), township, code],
    )
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
    bearer: Bearer,
    query: web::Query<VillageQuery>,
) -> Result<web::Json<VillageList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<VillageSort>::parse(
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
            let scope = list_scope(&auth.actor, Resource::Village).map_err(ApiError::from)?;
            let filter = VillageFilter {
                department_id: scope.department_id,
                only: scope.villages,
                prefecture: query.prefecture.filter(|s| !s.is_empty()),
                county: query.county.filter(|s| !s.is_empty()),
                township: query.township.filter(|s| !s.is_empty()),
                active: query.active,
                search,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(VillageList {
        items,
        next_cursor,
        total,
    }))
}

/// Create a village (admin).
#[utoipa::path(
    tag = "villages",
    operation_id = "create_village",
    request_body = VillageCreate,
    params(Idempotency),
    responses((status = 201, description = "Created; `ETag` carries the version", body = Village)),
    security(("bearer" = []))
)]
#[post("/villages")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<VillageCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        name: &b.name,
        name_bo: b.name_bo.as_deref(),
        prefecture: &b.prefecture,
        county: &b.county,
        township: b.township.as_deref(),
        code: b.code.as_deref(),
        latitude: b.latitude,
        longitude: b.longitude,
        deactivated_at: None,
    });
    record::create::<Villages, _, _>(&state, bearer, idem, b, move |_, _| {
        Ok(Planned {
            values: values?,
            village_id: None,
        })
    })
    .await
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
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Villages>(&state, bearer, id.into_inner()).await
}

/// Change a village (admin). Send `If-Match` with the version you edited.
#[utoipa::path(
    tag = "villages",
    operation_id = "update_village",
    params(("id" = i64, Path, description = "Village id"), IfMatch),
    request_body = VillagePatch,
    responses((status = 200, description = "The changed village", body = Village)),
    security(("bearer" = []))
)]
#[patch("/villages/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<VillagePatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Villages, _>(&state, bearer, if_match, id.into_inner(), move |_, row| {
        let (name_bo, township, code) = (
            patch(&p.name_bo, &row.name_bo),
            patch(&p.township, &row.township),
            patch(&p.code, &row.code),
        );
        let values = values(Fields {
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
        Ok(Planned {
            values,
            village_id: Some(row.id),
        })
    })
    .await
}
