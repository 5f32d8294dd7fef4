//! Projects (驻村项目): a village's projects, their stage pipeline
//! (`proposed → mature → declared → coordinating → implementing → completed → accepted`, or
//! `cancelled`) and the events of every move. The stage changes only through
//! `POST /projects/{id}/transitions`; each project shows its IATI activity status derived from the
//! stage. Funds received and spent come from the ledger (not stored here).
//!
//! `year` is the project's own year (required, 2011 to next year), the year reports count it in —
//! not the day it was entered, which for earlier years' projects is later.

use crate::audit;
use crate::auth::{Auth, Bearer};
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::export;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own_opt, Linkable, Planned, Record};
use crate::routes::offices::Offices;
use crate::routes::teams::Teams;
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::project::{self as rules, Category, Mover, Stage};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Role, Target};
use zhucun_persistence::projects::{
    self as q, EventRow, NewEvent, ProjectFilter, ProjectSort, ProjectValues, ProjectView,
};
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(allowed_transitions)
        .service(transition)
        .service(events);
}

/// Who benefits.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Beneficiaries {
    #[serde(default)]
    #[schema(example = 61)]
    pub households: i64,
    #[serde(default)]
    #[schema(example = 290)]
    pub people: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Project {
    #[schema(example = 7)]
    pub id: i64,
    pub village_id: i64,
    #[schema(example = "亚卡亚村")]
    pub village_name: String,
    /// The work team running it, if named.
    pub team_id: Option<i64>,
    /// The project's year.
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = "亚卡亚村养殖专业合作社养殖项目")]
    pub title: String,
    /// infrastructure, industry, cooperative, education, health, organisation_building, culture, other.
    #[schema(example = "cooperative")]
    pub category: String,
    /// The responsible office (责任处室) of the department, if named.
    pub office_id: Option<i64>,
    #[schema(example = "农业处")]
    pub office_name: Option<String>,
    /// 配合单位.
    #[schema(example = "那曲市财政局")]
    pub supporting_unit: Option<String>,
    /// The budget in fen.
    #[schema(example = 30000000)]
    pub budget_fen: i64,
    #[schema(example = "厅机关自有资金")]
    pub funding_source: Option<String>,
    pub beneficiaries: Beneficiaries,
    #[schema(example = "购买牲畜，发展合作社养殖")]
    pub description: Option<String>,
    /// 存在问题.
    pub problems: Option<String>,
    /// 措施.
    pub measures: Option<String>,
    /// proposed, mature, declared, coordinating, implementing, completed, accepted, cancelled.
    #[schema(example = "implementing")]
    pub stage: String,
    /// The IATI ActivityStatus derived from the stage: pipeline, implementation, finalisation,
    /// closed, cancelled.
    #[schema(example = "implementation")]
    pub iati_status: String,
    /// The IATI ActivityStatus code (1–5).
    #[schema(example = 2)]
    pub iati_status_code: u8,
    /// Funds received (allocations and donations, in cash or in kind) in fen, summed from the
    /// ledger entries of the project, reversals included. Never stored with the project.
    #[schema(example = 30000000)]
    pub funds_received_fen: i64,
    /// Expenditures in fen, summed from the ledger the same way.
    #[schema(example = 12000000)]
    pub funds_spent_fen: i64,
    #[schema(example = 3)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

fn stage_of(code: &str) -> Stage {
    // Only codes of `Stage` are ever stored; an unknown one reads as the start.
    Stage::from_code(code).unwrap_or(Stage::Proposed)
}

impl From<ProjectView> for Project {
    fn from(v: ProjectView) -> Self {
        let r = v.project;
        let s = r.values;
        let iati = stage_of(&r.stage).iati_status();
        Self {
            id: r.id,
            village_id: s.village_id,
            village_name: v.village_name,
            team_id: s.team_id,
            year: s.year,
            title: s.title,
            category: s.category,
            office_id: s.office_id,
            office_name: v.office_name,
            supporting_unit: s.supporting_unit,
            budget_fen: s.budget_fen,
            funding_source: s.funding_source,
            beneficiaries: Beneficiaries {
                households: s.beneficiary_households,
                people: s.beneficiary_people,
            },
            description: s.description,
            problems: s.problems,
            measures: s.measures,
            stage: r.stage,
            iati_status: iati.code().to_owned(),
            iati_status_code: iati.iati_code(),
            funds_received_fen: v.funds.received_fen,
            funds_spent_fen: v.funds.spent_fen,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(ProjectList, Project);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectCreate {
    pub village_id: i64,
    /// A team of the same village.
    pub team_id: Option<i64>,
    /// 2011 to next year.
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = "亚卡亚村养殖专业合作社养殖项目")]
    pub title: String,
    #[schema(example = "cooperative")]
    pub category: String,
    pub office_id: Option<i64>,
    #[schema(example = "那曲市财政局")]
    pub supporting_unit: Option<String>,
    #[schema(example = 30000000)]
    pub budget_fen: i64,
    #[schema(example = "厅机关自有资金")]
    pub funding_source: Option<String>,
    #[serde(default)]
    pub beneficiaries: Beneficiaries,
    #[schema(example = "购买牲畜，发展合作社养殖")]
    pub description: Option<String>,
    pub problems: Option<String>,
    pub measures: Option<String>,
}

/// Only the fields sent change; `null` clears an optional one. The village and stage are fixed
/// (the stage moves by transitions). The team may edit while proposed, mature or declared, the
/// department until the project is accepted or cancelled.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProjectPatch {
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub team_id: Option<Option<i64>>,
    pub year: Option<i32>,
    #[schema(example = "亚卡亚村灌溉防渗水工程")]
    pub title: Option<String>,
    pub category: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub office_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub supporting_unit: Option<Option<String>>,
    #[schema(example = 95000000)]
    pub budget_fen: Option<i64>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub funding_source: Option<Option<String>>,
    /// Replaces both counts.
    pub beneficiaries: Option<Beneficiaries>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub description: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub problems: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub measures: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProjectQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `updated`, `budget` or `title` (by pinyin); prefix `-` for descending. Default `-updated`
    /// (most recently changed first).
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    pub team_id: Option<i64>,
    /// A stage code.
    pub stage: Option<String>,
    /// A category code.
    pub category: Option<String>,
    /// The project's year.
    pub year: Option<i32>,
    /// Part of the title, its pinyin or initials.
    pub q: Option<String>,
    /// `json` (default), `csv` or `xlsx`: the whole list with these filters as a download.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// Projects as versioned records (see [`crate::record`]).
pub struct Projects;

impl Record for Projects {
    type Table = q::Projects;
    type View = Project;
    const RESOURCE: Resource = Resource::Project;
    const ENTITY: &'static str = "project";

    fn target(v: &ProjectView) -> Target {
        Target {
            department_id: v.project.department_id,
            village_id: Some(v.project.values.village_id),
        }
    }
    fn active(_: &ProjectView) -> bool {
        true
    }
}

/// A project's fields as a request leaves them (after merging a patch).
pub struct Fields<'a> {
    pub village_id: i64,
    pub team_id: Option<i64>,
    pub year: i32,
    pub title: &'a str,
    pub category: &'a str,
    pub office_id: Option<i64>,
    pub supporting_unit: Option<&'a str>,
    pub budget_fen: i64,
    pub funding_source: Option<&'a str>,
    pub beneficiaries: &'a Beneficiaries,
    pub description: Option<&'a str>,
    pub problems: Option<&'a str>,
    pub measures: Option<&'a str>,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
pub fn values(f: Fields<'_>) -> Result<ProjectValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let year = inv.check(zhucun_domain::survey::year("year", f.year, today));
    let title = inv.check(text::name("title", f.title, 200));
    let category = inv.check(Category::parse("category", f.category));
    let supporting = inv.check(text::optional_line(
        "supporting_unit",
        f.supporting_unit,
        200,
    ));
    let budget = inv.check(rules::budget("budget_fen", f.budget_fen));
    let funding = inv.check(text::optional_line("funding_source", f.funding_source, 200));
    let households = zhucun_domain::survey::count(
        &mut inv,
        "beneficiaries.households",
        f.beneficiaries.households,
    );
    let people =
        zhucun_domain::survey::count(&mut inv, "beneficiaries.people", f.beneficiaries.people);
    let description = inv.check(text::optional_text("description", f.description, 20_000));
    let problems = inv.check(text::optional_text("problems", f.problems, 20_000));
    let measures = inv.check(text::optional_text("measures", f.measures, 20_000));
    let (
        Some(year),
        Some(title),
        Some(category),
        Some(supporting),
        Some(budget),
        Some(funding),
        Some(description),
        Some(problems),
        Some(measures),
    ) = (
        year,
        title,
        category,
        supporting,
        budget,
        funding,
        description,
        problems,
        measures,
    )
    else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(ProjectValues {
        village_id: f.village_id,
        team_id: f.team_id,
        year,
        sort_key: zhucun_domain::pinyin::sort_key(&title),
        search_text: text::search_key_with_pinyin(&title, [None]),
        title,
        category: category.code().to_owned(),
        office_id: f.office_id,
        supporting_unit: supporting,
        budget_fen: budget,
        funding_source: funding,
        beneficiary_households: households,
        beneficiary_people: people,
        description,
        problems,
        measures,
    })
}

/// The team and office a project names must be the department's; the team one of its village.
fn check_links(
    conn: &mut DbConnection,
    department_id: i64,
    values: &ProjectValues,
) -> Result<(), ApiError> {
    let team = own_opt::<Teams>(
        conn,
        department_id,
        values.team_id,
        "team_id",
        Linkable::Any,
    )?;
    if let Some(team) = team {
        if team.team.village_id != values.village_id {
            return Err(zhucun_domain::validation::no_such("team_id", "team", false).into());
        }
    }
    own_opt::<Offices>(
        conn,
        department_id,
        values.office_id,
        "office_id",
        Linkable::ActiveOnly,
    )?;
    Ok(())
}

fn bad_code<T>(
    inv: &mut Invalid,
    raw: Option<&str>,
    parse: impl Fn(&str) -> Result<T, zhucun_domain::FieldError>,
) -> Option<T> {
    raw.and_then(|r| inv.check(parse(r)))
}

/// List the projects of the villages the caller may see.
#[utoipa::path(tag = "projects", operation_id = "list_projects", params(ProjectQuery),
    responses((status = 200, description = "One page of projects, or (format=csv|xlsx) the whole list as a download",
        content((ProjectList = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))), security(("bearer" = [])))]
#[get("/projects")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    http: actix_web::HttpRequest,
    query: web::Query<ProjectQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let form = export::requested(&http, query.format.as_deref())?;
    let req = ListRequest::<ProjectSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let mut inv = Invalid::new();
    let stage = bad_code(&mut inv, query.stage.as_deref(), |s| {
        Stage::parse("stage", s)
    })
    .map(|s| s.code().to_owned());
    let category = bad_code(&mut inv, query.category.as_deref(), |c| {
        Category::parse("category", c)
    })
    .map(|c| c.code().to_owned());
    let year = query.year.and_then(|y| {
        inv.check(zhucun_domain::survey::year(
            "year",
            y,
            zhucun_domain::calendar::today_local(),
        ))
    });
    inv.into_result()?;
    let search = query
        .q
        .as_deref()
        .and_then(text::search_query)
        .map(|s| text::like_contains(&s));
    let (village_id, team_id) = (query.village_id, query.team_id);
    let fetch =
        move |conn: &mut zhucun_persistence::DbConnection, auth: &crate::auth::Auth, page: &_| {
            let scope = list_scope(&auth.actor, Resource::Project).map_err(ApiError::from)?;
            let filter = ProjectFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                village_id,
                team_id,
                stage: stage.clone(),
                category: category.clone(),
                year,
                search: search.clone(),
            };
            Ok(q::list(conn, &filter, page)?)
        };
    export::list::<_, ProjectList, _>(state, bearer, form, req, fetch, EXPORT).await
}

/// Propose a project in a village (team of the village, or the department). It starts
/// `proposed`.
#[utoipa::path(tag = "projects", operation_id = "create_project", request_body = ProjectCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Project)), security(("bearer" = [])))]
#[post("/projects")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<ProjectCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: b.village_id,
        team_id: b.team_id,
        year: b.year,
        title: &b.title,
        category: &b.category,
        office_id: b.office_id,
        supporting_unit: b.supporting_unit.as_deref(),
        budget_fen: b.budget_fen,
        funding_source: b.funding_source.as_deref(),
        beneficiaries: &b.beneficiaries,
        description: b.description.as_deref(),
        problems: b.problems.as_deref(),
        measures: b.measures.as_deref(),
    });
    record::create::<Projects, _, _>(&state, bearer, idem, b, move |conn, auth| {
        let values = values?;
        let dept = auth.department_id();
        record::own::<Villages>(
            conn,
            dept,
            values.village_id,
            "village_id",
            Linkable::ActiveOnly,
        )?;
        check_links(conn, dept, &values)?;
        Ok(Planned {
            village_id: Some(values.village_id),
            values,
        })
    })
    .await
}

/// One project.
#[utoipa::path(tag = "projects", operation_id = "get_project", params(("id" = i64, Path, description = "Project id")),
    responses((status = 200, description = "The project", body = Project)), security(("bearer" = [])))]
#[get("/projects/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Projects>(&state, bearer, id.into_inner()).await
}

/// Whether the caller may still change the project's fields at its stage.
fn may_edit(auth: &Auth, stage: Stage) -> Result<(), ApiError> {
    if stage.is_final() {
        return Err(ApiError::Refused {
            code: "project_final",
            message: "the project is accepted or cancelled and can no longer change".to_owned(),
        });
    }
    if auth.role == Role::Team && !rules::team_may_edit(stage) {
        return Err(ApiError::Refused {
            code: "project_past_declared",
            message: "the project is past declaration; only the department may change it"
                .to_owned(),
        });
    }
    Ok(())
}

/// Correct a project's fields (the team of the village while proposed, mature or declared; the
/// department until accepted or cancelled: later, a 409 with code `project_final` or
/// `project_past_declared`).
#[utoipa::path(tag = "projects", operation_id = "update_project",
    params(("id" = i64, Path, description = "Project id"), IfMatch),
    request_body = ProjectPatch, responses((status = 200, description = "The changed project", body = Project)), security(("bearer" = [])))]
#[patch("/projects/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<ProjectPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    let id = id.into_inner();
    let updated = state
        .write_as(bearer, move |conn, auth| {
            record::update_in::<Projects, _>(conn, auth, &if_match, id, |conn, view| {
                may_edit(auth, stage_of(&view.project.stage))?;
                let s = &view.project.values;
                let beneficiaries = p.beneficiaries.clone().unwrap_or(Beneficiaries {
                    households: s.beneficiary_households,
                    people: s.beneficiary_people,
                });
                let values = values(Fields {
                    village_id: s.village_id,
                    team_id: patch(&p.team_id, &s.team_id),
                    year: p.year.unwrap_or(s.year),
                    title: p.title.as_deref().unwrap_or(&s.title),
                    category: p.category.as_deref().unwrap_or(&s.category),
                    office_id: patch(&p.office_id, &s.office_id),
                    supporting_unit: patch(&p.supporting_unit, &s.supporting_unit).as_deref(),
                    budget_fen: p.budget_fen.unwrap_or(s.budget_fen),
                    funding_source: patch(&p.funding_source, &s.funding_source).as_deref(),
                    beneficiaries: &beneficiaries,
                    description: patch(&p.description, &s.description).as_deref(),
                    problems: patch(&p.problems, &s.problems).as_deref(),
                    measures: patch(&p.measures, &s.measures).as_deref(),
                })?;
                check_links(conn, view.project.department_id, &values)?;
                Ok(Planned {
                    village_id: Some(s.village_id),
                    values,
                })
            })
        })
        .await?;
    record::respond::<Projects>(StatusCode::OK, updated.after)
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransitionRequest {
    /// The stage to move to: the next one, the previous one (a *return*, which needs a
    /// comment) or `cancelled`.
    #[schema(example = "mature")]
    pub to: String,
    #[schema(example = "可行性研究已完成")]
    pub comment: Option<String>,
}

/// Who the caller is to this project's stage machine.
fn mover(conn: &mut DbConnection, auth: &Auth, village_id: i64) -> Result<Mover, ApiError> {
    Ok(match auth.role {
        Role::Department => Mover::Department,
        Role::Team => match auth.user.cadre_id {
            Some(cadre) => match q::membership_in_village(
                conn,
                cadre,
                village_id,
                zhucun_domain::calendar::today_local(),
            )? {
                Some(true) => Mover::TeamLeader,
                Some(false) => Mover::TeamMember,
                None => Mover::Other,
            },
            None => Mover::Other,
        },
        _ => Mover::Other,
    })
}

/// Move a project to another stage (`If-Match` required). Team members of the village move it
/// to `mature`, the team leader to `declared`; the department from `declared` on, including
/// `accepted`; a return (one stage back, with a comment) or a cancel by whoever could make the
/// forward move out of the current stage. Any other move is a 409 `illegal_transition` whose
/// `allowed` lists the moves the caller may make now. Each move is recorded as an event.
#[utoipa::path(tag = "projects", operation_id = "transition_project",
    params(("id" = i64, Path, description = "Project id"), IfMatch),
    request_body = TransitionRequest,
    responses((status = 200, description = "The project at its new stage", body = Project),
        (status = 409, description = "A move the caller may not make now (`illegal_transition`, with `allowed`)", body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://zhucun.example/problems/conflict", "code": "illegal_transition",
                "params": {"allowed": "mature, cancelled"}, "title": "Conflict", "status": 409,
                "detail": "a project at proposed cannot move to declared by you; you may move it to: mature, cancelled",
                "allowed": ["mature", "cancelled"]})),
        (status = 412, description = "Stale `If-Match`: someone changed the project since you loaded it", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/projects/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<TransitionRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let b = body.into_inner();
    let mut inv = Invalid::new();
    let to = inv.check(Stage::parse("to", &b.to));
    let comment = inv.check(text::optional_text("comment", b.comment.as_deref(), 2000));
    if matches!(if_match, IfMatch::Absent) {
        inv.push(
            zhucun_domain::validation::field_error(
                "If-Match",
                "a move must name the version it moves: send the ETag you loaded",
            )
            .coded("required", Vec::new()),
        );
    }
    let (Some(to), Some(comment)) = (to, comment) else {
        return Err(inv.into());
    };
    inv.into_result()?;
    let after = state
        .write_as(bearer, move |conn, auth| {
            let row = record::load::<Projects>(conn, auth, Action::Read, id)?;
            let version = row.project.version;
            if_match.check(version)?;
            let from = stage_of(&row.project.stage);
            let who = mover(conn, auth, row.project.values.village_id)?;
            let kind = rules::check_move(from, to, who).map_err(|allowed| {
                let codes: Vec<&'static str> = allowed.iter().map(|s| s.code()).collect();
                ApiError::IllegalTransition {
                    message: format!(
                        "a project at {} cannot move to {} by you; you may move it to: {}",
                        from.code(),
                        to.code(),
                        if codes.is_empty() {
                            "nothing".to_owned()
                        } else {
                            codes.join(", ")
                        }
                    ),
                    allowed: codes,
                }
            })?;
            rules::check_comment(kind, comment.as_deref()).map_err(ApiError::from)?;
            let now = zhucun_persistence::now();
            let after = q::set_stage(conn, id, version, to.code(), now)?
                .ok_or(ApiError::PreconditionFailed)?;
            q::insert_event(
                conn,
                &NewEvent {
                    department_id: row.project.department_id,
                    project_id: id,
                    from_stage: from.code().to_owned(),
                    to_stage: to.code().to_owned(),
                    comment: comment.clone(),
                    actor_id: auth.user.id,
                    actor_username: auth.user.username.clone(),
                    at: now,
                },
            )?;
            let before_view = Project::from(row);
            let after_view = Project::from(after.clone());
            audit::record(
                conn,
                &auth.audit(),
                "transition",
                Projects::ENTITY,
                id,
                Some(&before_view),
                Some(&after_view),
            )?;
            Ok(after)
        })
        .await?;
    record::respond::<Projects>(StatusCode::OK, after)
}

/// A move the caller may make now.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllowedMove {
    #[schema(example = "mature")]
    pub to: String,
    /// `forward`, `return` (one stage back) or `cancel`.
    #[schema(example = "forward")]
    pub kind: String,
    /// A return must say why.
    pub comment_required: bool,
}

/// The moves the caller may make now, in pipeline order (`cancelled` last); empty when none.
#[derive(Debug, Serialize, ToSchema)]
pub struct AllowedMoves {
    pub items: Vec<AllowedMove>,
}

/// The moves the caller may make on this project now (what a page offers as buttons). The same
/// rules as `POST /projects/{id}/transitions` decide them.
#[utoipa::path(tag = "projects", operation_id = "list_allowed_transitions", params(("id" = i64, Path, description = "Project id")),
    responses((status = 200, description = "The moves the caller may make now", body = AllowedMoves,
        example = json!({"items": [{"to": "proposed", "kind": "return", "comment_required": true},
            {"to": "declared", "kind": "forward", "comment_required": false},
            {"to": "cancelled", "kind": "cancel", "comment_required": false}]}))),
    security(("bearer" = [])))]
#[get("/projects/{id}/transitions")]
pub async fn allowed_transitions(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<web::Json<AllowedMoves>, ApiError> {
    let id = id.into_inner();
    let items = state
        .read_as(bearer, move |conn, auth| {
            let row = record::load::<Projects>(conn, auth, Action::Read, id)?;
            let from = stage_of(&row.project.stage);
            let who = mover(conn, auth, row.project.values.village_id)?;
            Ok(rules::allowed_moves(from, who)
                .into_iter()
                .filter_map(|to| {
                    rules::kind_of(from, to).map(|kind| AllowedMove {
                        to: to.code().to_owned(),
                        kind: match kind {
                            rules::Move::Forward => "forward",
                            rules::Move::Return => "return",
                            rules::Move::Cancel => "cancel",
                        }
                        .to_owned(),
                        comment_required: rules::check_comment(kind, None).is_err(),
                    })
                })
                .collect())
        })
        .await?;
    Ok(web::Json(AllowedMoves { items }))
}

/// One stage move.
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectEvent {
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = "proposed")]
    pub from: String,
    #[schema(example = "mature")]
    pub to: String,
    #[schema(example = "可行性研究已完成")]
    pub comment: Option<String>,
    pub actor_id: i64,
    #[schema(example = "team_magada")]
    pub actor_username: String,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub at: DateTime<Utc>,
}

impl From<EventRow> for ProjectEvent {
    fn from(e: EventRow) -> Self {
        Self {
            id: e.id,
            from: e.from_stage,
            to: e.to_stage,
            comment: e.comment,
            actor_id: e.actor_id,
            actor_username: e.actor_username,
            at: utc(e.at),
        }
    }
}

/// A project's stage moves, oldest first (at most 1000: a project moves a handful of times).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectEventList {
    pub items: Vec<ProjectEvent>,
}

/// The events of a project: who moved it when, from where to where, and why.
#[utoipa::path(tag = "projects", operation_id = "list_project_events", params(("id" = i64, Path, description = "Project id")),
    responses((status = 200, description = "The project's stage moves, oldest first", body = ProjectEventList)), security(("bearer" = [])))]
#[get("/projects/{id}/events")]
pub async fn events(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<web::Json<ProjectEventList>, ApiError> {
    let id = id.into_inner();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            record::load::<Projects>(conn, auth, Action::Read, id)?;
            Ok(q::events(conn, id)?)
        })
        .await?;
    Ok(web::Json(ProjectEventList {
        items: rows.into_iter().map(ProjectEvent::from).collect(),
    }))
}

/// The projects as a spreadsheet: one row per project, budget and funds in yuan.
const EXPORT: export::Table<Project> = export::Table {
    name: "驻村项目",
    ascii_name: "projects",
    columns: &[
        "编号",
        "年度",
        "村",
        "项目名称",
        "类别",
        "阶段",
        "牵头处室",
        "支持单位",
        "预算（元）",
        "资金来源",
        "到位资金（元）",
        "已支出（元）",
        "受益户数",
        "受益人数",
        "项目内容",
    ],
    cells: |p| {
        use export::{label, Cell};
        use zhucun_domain::project::{Category, Stage};
        vec![
            Cell::from(p.id),
            Cell::from(p.year),
            Cell::from(p.village_name.clone()),
            Cell::from(p.title.clone()),
            Cell::from(label(&p.category, Category::from_code, Category::label)),
            Cell::from(label(&p.stage, Stage::from_code, Stage::label)),
            Cell::from(p.office_name.clone()),
            Cell::from(p.supporting_unit.clone()),
            Cell::Fen(p.budget_fen),
            Cell::from(p.funding_source.clone()),
            Cell::Fen(p.funds_received_fen),
            Cell::Fen(p.funds_spent_fen),
            Cell::from(p.beneficiaries.households),
            Cell::from(p.beneficiaries.people),
            Cell::from(p.description.clone()),
        ]
    },
};
