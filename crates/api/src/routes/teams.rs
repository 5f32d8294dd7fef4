//! Work teams: one per village per round. Their members are in `team_members`.

use crate::auth::Bearer;
use crate::dto::{deactivation, patch, some, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own, Linkable, Planned, Record};
use crate::routes::{rounds::Rounds, villages::Villages};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{list_scope, text, Resource, Target};
use zhucun_persistence::teams::{self as q, TeamFilter, TeamSort, TeamValues, TeamView};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Team {
    #[schema(example = 4)]
    pub id: i64,
    pub round_id: i64,
    #[schema(example = 9)]
    pub round_number: i32,
    pub village_id: i64,
    #[schema(example = "马格达村")]
    pub village_name: String,
    #[schema(example = "驻马格达村工作队")]
    pub name: Option<String>,
    /// Members on record (any dates).
    #[schema(example = 4)]
    pub member_count: i64,
    pub active: bool,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<TeamView> for Team {
    fn from(v: TeamView) -> Self {
        let t = v.team;
        Self {
            id: t.id,
            round_id: t.round_id,
            round_number: v.round_number,
            village_id: t.village_id,
            village_name: v.village_name,
            name: t.name,
            member_count: v.member_count,
            active: t.deactivated_at.is_none(),
            version: t.version,
            created_at: utc(t.created_at),
            updated_at: utc(t.updated_at),
        }
    }
}

crate::list_type!(TeamList, Team);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamCreate {
    pub round_id: i64,
    pub village_id: i64,
    #[schema(example = "驻琼果村工作队")]
    pub name: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamPatch {
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub name: Option<Option<String>>,
    pub active: Option<bool>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TeamQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `round`, `village` (by the village name's pinyin) or `id`; prefix `-` for descending.
    /// Default `-round`.
    pub sort: Option<String>,
    pub round_id: Option<i64>,
    pub village_id: Option<i64>,
    pub active: Option<bool>,
}

/// Teams as versioned records (see [`crate::record`]).
pub struct Teams;

impl Record for Teams {
    type Table = q::Teams;
    type View = Team;
    const RESOURCE: Resource = Resource::Team;
    const ENTITY: &'static str = "team";

    fn target(v: &TeamView) -> Target {
        Target {
            department_id: v.team.department_id,
            village_id: Some(v.team.village_id),
        }
    }
    fn active(v: &TeamView) -> bool {
        v.team.deactivated_at.is_none()
    }
}

/// Validates and builds the stored values (API writes and demo data alike).
pub fn values(
    round_id: i64,
    village_id: i64,
    name: Option<&str>,
    deactivated_at: Option<chrono::NaiveDateTime>,
) -> Result<TeamValues, zhucun_domain::FieldError> {
    Ok(TeamValues {
        round_id,
        village_id,
        name: text::optional_line("name", name, 100)?,
        deactivated_at,
    })
}

/// List teams the caller may see.
#[utoipa::path(tag = "teams", operation_id = "list_teams", params(TeamQuery),
    responses((status = 200, description = "One page of teams", body = TeamList)), security(("bearer" = [])))]
#[get("/teams")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<TeamQuery>,
) -> Result<web::Json<TeamList>, ApiError> {
    let query = query.into_inner();
    let sort = query.sort.clone().or_else(|| Some("-round".to_owned()));
    let req =
        ListRequest::<TeamSort>::parse(query.limit, sort.as_deref(), query.cursor.as_deref())?;
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Team).map_err(ApiError::from)?;
            let filter = TeamFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                round_id: query.round_id,
                village_id: query.village_id,
                active: query.active,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(TeamList {
        items,
        next_cursor,
        total,
    }))
}

/// Create the team of a village for a round (admin).
#[utoipa::path(tag = "teams", operation_id = "create_team", request_body = TeamCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Team)), security(("bearer" = [])))]
#[post("/teams")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<TeamCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(b.round_id, b.village_id, b.name.as_deref(), None);
    record::create::<Teams, _, _>(&state, bearer, idem, b, move |conn, auth| {
        let values = values?;
        let dept = auth.department_id();
        own::<Rounds>(conn, dept, values.round_id, "round_id", Linkable::Any)?;
        own::<Villages>(
            conn,
            dept,
            values.village_id,
            "village_id",
            Linkable::ActiveOnly,
        )?;
        Ok(Planned {
            village_id: Some(values.village_id),
            values,
        })
    })
    .await
}

/// One team.
#[utoipa::path(tag = "teams", operation_id = "get_team", params(("id" = i64, Path, description = "Team id")),
    responses((status = 200, description = "The team", body = Team)), security(("bearer" = [])))]
#[get("/teams/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Teams>(&state, bearer, id.into_inner()).await
}

/// Rename or (de)activate a team (admin). Its round and village are fixed once created.
#[utoipa::path(tag = "teams", operation_id = "update_team",
    params(("id" = i64, Path, description = "Team id"), IfMatch),
    request_body = TeamPatch, responses((status = 200, description = "The changed team", body = Team)), security(("bearer" = [])))]
#[patch("/teams/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<TeamPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Teams, _>(&state, bearer, if_match, id.into_inner(), move |_, view| {
        let row = &view.team;
        Ok(Planned {
            values: values(
                row.round_id,
                row.village_id,
                patch(&p.name, &row.name).as_deref(),
                deactivation(p.active, row.deactivated_at),
            )?,
            village_id: Some(row.village_id),
        })
    })
    .await
}
