//! Cadres (干部): the department's people who are sent to villages. Phones are personal data:
//! only the department's own staff and admins read this register.

use crate::auth::Bearer;
use crate::dto::{deactivation, patch, some, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own_opt, Linkable, Planned, Record};
use crate::routes::offices::Offices;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::validation::field_error;
use zhucun_domain::{list_scope, pinyin, text, FieldError, Invalid, Resource, Target};
use zhucun_persistence::cadres::{self as q, CadreFilter, CadreRow, CadreSort, CadreValues};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cadre {
    #[schema(example = 7)]
    pub id: i64,
    #[schema(example = "扎西")]
    pub name: String,
    #[schema(example = "བཀྲ་ཤིས")]
    pub name_bo: Option<String>,
    pub office_id: Option<i64>,
    #[schema(example = "副处长")]
    pub position: Option<String>,
    #[schema(example = "13800000000")]
    pub phone: Option<String>,
    pub active: bool,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<CadreRow> for Cadre {
    fn from(r: CadreRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            name_bo: r.name_bo,
            office_id: r.office_id,
            position: r.position,
            phone: r.phone,
            active: r.deactivated_at.is_none(),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(CadreList, Cadre);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CadreCreate {
    #[schema(example = "扎西")]
    pub name: String,
    #[schema(example = "བཀྲ་ཤིས")]
    pub name_bo: Option<String>,
    pub office_id: Option<i64>,
    #[schema(example = "科员")]
    pub position: Option<String>,
    #[schema(example = "13800000000")]
    pub phone: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CadrePatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub name_bo: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub office_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub position: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub phone: Option<Option<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CadreQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `name` (by pinyin) or `-name`.
    pub sort: Option<String>,
    /// Text in the Chinese or Tibetan name, or the position; the Chinese name also by its pinyin
    /// (`cirenduoji`) or initials (`crdj`).
    pub q: Option<String>,
    pub office_id: Option<i64>,
    pub active: Option<bool>,
}

/// A phone number: digits, spaces, `+` or `-`, at least five digits (households use it too).
pub(crate) fn phone(raw: Option<&str>) -> Result<Option<String>, FieldError> {
    let Some(p) = text::optional_line("phone", raw, 20)? else {
        return Ok(None);
    };
    let digits = p.bytes().filter(u8::is_ascii_digit).count();
    if digits < 5
        || !p
            .bytes()
            .all(|b| b.is_ascii_digit() || matches!(b, b'+' | b'-' | b' '))
    {
        return Err(field_error(
            "phone",
            "must be a phone number: digits, spaces, '+' or '-'",
        )
        .coded("phone_format", Vec::new()));
    }
    Ok(Some(p))
}

/// Cadres as versioned records (see [`crate::record`]).
pub struct Cadres;

impl Record for Cadres {
    type Table = q::Cadres;
    type View = Cadre;
    const RESOURCE: Resource = Resource::Cadre;
    const ENTITY: &'static str = "cadre";

    fn target(row: &CadreRow) -> Target {
        Target {
            department_id: row.department_id,
            village_id: None,
        }
    }
    fn active(row: &CadreRow) -> bool {
        row.deactivated_at.is_none()
    }
}

/// Validates and builds the stored values (API writes and demo data alike).
pub fn values(
    name: &str,
    name_bo: Option<&str>,
    office_id: Option<i64>,
    position: Option<&str>,
    phone_raw: Option<&str>,
    deactivated_at: Option<chrono::NaiveDateTime>,
) -> Result<CadreValues, Invalid> {
    let mut inv = Invalid::new();
    let name = inv.check(text::name("name", name, 50));
    let name_bo = inv.check(text::tibetan_name("name_bo", name_bo, 100));
    let position = inv.check(text::optional_line("position", position, 50));
    let phone = inv.check(phone(phone_raw));
    let (Some(name), Some(name_bo), Some(position), Some(phone)) = (name, name_bo, position, phone)
    else {
        return Err(inv);
    };
    Ok(CadreValues {
        search_text: search_text(&name, name_bo.as_deref(), position.as_deref()),
        sort_key: pinyin::sort_key(&name),
        office_id,
        name,
        name_bo,
        position,
        phone,
        deactivated_at,
    })
}

/// What a search matches (also recomputed for stored rows at start-up).
pub fn search_text(name: &str, name_bo: Option<&str>, position: Option<&str>) -> String {
    text::search_key_with_pinyin(name, [name_bo, position])
}

/// List cadres (admin and department staff).
#[utoipa::path(tag = "cadres", operation_id = "list_cadres", params(CadreQuery),
    responses((status = 200, description = "One page of cadres", body = CadreList)), security(("bearer" = [])))]
#[get("/cadres")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<CadreQuery>,
) -> Result<web::Json<CadreList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<CadreSort>::parse(
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
            let scope = list_scope(&auth.actor, Resource::Cadre).map_err(ApiError::from)?;
            let filter = CadreFilter {
                department_id: scope.department_id,
                office_id: query.office_id,
                active: query.active,
                search,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(CadreList {
        items,
        next_cursor,
        total,
    }))
}

/// Register a cadre (admin).
#[utoipa::path(tag = "cadres", operation_id = "create_cadre", request_body = CadreCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Cadre)), security(("bearer" = [])))]
#[post("/cadres")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<CadreCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(
        &b.name,
        b.name_bo.as_deref(),
        b.office_id,
        b.position.as_deref(),
        b.phone.as_deref(),
        None,
    );
    record::create::<Cadres, _, _>(&state, bearer, idem, b, move |conn, auth| {
        let values = values?;
        let dept = auth.department_id();
        own_opt::<Offices>(
            conn,
            dept,
            values.office_id,
            "office_id",
            Linkable::ActiveOnly,
        )?;
        Ok(Planned {
            values,
            village_id: None,
        })
    })
    .await
}

/// One cadre.
#[utoipa::path(tag = "cadres", operation_id = "get_cadre", params(("id" = i64, Path, description = "Cadre id")),
    responses((status = 200, description = "The cadre", body = Cadre)), security(("bearer" = [])))]
#[get("/cadres/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Cadres>(&state, bearer, id.into_inner()).await
}

/// Change a cadre (admin).
#[utoipa::path(tag = "cadres", operation_id = "update_cadre",
    params(("id" = i64, Path, description = "Cadre id"), IfMatch),
    request_body = CadrePatch, responses((status = 200, description = "The changed cadre", body = Cadre)), security(("bearer" = [])))]
#[patch("/cadres/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<CadrePatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Cadres, _>(
        &state,
        bearer,
        if_match,
        id.into_inner(),
        move |conn, row| {
            let values = values(
                p.name.as_deref().unwrap_or(&row.name),
                patch(&p.name_bo, &row.name_bo).as_deref(),
                patch(&p.office_id, &row.office_id),
                patch(&p.position, &row.position).as_deref(),
                patch(&p.phone, &row.phone).as_deref(),
                deactivation(p.active, row.deactivated_at),
            )?;
            // A link kept as it was stays valid even if that office was closed since.
            if values.office_id != row.office_id {
                let dept = row.department_id;
                own_opt::<Offices>(
                    conn,
                    dept,
                    values.office_id,
                    "office_id",
                    Linkable::ActiveOnly,
                )?;
            }
            Ok(Planned {
                values,
                village_id: None,
            })
        },
    )
    .await
}
