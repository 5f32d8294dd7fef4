//! Rounds (驻村批次): the yearly dispatches since October 2011.

use crate::auth::Bearer;
use crate::dto::{deactivation, patch, some, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, Planned, Record};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{list_scope, organisation, text, Invalid, Resource, Target};
use zhucun_persistence::rounds::{self as q, RoundFilter, RoundRow, RoundSort, RoundValues};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Round {
    #[schema(example = 9)]
    pub id: i64,
    /// The round's number in the programme (1 = 2011).
    #[schema(example = 9)]
    pub number: i32,
    #[schema(example = "第九批")]
    pub name: Option<String>,
    #[schema(example = "2019-03-01")]
    pub starts_on: NaiveDate,
    #[schema(example = "2020-02-29")]
    pub ends_on: NaiveDate,
    pub active: bool,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<RoundRow> for Round {
    fn from(r: RoundRow) -> Self {
        Self {
            id: r.id,
            number: r.number,
            name: r.name,
            starts_on: r.starts_on,
            ends_on: r.ends_on,
            active: r.deactivated_at.is_none(),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(RoundList, Round);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundCreate {
    #[schema(example = 16)]
    pub number: i32,
    #[schema(example = "第十六批")]
    pub name: Option<String>,
    #[schema(example = "2026-03-01")]
    pub starts_on: NaiveDate,
    #[schema(example = "2027-02-28")]
    pub ends_on: NaiveDate,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RoundPatch {
    pub number: Option<i32>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub name: Option<Option<String>>,
    pub starts_on: Option<NaiveDate>,
    pub ends_on: Option<NaiveDate>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RoundQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `number` or `-number` (default `-number`, newest first).
    pub sort: Option<String>,
    pub active: Option<bool>,
    /// Only rounds running on this day (YYYY-MM-DD).
    pub on: Option<NaiveDate>,
}

/// Rounds as versioned records (see [`crate::record`]).
pub struct Rounds;

impl Record for Rounds {
    type Table = q::Rounds;
    type View = Round;
    const RESOURCE: Resource = Resource::Round;
    const ENTITY: &'static str = "round";

    fn target(row: &RoundRow) -> Target {
        Target {
            department_id: row.department_id,
            village_id: None,
        }
    }
    /// A closed (deactivated) round stays a round: history and late corrections point to it.
    fn active(_: &RoundRow) -> bool {
        true
    }
}

/// Validates and builds the stored values (API writes and demo data alike).
pub fn values(
    number: i32,
    name: Option<&str>,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    deactivated_at: Option<chrono::NaiveDateTime>,
) -> Result<RoundValues, Invalid> {
    let mut inv = Invalid::new();
    if !(1..=1000).contains(&number) {
        inv.push(zhucun_domain::validation::between("number", 1, 1000));
    }
    let name = inv.check(text::optional_line("name", name, 50));
    inv.check(organisation::round_dates(starts_on, ends_on));
    let Some(name) = name.filter(|_| inv.is_empty()) else {
        return Err(inv);
    };
    Ok(RoundValues {
        number,
        name,
        starts_on,
        ends_on,
        deactivated_at,
    })
}

/// List rounds.
#[utoipa::path(tag = "rounds", operation_id = "list_rounds", params(RoundQuery),
    responses((status = 200, description = "One page of rounds", body = RoundList)), security(("bearer" = [])))]
#[get("/rounds")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<RoundQuery>,
) -> Result<web::Json<RoundList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<RoundSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Round).map_err(ApiError::from)?;
            let filter = RoundFilter {
                department_id: scope.department_id,
                active: query.active,
                on: query.on,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(RoundList {
        items,
        next_cursor,
        total,
    }))
}

/// Create a round (admin).
#[utoipa::path(tag = "rounds", operation_id = "create_round", request_body = RoundCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Round)), security(("bearer" = [])))]
#[post("/rounds")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<RoundCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(b.number, b.name.as_deref(), b.starts_on, b.ends_on, None);
    record::create::<Rounds, _, _>(&state, bearer, idem, b, move |_, _| {
        Ok(Planned {
            values: values?,
            village_id: None,
        })
    })
    .await
}

/// One round.
#[utoipa::path(tag = "rounds", operation_id = "get_round", params(("id" = i64, Path, description = "Round id")),
    responses((status = 200, description = "The round", body = Round)), security(("bearer" = [])))]
#[get("/rounds/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Rounds>(&state, bearer, id.into_inner()).await
}

/// Change a round (admin).
#[utoipa::path(tag = "rounds", operation_id = "update_round",
    params(("id" = i64, Path, description = "Round id"), IfMatch),
    request_body = RoundPatch, responses((status = 200, description = "The changed round", body = Round)), security(("bearer" = [])))]
#[patch("/rounds/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<RoundPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Rounds, _>(&state, bearer, if_match, id.into_inner(), move |_, row| {
        Ok(Planned {
            values: values(
                p.number.unwrap_or(row.number),
                patch(&p.name, &row.name).as_deref(),
                p.starts_on.unwrap_or(row.starts_on),
                p.ends_on.unwrap_or(row.ends_on),
                deactivation(p.active, row.deactivated_at),
            )?,
            village_id: None,
        })
    })
    .await
}
