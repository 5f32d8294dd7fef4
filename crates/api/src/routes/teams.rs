//! Work teams (one per village per round) and their members with dates and the leader flag.

use crate::audit::{self, NONE};
use crate::auth::Auth;
use crate::dto::{deactivation, patch, some, utc};
use crate::error::ApiError;
use crate::http::{create_once, json_with_etag, update_if_changed, Idempotency, IfMatch};
use crate::paging::{after_id, ListRequest};
use crate::routes::common::{own_cadre, own_round, own_village};
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{list_scope, organisation, text, Action, Resource, Target};
use zhucun_persistence::teams::{
    self as q, MemberValues, MemberView, TeamFilter, TeamSort, TeamValues, TeamView,
};
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(list_members)
        .service(add_member)
        .service(update_member);
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
    pub created_at: DateTime<Utc>,
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
    /// `round`, `village` or `id`; prefix `-` for descending. Default `-round`.
    pub sort: Option<String>,
    pub round_id: Option<i64>,
    pub village_id: Option<i64>,
    pub active: Option<bool>,
}

const SORTS: [(&str, TeamSort); 3] = [
    ("round", TeamSort::Round),
    ("village", TeamSort::Village),
    ("id", TeamSort::Id),
];

fn target(t: &q::TeamRow) -> Target {
    Target {
        department_id: t.department_id,
        village_id: Some(t.village_id),
    }
}

/// List teams the caller may see.
#[utoipa::path(tag = "teams", operation_id = "list_teams", params(TeamQuery),
    responses((status = 200, description = "One page of teams", body = TeamList)), security(("bearer" = [])))]
#[get("/teams")]
pub async fn list(
    state: web::Data<AppState>,
    auth: Auth,
    query: web::Query<TeamQuery>,
) -> Result<web::Json<TeamList>, ApiError> {
    let query = query.into_inner();
    let scope = list_scope(&auth.actor, Resource::Team).map_err(ApiError::from)?;
    let sort = query.sort.clone().or_else(|| Some("-round".to_owned()));
    let req = ListRequest::parse(
        query.limit,
        sort.as_deref(),
        query.cursor.as_deref(),
        &SORTS,
        TeamSort::Round,
    )?;
    let filter = TeamFilter {
        department_id: scope.department_id,
        only_villages: scope.villages,
        round_id: query.round_id,
        village_id: query.village_id,
        active: query.active,
    };
    let (field, descending, after, limit) =
        (req.field, req.descending, req.after.clone(), req.limit);
    let page = state
        .read(move |conn| Ok(q::list(conn, &filter, field, descending, after, limit)?))
        .await?;
    let next_cursor = req.next(page.has_more, page.items.last(), |v| {
        let value = match field {
            TeamSort::Round => v.round_number.to_string(),
            TeamSort::Village => v.village_name.clone(),
            TeamSort::Id => String::new(),
        };
        (value, v.team.id)
    });
    Ok(web::Json(TeamList {
        items: page.items.into_iter().map(Team::from).collect(),
        next_cursor,
    }))
}

/// Create the team of a village for a round (admin).
#[utoipa::path(tag = "teams", operation_id = "create_team", request_body = TeamCreate,
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat a create safely", pattern = "^[!-~]{1,255}$")),
    responses((status = 201, description = "Created", body = Team)), security(("bearer" = [])))]
#[post("/teams")]
pub async fn create(
    state: web::Data<AppState>,
    auth: Auth,
    idem: Idempotency,
    body: web::Json<TeamCreate>,
) -> Result<HttpResponse, ApiError> {
    auth.require_own(Action::Create, Resource::Team, None)?;
    let b = body.into_inner();
    let name = text::optional_line("name", b.name.as_deref(), 100)?;
    let created = state
        .write(move |conn| {
            let dept = auth.department_id();
            own_round(conn, dept, b.round_id, "round_id")?;
            own_village(conn, dept, Some(b.village_id), "village_id")?;
            let vals = TeamValues {
                round_id: b.round_id,
                village_id: b.village_id,
                name,
                deactivated_at: None,
            };
            create_once(conn, auth.user.id, &idem, "POST /teams", &b, |conn| {
                let dto = Team::from(q::insert(conn, dept, &vals, zhucun_persistence::now())?);
                audit::record(
                    conn,
                    &auth.audit(),
                    "create",
                    "team",
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

/// One team.
#[utoipa::path(tag = "teams", operation_id = "get_team", params(("id" = i64, Path, description = "Team id")),
    responses((status = 200, description = "The team", body = Team)), security(("bearer" = [])))]
#[get("/teams/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = state.read(move |conn| Ok(q::get_view(conn, id)?)).await?;
    auth.require(Action::Read, Resource::Team, target(&view.team))?;
    let v = view.team.version;
    json_with_etag(StatusCode::OK, &Team::from(view), v)
}

/// Rename or (de)activate a team (admin). Its round and village are fixed once created.
#[utoipa::path(tag = "teams", operation_id = "update_team",
    params(("id" = i64, Path, description = "Team id"), ("If-Match" = Option<String>, Header, description = "The ETag you loaded", pattern = r#"^(\*|(W/)?"?[0-9]+"?(, *(W/)?"?[0-9]+"?)*)$"#)),
    request_body = TeamPatch, responses((status = 200, description = "The changed team", body = Team)), security(("bearer" = [])))]
#[patch("/teams/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<TeamPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let p = body.into_inner();
    let dto = state
        .write(move |conn| {
            let view = q::get_view(conn, id)?;
            let row = view.team.clone();
            auth.require(Action::Update, Resource::Team, target(&row))?;
            if_match.check(row.version)?;
            let name = text::optional_line("name", patch(&p.name, &row.name).as_deref(), 100)?;
            let vals = TeamValues {
                round_id: row.round_id,
                village_id: row.village_id,
                name,
                deactivated_at: deactivation(p.active, row.deactivated_at),
            };
            let before = Team::from(view);
            let Some(after) = update_if_changed(conn, &before, |conn| {
                Ok(Team::from(
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
                "team",
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

#[derive(Debug, Serialize, ToSchema)]
pub struct TeamMember {
    #[schema(example = 12)]
    pub id: i64,
    pub team_id: i64,
    pub cadre_id: i64,
    #[schema(example = "扎西")]
    pub cadre_name: String,
    #[schema(example = "བཀྲ་ཤིས")]
    pub cadre_name_bo: Option<String>,
    /// 队长 / 第一书记.
    pub is_leader: bool,
    #[schema(example = "2019-03-01")]
    pub from_date: NaiveDate,
    /// Open (`null`) while the cadre is still stationed.
    #[schema(example = "2020-02-29")]
    pub to_date: Option<NaiveDate>,
    #[schema(example = 1)]
    pub version: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<MemberView> for TeamMember {
    fn from(v: MemberView) -> Self {
        let m = v.member;
        Self {
            id: m.id,
            team_id: m.team_id,
            cadre_id: m.cadre_id,
            cadre_name: v.cadre_name,
            cadre_name_bo: v.cadre_name_bo,
            is_leader: m.is_leader == 1,
            from_date: m.from_date,
            to_date: m.to_date,
            version: m.version,
            created_at: utc(m.created_at),
            updated_at: utc(m.updated_at),
        }
    }
}

crate::list_type!(TeamMemberList, TeamMember);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMemberCreate {
    pub cadre_id: i64,
    #[serde(default)]
    pub is_leader: bool,
    #[schema(example = "2019-03-01")]
    pub from_date: NaiveDate,
    pub to_date: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TeamMemberPatch {
    pub is_leader: Option<bool>,
    pub from_date: Option<NaiveDate>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub to_date: Option<Option<NaiveDate>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

/// The team, checked for the action; with its round's dates.
fn team_for(
    conn: &mut DbConnection,
    auth: &Auth,
    team_id: i64,
    action: Action,
) -> Result<(q::TeamRow, (NaiveDate, NaiveDate)), ApiError> {
    let team = q::get(conn, team_id)?;
    auth.require(action, Resource::TeamMember, target(&team))?;
    let round = zhucun_persistence::rounds::get(conn, team.round_id)?;
    Ok((team, (round.starts_on, round.ends_on)))
}

/// Validates a membership: dates inside the round, and the cadre in no other team meanwhile
/// (a cadre lives in one village at a time).
fn check_membership(
    conn: &mut DbConnection,
    vals: &MemberValues,
    round: (NaiveDate, NaiveDate),
    except: Option<i64>,
) -> Result<(), ApiError> {
    organisation::membership_dates(vals.from_date, vals.to_date, round)?;
    if q::overlapping_membership(conn, vals.cadre_id, vals.from_date, vals.to_date, except)? {
        return Err(ApiError::field(
            "from_date",
            "the cadre is already a member of a team during these dates",
        ));
    }
    Ok(())
}

/// Members of a team.
#[utoipa::path(tag = "teams", operation_id = "list_team_members", params(("id" = i64, Path, description = "Team id"), MemberQuery),
    responses((status = 200, description = "The team's members", body = TeamMemberList)), security(("bearer" = [])))]
#[get("/teams/{id}/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    query: web::Query<MemberQuery>,
) -> Result<web::Json<TeamMemberList>, ApiError> {
    let id = id.into_inner();
    let query = query.into_inner();
    let req = ListRequest::parse(
        query.limit,
        None,
        query.cursor.as_deref(),
        &[("id", ())],
        (),
    )?;
    let (after, limit) = (after_id(req.after.clone()), req.limit);
    let page = state
        .read(move |conn| {
            team_for(conn, &auth, id, Action::Read)?;
            Ok(q::list_members(conn, id, after, limit)?)
        })
        .await?;
    let next_cursor = req.next(page.has_more, page.items.last(), |m| {
        (String::new(), m.member.id)
    });
    Ok(web::Json(TeamMemberList {
        items: page.items.into_iter().map(TeamMember::from).collect(),
        next_cursor,
    }))
}

/// Add a cadre to a team (admin).
#[utoipa::path(tag = "teams", operation_id = "add_team_member", params(("id" = i64, Path, description = "Team id"),
    ("Idempotency-Key" = Option<String>, Header, description = "Repeat a create safely", pattern = "^[!-~]{1,255}$")),
    request_body = TeamMemberCreate, responses((status = 201, description = "Added", body = TeamMember)), security(("bearer" = [])))]
#[post("/teams/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    auth: Auth,
    id: web::Path<i64>,
    idem: Idempotency,
    body: web::Json<TeamMemberCreate>,
) -> Result<HttpResponse, ApiError> {
    let team_id = id.into_inner();
    let b = body.into_inner();
    let created = state
        .write(move |conn| {
            let (team, round) = team_for(conn, &auth, team_id, Action::Create)?;
            let vals = MemberValues {
                cadre_id: b.cadre_id,
                is_leader: i32::from(b.is_leader),
                from_date: b.from_date,
                to_date: b.to_date,
            };
            let what = format!("POST /teams/{team_id}/members");
            create_once(conn, auth.user.id, &idem, &what, &b, |conn| {
                own_cadre(conn, team.department_id, Some(b.cadre_id), "cadre_id")?;
                check_membership(conn, &vals, round, None)?;
                let dto = TeamMember::from(q::insert_member(
                    conn,
                    team.department_id,
                    team_id,
                    &vals,
                    zhucun_persistence::now(),
                )?);
                audit::record(
                    conn,
                    &auth.audit(),
                    "create",
                    "team_member",
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

/// Change a membership's dates or leader flag (admin). End a membership by setting `to_date`.
#[utoipa::path(tag = "teams", operation_id = "update_team_member",
    params(("id" = i64, Path, description = "Team id"), ("member_id" = i64, Path, description = "Membership id"),
        ("If-Match" = Option<String>, Header, description = "The ETag you loaded", pattern = r#"^(\*|(W/)?"?[0-9]+"?(, *(W/)?"?[0-9]+"?)*)$"#)),
    request_body = TeamMemberPatch, responses((status = 200, description = "The changed membership", body = TeamMember)), security(("bearer" = [])))]
#[patch("/teams/{id}/members/{member_id}")]
pub async fn update_member(
    state: web::Data<AppState>,
    auth: Auth,
    path: web::Path<(i64, i64)>,
    if_match: IfMatch,
    body: web::Json<TeamMemberPatch>,
) -> Result<HttpResponse, ApiError> {
    let (team_id, member_id) = path.into_inner();
    let p = body.into_inner();
    let dto = state
        .write(move |conn| {
            let (_, round) = team_for(conn, &auth, team_id, Action::Update)?;
            let current = q::get_member(conn, member_id)?;
            if current.member.team_id != team_id {
                return Err(ApiError::NotFound);
            }
            let m = &current.member;
            if_match.check(m.version)?;
            let vals = MemberValues {
                cadre_id: m.cadre_id,
                is_leader: p.is_leader.map(i32::from).unwrap_or(m.is_leader),
                from_date: p.from_date.unwrap_or(m.from_date),
                to_date: patch(&p.to_date, &m.to_date),
            };
            check_membership(conn, &vals, round, Some(member_id))?;
            let version = m.version;
            let before = TeamMember::from(current);
            let Some(after) = update_if_changed(conn, &before, |conn| {
                Ok(TeamMember::from(
                    q::update_member(conn, member_id, version, &vals, zhucun_persistence::now())?
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
                "team_member",
                member_id,
                Some(&before),
                Some(&after),
            )?;
            Ok(after)
        })
        .await?;
    let v = dto.version;
    json_with_etag(StatusCode::OK, &dto, v)
}
