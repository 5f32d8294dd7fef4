//! Members of a work team: a cadre with dates inside the team's round and the leader flag
//! (队长 / 第一书记). A cadre lives in one village at a time, so memberships never overlap.

use crate::auth::{Auth, Bearer};
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own, Linkable, Planned, Record};
use crate::routes::cadres::Cadres;
use crate::routes::teams::Teams;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{organisation, Action, Resource, Target};
use zhucun_persistence::members::{self as q, MemberSort, MemberValues, MemberView};
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_members)
        .service(add_member)
        .service(update_member);
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
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
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

/// Memberships as versioned records (see [`crate::record`]).
pub struct Members;

impl Record for Members {
    type Table = q::Members;
    type View = TeamMember;
    const RESOURCE: Resource = Resource::TeamMember;
    const ENTITY: &'static str = "team_member";

    fn target(v: &MemberView) -> Target {
        Target {
            department_id: v.member.department_id,
            village_id: Some(v.village_id),
        }
    }
    fn active(_: &MemberView) -> bool {
        true
    }
}

/// The team, checked for the action on its members; with its round's dates.
fn team_for(
    conn: &mut DbConnection,
    auth: &Auth,
    team_id: i64,
    action: Action,
) -> Result<(i64, (NaiveDate, NaiveDate)), ApiError> {
    let team = zhucun_persistence::teams::get_view(conn, team_id)?;
    auth.require(action, Resource::TeamMember, Teams::target(&team))?;
    let round = zhucun_persistence::rounds::get(conn, team.team.round_id)?;
    Ok((team.team.village_id, (round.starts_on, round.ends_on)))
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
        return Err(crate::error::coded(
            "from_date",
            "membership_overlap",
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
    bearer: Bearer,
    id: web::Path<i64>,
    query: web::Query<MemberQuery>,
) -> Result<web::Json<TeamMemberList>, ApiError> {
    let id = id.into_inner();
    let query = query.into_inner();
    let req = ListRequest::<MemberSort>::parse(query.limit, None, query.cursor.as_deref())?;
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            team_for(conn, auth, id, Action::Read)?;
            Ok(q::list_members(conn, id, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(TeamMemberList {
        items,
        next_cursor,
        total,
    }))
}

/// Add a cadre to a team (admin).
#[utoipa::path(tag = "teams", operation_id = "add_team_member", params(("id" = i64, Path, description = "Team id"), Idempotency),
    request_body = TeamMemberCreate, responses((status = 201, description = "Added", body = TeamMember)), security(("bearer" = [])))]
#[post("/teams/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    idem: Idempotency,
    body: web::Json<TeamMemberCreate>,
) -> Result<HttpResponse, ApiError> {
    let team_id = id.into_inner();
    let b = body.into_inner();
    let values = MemberValues {
        team_id,
        cadre_id: b.cadre_id,
        is_leader: i32::from(b.is_leader),
        from_date: b.from_date,
        to_date: b.to_date,
    };
    record::create_under::<Members, Teams, _, _>(
        &state,
        bearer,
        idem,
        team_id,
        b,
        move |conn, auth, team| {
            let round = zhucun_persistence::rounds::get(conn, team.team.round_id)?;
            own::<Cadres>(
                conn,
                auth.department_id(),
                values.cadre_id,
                "cadre_id",
                Linkable::ActiveOnly,
            )?;
            check_membership(conn, &values, (round.starts_on, round.ends_on), None)?;
            Ok(Planned {
                values,
                village_id: Some(team.team.village_id),
            })
        },
    )
    .await
}

/// Change a membership's dates or leader flag (admin). End a membership by setting `to_date`.
#[utoipa::path(tag = "teams", operation_id = "update_team_member",
    params(("id" = i64, Path, description = "Team id"), ("member_id" = i64, Path, description = "Membership id"), IfMatch),
    request_body = TeamMemberPatch, responses((status = 200, description = "The changed membership", body = TeamMember)), security(("bearer" = [])))]
#[patch("/teams/{id}/members/{member_id}")]
pub async fn update_member(
    state: web::Data<AppState>,
    bearer: Bearer,
    path: web::Path<(i64, i64)>,
    if_match: IfMatch,
    body: web::Json<TeamMemberPatch>,
) -> Result<HttpResponse, ApiError> {
    let (team_id, member_id) = path.into_inner();
    let p = body.into_inner();
    let updated = state
        .write_as(bearer, move |conn, auth| {
            let (_, round) = team_for(conn, auth, team_id, Action::Update)?;
            record::update_in::<Members, _>(conn, auth, &if_match, member_id, |conn, current| {
                let m = &current.member;
                // A membership is reached through its own team only.
                if m.team_id != team_id {
                    return Err(ApiError::NotFound);
                }
                let values = MemberValues {
                    team_id: m.team_id,
                    cadre_id: m.cadre_id,
                    is_leader: p.is_leader.map(i32::from).unwrap_or(m.is_leader),
                    from_date: p.from_date.unwrap_or(m.from_date),
                    to_date: patch(&p.to_date, &m.to_date),
                };
                check_membership(conn, &values, round, Some(member_id))?;
                Ok(Planned {
                    values,
                    village_id: Some(current.village_id),
                })
            })
        })
        .await?;
    record::respond::<Members>(actix_web::http::StatusCode::OK, updated.after)
}
