//! 四议两公开: a village matter (title, description, estimated amount, optional project) decided
//! by six ordered steps, each recorded with `POST /decisions/{id}/steps` (the day, who came, how
//! they voted, notes). The party members' meeting (step 3) passes only with at least ⅔ of the
//! members present and more than half of those present in favour; the villagers' meeting
//! (step 4) needs the department's quorum and more than half of those present in favour; a vote
//! that fails stops the decision as `rejected`. Steps 5 and 6 publish a disclosure (category
//! `decision`) on the village's public board. The arithmetic is `zhucun_domain::decision`.
//!
//! Access: the village committee records the steps; the team may help (enter a matter, correct
//! its text) but a step is the committee's (403 `committee_only`); the department and the
//! administrator read.

use crate::audit;
use crate::auth::{Auth, Bearer};
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own_opt, Linkable, Planned, Record};
use crate::routes::projects::Projects;
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::decision::{self as rules, Status, Step, StepRefusal};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Role, Target};
use zhucun_persistence::decisions::{
    self as q, DecisionFilter, DecisionSort, DecisionValues, DecisionView, NewStep, StepRow,
};
use zhucun_persistence::disclosures::DisclosureValues;
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(record_step);
}

/// One recorded step.
#[derive(Debug, Serialize, ToSchema)]
pub struct DecisionStep {
    /// 1–6.
    #[schema(example = 3)]
    pub step: i32,
    /// proposal, joint_discussion, party_review, resolution, resolution_disclosure,
    /// result_disclosure.
    #[schema(example = "party_review")]
    pub code: String,
    #[schema(example = "党员大会审议")]
    pub name: String,
    #[schema(example = "2019-05-06")]
    pub held_on: NaiveDate,
    /// Entitled to attend (party members; villagers or their representatives).
    #[schema(example = 30)]
    pub entitled: Option<i64>,
    #[schema(example = 24)]
    pub present: Option<i64>,
    #[schema(example = 20)]
    pub in_favour: Option<i64>,
    #[schema(example = 3)]
    pub against: Option<i64>,
    /// Enough were present (steps 3 and 4).
    pub quorate: Option<bool>,
    /// The vote passed (steps 3 and 4).
    pub passed: Option<bool>,
    #[schema(example = "同意提交村民代表会议表决")]
    pub notes: Option<String>,
    /// The disclosure a step 5 or 6 published.
    pub disclosure_id: Option<i64>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub recorded_at: DateTime<Utc>,
}

impl From<StepRow> for DecisionStep {
    fn from(s: StepRow) -> Self {
        let step = Step::from_number(s.step);
        Self {
            step: s.step,
            code: step.map(Step::code).unwrap_or_default().to_owned(),
            name: step.map(Step::label).unwrap_or_default().to_owned(),
            held_on: s.held_on,
            entitled: s.entitled,
            present: s.present,
            in_favour: s.in_favour,
            against: s.against,
            quorate: s.quorate.map(|v| v != 0),
            passed: s.passed.map(|v| v != 0),
            notes: s.notes,
            disclosure_id: s.disclosure_id,
            recorded_at: utc(s.created_at),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Decision {
    #[schema(example = 4)]
    pub id: i64,
    pub village_id: i64,
    #[schema(example = "下地村")]
    pub village_name: String,
    pub project_id: Option<i64>,
    #[schema(example = "下地村水井、机井建设维修")]
    pub project_title: Option<String>,
    #[schema(example = "村集体牧场围栏建设")]
    pub title: String,
    #[schema(example = "在村北冬季牧场修建围栏 3 公里，由村集体经济组织实施")]
    pub description: String,
    /// Estimated cost in fen.
    #[schema(example = 12000000)]
    pub estimated_amount_fen: Option<i64>,
    /// The day the matter was put on record.
    #[schema(example = "2019-04-20")]
    pub raised_on: NaiveDate,
    /// in_progress, rejected, completed.
    #[schema(example = "in_progress")]
    pub status: String,
    /// The last recorded step (0: none yet).
    #[schema(example = 3)]
    pub last_step: i32,
    /// The step that may be recorded now (none once rejected or completed).
    #[schema(example = 4)]
    pub next_step: Option<i32>,
    #[schema(example = "resolution")]
    pub next_step_code: Option<String>,
    pub steps: Vec<DecisionStep>,
    #[schema(example = 4)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<DecisionView> for Decision {
    fn from(v: DecisionView) -> Self {
        let status = v.status();
        let r = v.decision;
        let next = rules::next_step(status, Step::from_number(r.last_step));
        let s = r.values;
        Self {
            id: r.id,
            village_id: s.village_id,
            village_name: v.village_name,
            project_id: s.project_id,
            project_title: v.project_title,
            title: s.title,
            description: s.description,
            estimated_amount_fen: s.estimated_amount_fen,
            raised_on: s.raised_on,
            status: r.status,
            last_step: r.last_step,
            next_step: next.map(Step::number),
            next_step_code: next.map(|n| n.code().to_owned()),
            steps: v.steps.into_iter().map(DecisionStep::from).collect(),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(DecisionList, Decision);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"village_id": 3, "title": "村集体牧场围栏建设",
    "description": "在村北冬季牧场修建围栏 3 公里，由村集体经济组织实施",
    "estimated_amount_fen": 12000000, "raised_on": "2019-04-20"}))]
pub struct DecisionCreate {
    pub village_id: i64,
    /// A project of the same village the matter is about.
    pub project_id: Option<i64>,
    pub title: String,
    pub description: String,
    /// Fen, not negative.
    pub estimated_amount_fen: Option<i64>,
    /// Not before 2011-10-01, not in the future.
    pub raised_on: NaiveDate,
}

/// Only the fields sent change; `null` clears an optional one. The village is fixed; the status
/// moves by steps. A rejected or completed decision is not changed (409 `decision_stopped`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"estimated_amount_fen": 11500000}))]
pub struct DecisionPatch {
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub project_id: Option<Option<i64>>,
    pub title: Option<String>,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub estimated_amount_fen: Option<Option<i64>>,
    pub raised_on: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DecisionQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `raised` (the day put on record); prefix `-` for descending. Default `-raised`.
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    /// in_progress, rejected, completed.
    pub status: Option<String>,
    /// Put on record in this year.
    pub year: Option<i32>,
    pub project_id: Option<i64>,
}

/// Decisions as versioned records (see [`crate::record`]).
pub struct Decisions;

impl Record for Decisions {
    type Table = q::Decisions;
    type View = Decision;
    const RESOURCE: Resource = Resource::Decision;
    const ENTITY: &'static str = "decision";

    fn target(v: &DecisionView) -> Target {
        Target {
            department_id: v.decision.department_id,
            village_id: Some(v.decision.values.village_id),
        }
    }
    fn active(_: &DecisionView) -> bool {
        true
    }
}

/// A decision's fields as a request leaves them (after merging a patch).
pub struct Fields<'a> {
    pub village_id: i64,
    pub project_id: Option<i64>,
    pub title: &'a str,
    pub description: &'a str,
    pub estimated_amount_fen: Option<i64>,
    pub raised_on: NaiveDate,
}

/// Largest estimated amount: ten billion yuan in fen.
const MAX_FEN: i64 = 1_000_000_000_000;

/// Validates every field at once and builds the stored values (API writes and demo data alike).
pub fn values(f: Fields<'_>) -> Result<DecisionValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let raised_on = inv.check(zhucun_domain::household::assistance_date(
        "raised_on",
        f.raised_on,
        today,
    ));
    let title = inv.check(text::name("title", f.title, 200));
    let description = inv.check(text::optional_text(
        "description",
        Some(f.description),
        5000,
    ));
    let description = match description {
        Some(None) => {
            inv.push(zhucun_domain::validation::empty("description"));
            None
        }
        d => d.flatten(),
    };
    if f.estimated_amount_fen
        .is_some_and(|a| !(0..=MAX_FEN).contains(&a))
    {
        inv.push(zhucun_domain::validation::between(
            "estimated_amount_fen",
            0,
            MAX_FEN,
        ));
    }
    let (Some(raised_on), Some(title), Some(description)) = (raised_on, title, description) else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(DecisionValues {
        village_id: f.village_id,
        project_id: f.project_id,
        title,
        description,
        estimated_amount_fen: f.estimated_amount_fen,
        raised_on,
    })
}

/// The project a decision names must be the department's and of the decision's village.
fn check_links(
    conn: &mut DbConnection,
    department_id: i64,
    values: &DecisionValues,
) -> Result<(), ApiError> {
    let project = own_opt::<Projects>(
        conn,
        department_id,
        values.project_id,
        "project_id",
        Linkable::Any,
    )?;
    if project.is_some_and(|p| p.project.values.village_id != values.village_id) {
        return Err(crate::error::coded(
            "project_id",
            "project_other_village",
            "the project must be one of the decision's village",
        ));
    }
    Ok(())
}

fn stopped(status: Status) -> ApiError {
    ApiError::RefusedWith {
        code: "decision_stopped",
        message: format!(
            "the decision is {}: no step is recorded and nothing changes any more",
            status.code()
        ),
        params: vec![("status", status.code().to_owned())],
    }
}

/// The village committee records the steps, publishes and withdraws; others who may change the
/// row (the team) are refused with a code.
pub fn committee_only(auth: &Auth) -> Result<(), ApiError> {
    if auth.role == Role::VillageCommittee {
        Ok(())
    } else {
        Err(ApiError::ForbiddenBecause {
            code: "committee_only",
            message: "only the village committee records a decision's steps and publishes or \
                      withdraws disclosures"
                .to_owned(),
        })
    }
}

/// A year as a checked range of days.
pub fn year_range(inv: &mut Invalid, year: Option<i32>) -> Option<(NaiveDate, NaiveDate)> {
    let y = year?;
    if !(2011..=2100).contains(&y) {
        inv.push(zhucun_domain::validation::between("year", 2011, 2100));
        return None;
    }
    NaiveDate::from_ymd_opt(y, 1, 1).zip(NaiveDate::from_ymd_opt(y, 12, 31))
}

/// List the decisions of the villages the caller may see, the newest first.
#[utoipa::path(tag = "decisions", operation_id = "list_decisions", params(DecisionQuery),
    responses((status = 200, description = "One page of decisions", body = DecisionList)), security(("bearer" = [])))]
#[get("/decisions")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<DecisionQuery>,
) -> Result<web::Json<DecisionList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<DecisionSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let mut inv = Invalid::new();
    let status = query
        .status
        .as_deref()
        .and_then(|s| inv.check(Status::parse("status", s)))
        .map(|s| s.code().to_owned());
    let raised_between = year_range(&mut inv, query.year);
    inv.into_result()?;
    let filter = DecisionFilter {
        department_id: 0,
        only_villages: None,
        village_id: query.village_id,
        status,
        raised_between,
        project_id: query.project_id,
    };
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Decision).map_err(ApiError::from)?;
            let filter = DecisionFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                ..filter
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(DecisionList {
        items,
        next_cursor,
        total,
    }))
}

/// Put a village matter on record (the committee or the team of the village). It starts
/// `in_progress`, before its first step.
#[utoipa::path(tag = "decisions", operation_id = "create_decision", request_body = DecisionCreate,
    params(Idempotency),
    responses((status = 201, description = "Put on record", body = Decision)), security(("bearer" = [])))]
#[post("/decisions")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<DecisionCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: b.village_id,
        project_id: b.project_id,
        title: &b.title,
        description: &b.description,
        estimated_amount_fen: b.estimated_amount_fen,
        raised_on: b.raised_on,
    });
    record::create::<Decisions, _, _>(&state, bearer, idem, b, move |conn, auth| {
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

/// One decision with its steps and the step that comes next.
#[utoipa::path(tag = "decisions", operation_id = "get_decision", params(("id" = i64, Path, description = "Decision id")),
    responses((status = 200, description = "The decision", body = Decision)), security(("bearer" = [])))]
#[get("/decisions/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Decisions>(&state, bearer, id.into_inner()).await
}

/// Correct a decision's text while it is in progress (the committee or the team of the village).
#[utoipa::path(tag = "decisions", operation_id = "update_decision",
    params(("id" = i64, Path, description = "Decision id"), IfMatch),
    request_body = DecisionPatch,
    responses((status = 200, description = "The changed decision", body = Decision),
        (status = 409, description = "The decision is rejected or completed (`decision_stopped`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/decisions/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<DecisionPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Decisions, _>(
        &state,
        bearer,
        if_match,
        id.into_inner(),
        move |conn, view| {
            let status = view.status();
            if status.is_stopped() {
                return Err(stopped(status));
            }
            let s = &view.decision.values;
            let values = values(Fields {
                village_id: s.village_id,
                project_id: patch(&p.project_id, &s.project_id),
                title: p.title.as_deref().unwrap_or(&s.title),
                description: p.description.as_deref().unwrap_or(&s.description),
                estimated_amount_fen: patch(&p.estimated_amount_fen, &s.estimated_amount_fen),
                raised_on: p.raised_on.unwrap_or(s.raised_on),
            })?;
            check_links(conn, view.decision.department_id, &values)?;
            Ok(Planned {
                village_id: Some(s.village_id),
                values,
            })
        },
    )
    .await
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"step": 3, "held_on": "2019-05-06", "entitled": 30, "present": 24,
    "in_favour": 20, "against": 3, "notes": "同意提交村民代表会议表决"}))]
pub struct StepCreate {
    /// 1–6: the step that comes next.
    pub step: i32,
    /// Not before the previous step's day, not in the future.
    pub held_on: NaiveDate,
    /// Entitled to attend: party members (step 3), villagers or representatives (step 4).
    /// Required for steps 3 and 4.
    pub entitled: Option<i64>,
    /// Required for steps 3 and 4.
    pub present: Option<i64>,
    /// Required for steps 3 and 4.
    pub in_favour: Option<i64>,
    pub against: Option<i64>,
    /// What was said or decided. For steps 5 and 6 the text published on the village's board
    /// (required there; no names or phones of households).
    pub notes: Option<String>,
}

/// Record the next step of a decision (the village committee). The step must be the one that
/// comes next (409 `decision_step_out_of_order` naming it in `params.next_step`); a rejected or
/// completed decision takes none (409 `decision_stopped`). Steps 3 and 4 are votes: a vote that
/// fails (too few present, or not more than half of those present in favour) is recorded and
/// stops the decision as `rejected`. Steps 5 and 6 publish a disclosure of category `decision`.
/// `If-Match` is optional; when sent it must be the current version.
#[utoipa::path(tag = "decisions", operation_id = "record_decision_step",
    params(("id" = i64, Path, description = "Decision id"), IfMatch),
    request_body = StepCreate,
    responses((status = 200, description = "The decision with the step recorded", body = Decision),
        (status = 403, description = "Not the village committee (`committee_only`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not the step that comes next (`decision_step_out_of_order`), or the decision stopped (`decision_stopped`)", body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://zhucun.example/problems/conflict", "code": "decision_step_out_of_order",
                "params": {"next_step": "3", "next_step_code": "party_review"}, "title": "Conflict", "status": 409,
                "detail": "step 4 cannot be recorded now; the step that comes next is 3 (party_review)"}))),
    security(("bearer" = [])))]
#[post("/decisions/{id}/steps")]
pub async fn record_step(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<StepCreate>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let b = body.into_inner();
    let mut inv = Invalid::new();
    let step = inv.check(Step::parse("step", b.step));
    let notes = inv.check(text::optional_text("notes", b.notes.as_deref(), 5000));
    let vote = match step {
        Some(s) => match rules::check_vote(s, b.entitled, b.present, b.in_favour, b.against) {
            Ok(v) => Some(v),
            Err(errors) => {
                inv.errors.extend(errors);
                None
            }
        },
        None => None,
    };
    if let (Some(s), Some(None)) = (step, &notes) {
        if s.discloses() {
            inv.push(zhucun_domain::validation::required("notes"));
        }
    }
    let today = zhucun_domain::calendar::today_local();
    if b.held_on > today {
        inv.push(
            zhucun_domain::validation::field_error("held_on", "must not be in the future")
                .coded("not_future", Vec::new()),
        );
    }
    let (Some(step), Some(notes), Some(vote)) = (step, notes, vote) else {
        return Err(inv.into());
    };
    inv.into_result()?;
    let held_on = b.held_on;
    let after = state
        .write_as(bearer, move |conn, auth| {
            let row = record::load::<Decisions>(conn, auth, Action::Update, id)?;
            committee_only(auth)?;
            let version = row.decision.version;
            if_match.check(version)?;
            let status = row.status();
            let last = Step::from_number(row.decision.last_step);
            rules::check_step(status, last, step).map_err(|refusal| match refusal {
                StepRefusal::Stopped(s) => stopped(s),
                StepRefusal::OutOfOrder { next } => ApiError::RefusedWith {
                    code: "decision_step_out_of_order",
                    message: format!(
                        "step {} cannot be recorded now; the step that comes next is {} ({})",
                        step.number(),
                        next.number(),
                        next.code()
                    ),
                    params: vec![
                        ("next_step", next.number().to_string()),
                        ("next_step_code", next.code().to_owned()),
                    ],
                },
            })?;
            let previous = row.steps.iter().map(|s| s.held_on).max();
            if let Some(e) = rules::check_step_date(held_on, previous, today) {
                return Err(e.into());
            }
            let dept = zhucun_persistence::departments::get(conn, row.decision.department_id)?;
            let outcome =
                vote.and_then(|v| rules::outcome(step, &v, dept.villagers_quorum_percent));
            let now = zhucun_persistence::now();
            let disclosure_id = if step.discloses() {
                let values = DisclosureValues {
                    village_id: row.decision.values.village_id,
                    category: zhucun_domain::disclosure::Category::Decision
                        .code()
                        .to_owned(),
                    title: format!("{}：{}", step.label(), row.decision.values.title),
                    body: notes.clone().unwrap_or_default(),
                    period_from: held_on,
                    period_to: held_on,
                };
                Some(zhucun_persistence::disclosures::insert_published(
                    conn,
                    row.decision.department_id,
                    &values,
                    id,
                    step.number(),
                    held_on,
                    now,
                )?)
            } else {
                None
            };
            let flag = |b: bool| i32::from(b);
            let new = NewStep {
                department_id: row.decision.department_id,
                decision_id: id,
                step: step.number(),
                held_on,
                entitled: b.entitled,
                present: b.present,
                in_favour: b.in_favour,
                against: b.against,
                quorate: outcome.map(|o| flag(o.quorate)),
                passed: outcome.map(|o| flag(o.passed())),
                notes,
                disclosure_id,
                recorded_by: auth.user.id,
                created_at: now,
            };
            let to = rules::status_after(step, outcome);
            let after = q::record_step(conn, version, &new, to, now)?
                .ok_or(ApiError::PreconditionFailed)?;
            audit::record(
                conn,
                &auth.audit(),
                "step",
                Decisions::ENTITY,
                id,
                Some(&Decision::from(row)),
                Some(&Decision::from(after.clone())),
            )?;
            Ok(after)
        })
        .await?;
    record::respond::<Decisions>(StatusCode::OK, after)
}
