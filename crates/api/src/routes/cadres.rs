//! Cadres (干部): the department's people who are sent to villages. Phones are personal data:
//! only the department's own staff and admins read this register.

use crate::audit::{self, NONE};
use crate::auth::Auth;
use crate::dto::{deactivation, patch, some, utc};
use crate::error::ApiError;
use crate::http::{create_once, json_with_etag, update_if_changed, Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::routes::common::own_office;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::validation::field_error;
use zhucun_domain::{list_scope, text, Action, FieldError, Invalid, Resource, Target};
use zhucun_persistence::cadres::{self as q, CadreFilter, CadreRow, CadreValues};

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
    pub created_at: DateTime<Utc>,
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
    /// `name` or `-name`.
    pub sort: Option<String>,
    /// Text in the Chinese or Tibetan name, or the position.
    pub q: Option<String>,
    pub office_id: Option<i64>,
    pub active: Option<bool>,
}

fn phone(raw: Option<&str>) -> Result<Option<String>, FieldError> {
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
        ));
    }
    Ok(Some(p))
}

fn values(
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
        search_text: text::search_key([
            Some(name.as_str()),
            name_bo.as_deref(),
            position.as_deref(),
        ]),
        office_id,
        name,
        name_bo,
        position,
        phone,
        deactivated_at,
    })
}

/// List cadres (admin and department staff).
#[utoipa::path(tag = "cadres", operation_id = "list_cadres", params(CadreQuery),
    responses((status = 200, description = "One page of cadres", body = CadreList)), security(("bearer" = [])))]
#[get("/cadres")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<CadreQuery>,
) -> Result<web::Json<CadreList>, ApiError> {
    let query = query.into_inner();
    let scope = list_scope(&auth.actor, Resource::Cadre).map_err(ApiError::from)?;
    let req = ListRequest::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
        &[("name", ())],
        (),
    )?;
    let filter = CadreFilter {
        department_id: scope.department_id,
        office_id: query.office_id,
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
    Ok(web::Json(CadreList {
        items: page.items.into_iter().map(Cadre::from).collect(),
        next_cursor,
    }))
}

/// Register a cadre (admin).
#[utoipa::path(tag = "cadres", operation_id = "create_cadre", request_body = CadreCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat a create safely", pattern = "^[!-~]{1,255}$")),
    responses((status = 201, description = "Created", body = Cadre)), security(("bearer" = [])))]
#[post("/cadres")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    idem: Idempotency,
    body: web::Json<CadreCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require_own(Action::Create, Resource::Cadre, None)?;
    let b = body.into_inner();
    let vals = values(
        &b.name,
        b.name_bo.as_deref(),
        b.office_id,
        b.position.as_deref(),
        b.phone.as_deref(),
        None,
    )?;
    let created = state
        .write(move |conn| {
            own_office(conn, auth.department_id(), vals.office_id, "office_id")?;
            create_once(conn, auth.user.id, &idem, "POST /cadres", &b, |conn| {
                let dto = Cadre::from(q::insert(
                    conn,
                    auth.department_id(),
                    &vals,
                    zhucun_persistence::now(),
                )?);
                audit::record(
                    conn,
                    &auth.audit(),
                    "create",
                    "cadre",
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

fn target(row: &CadreRow) -> Target {
    Target {
        department_id: row.department_id,
        village_id: None,
    }
}

/// One cadre.
#[utoipa::path(tag = "cadres", operation_id = "get_cadre", params(("id" = i64, Path, description = "Cadre id")),
    responses((status = 200, description = "The cadre", body = Cadre)), security(("bearer" = [])))]
#[get("/cadres/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let row = state.read(move |conn| Ok(q::get(conn, id)?)).await?;
    auth.require(Action::Read, Resource::Cadre, target(&row))?;
    let v = row.version;
    json_with_etag(StatusCode::OK, &Cadre::from(row), v)
}

/// Change a cadre (admin).
#[utoipa::path(tag = "cadres", operation_id = "update_cadre",
    params(("id" = i64, Path, description = "Cadre id"), ("If-Match" = Option<String>, Header, description = "The ETag you loaded", pattern = r#"^(\*|(W/)?"?[0-9]+"?(, *(W/)?"?[0-9]+"?)*)$"#)),
    request_body = CadrePatch, responses((status = 200, description = "The changed cadre", body = Cadre)), security(("bearer" = [])))]
#[patch("/cadres/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<CadrePatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let p = body.into_inner();
    let dto = state
        .write(move |conn| {
            let row = q::get(conn, id)?;
            auth.require(Action::Update, Resource::Cadre, target(&row))?;
            if_match.check(row.version)?;
            let vals = values(
                p.name.as_deref().unwrap_or(&row.name),
                patch(&p.name_bo, &row.name_bo).as_deref(),
                patch(&p.office_id, &row.office_id),
                patch(&p.position, &row.position).as_deref(),
                patch(&p.phone, &row.phone).as_deref(),
                deactivation(p.active, row.deactivated_at),
            )?;
            if vals.office_id != row.office_id {
                own_office(conn, auth.department_id(), vals.office_id, "office_id")?;
            }
            let before = Cadre::from(row.clone());
            let Some(after) = update_if_changed(conn, &before, |conn| {
                Ok(Cadre::from(
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
                "cadre",
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
