//! Residents' needs (群众诉求): a difficulty raised by a household of the village or by someone
//! named in free text, when, what about, and by when it should be answered; where it stands
//! moves `open → in_progress → resolved / declined` (or straight from `open` to an answer) only
//! through `POST /needs/{id}/transitions` with `If-Match` — declining says why, resolving says
//! how (and may note the residents' satisfaction). The state machine is
//! `zhucun_domain::need`.
//!
//! Unlike other village work, the village committee raises and moves needs as the team does (the
//! people come to them); the department sees every village's, the oldest open first, and may
//! correct them.

use crate::audit;
use crate::auth::Bearer;
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::export;
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
use zhucun_domain::need::{self as rules, Category, Closing, Status};
use zhucun_domain::validation::no_such;
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Target};
use zhucun_persistence::needs::{self as q, NeedFilter, NeedSort, NeedValues, NeedView};
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(transition);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Need {
    #[schema(example = 5)]
    pub id: i64,
    pub village_id: i64,
    #[schema(example = "下地村")]
    pub village_name: String,
    /// The household that raised it, if it was one.
    pub household_id: Option<i64>,
    #[schema(example = "扎西次仁")]
    pub household_name: Option<String>,
    /// Who raised it, when it was not a household of the village.
    #[schema(example = json!(null))]
    pub raised_by: Option<String>,
    #[schema(example = "2019-04-02")]
    pub raised_on: NaiveDate,
    /// water, road, electricity, housing, health, education, income, other.
    #[schema(example = "water")]
    pub category: String,
    #[schema(example = "村东水井损坏，取水困难")]
    pub description: String,
    /// By when it should be answered.
    #[schema(example = "2019-06-30")]
    pub due_on: Option<NaiveDate>,
    /// Open or in progress past its due day (today, Asia/Shanghai).
    pub overdue: bool,
    pub project_id: Option<i64>,
    #[schema(example = "下地村水井、机井建设维修")]
    pub project_title: Option<String>,
    /// open, in_progress, resolved, declined.
    #[schema(example = "resolved")]
    pub status: String,
    /// How it was resolved.
    #[schema(example = "通过水井维修项目修复水井")]
    pub resolution: Option<String>,
    /// The residents' satisfaction, noted when resolved.
    #[schema(example = "群众满意")]
    pub satisfaction: Option<String>,
    /// Why it was declined.
    #[schema(example = json!(null))]
    pub decline_reason: Option<String>,
    /// The day it was resolved or declined.
    #[schema(example = "2019-09-20")]
    pub closed_on: Option<NaiveDate>,
    #[schema(example = 3)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<NeedView> for Need {
    fn from(v: NeedView) -> Self {
        let status = v.status();
        let r = v.need;
        let s = r.values;
        Self {
            id: r.id,
            village_id: s.village_id,
            village_name: v.village_name,
            household_id: s.household_id,
            household_name: v.household_name,
            raised_by: s.raised_by,
            raised_on: s.raised_on,
            category: s.category,
            description: s.description,
            overdue: rules::is_overdue(status, s.due_on, zhucun_domain::calendar::today_local()),
            due_on: s.due_on,
            project_id: s.project_id,
            project_title: v.project_title,
            status: r.status,
            resolution: r.resolution,
            satisfaction: r.satisfaction,
            decline_reason: r.decline_reason,
            closed_on: r.closed_on,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(NeedList, Need);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"village_id": 3, "raised_by": "村民代表 顿珠", "raised_on": "2019-04-02",
    "category": "road", "description": "通村道路雨季塌方，车辆无法通行", "due_on": "2019-08-31"}))]
pub struct NeedCreate {
    pub village_id: i64,
    /// A household of the same village — or `raised_by`, not both.
    pub household_id: Option<i64>,
    /// Who raised it, in words — or `household_id`, not both.
    pub raised_by: Option<String>,
    /// Not before 2011-10-01, not in the future.
    pub raised_on: NaiveDate,
    pub category: String,
    pub description: String,
    /// Not before `raised_on`.
    pub due_on: Option<NaiveDate>,
    /// A project of the same village that answers it.
    pub project_id: Option<i64>,
}

/// Only the fields sent change; `null` clears an optional one. The village and the status are
/// fixed (the status moves by transitions).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"due_on": "2019-09-30"}))]
pub struct NeedPatch {
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub household_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub raised_by: Option<Option<String>>,
    pub raised_on: Option<NaiveDate>,
    pub category: Option<String>,
    pub description: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub due_on: Option<Option<NaiveDate>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub project_id: Option<Option<i64>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct NeedQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `queue` (open and in progress first, the oldest first; then the answered ones) or `raised`
    /// (the day raised); prefix `-` for descending. Default `queue`.
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    /// A status code.
    pub status: Option<String>,
    /// A category code.
    pub category: Option<String>,
    /// `true`: only needs open or in progress past their due day.
    pub overdue: Option<bool>,
    pub household_id: Option<i64>,
    pub project_id: Option<i64>,
    /// Text in the description or in who raised it.
    pub q: Option<String>,
    /// `json` (default), `csv` or `xlsx`: the whole list with these filters as a download.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// Needs as versioned records (see [`crate::record`]).
pub struct Needs;

impl Record for Needs {
    type Table = q::Needs;
    type View = Need;
    const RESOURCE: Resource = Resource::Need;
    const ENTITY: &'static str = "need";

    fn target(v: &NeedView) -> Target {
        Target {
            department_id: v.need.department_id,
            village_id: Some(v.need.values.village_id),
        }
    }
    fn active(_: &NeedView) -> bool {
        true
    }
}

/// A need's fields as a request leaves them (after merging a patch).
pub struct Fields<'a> {
    pub village_id: i64,
    pub household_id: Option<i64>,
    pub raised_by: Option<&'a str>,
    pub raised_on: NaiveDate,
    pub category: &'a str,
    pub description: &'a str,
    pub due_on: Option<NaiveDate>,
    pub project_id: Option<i64>,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
/// The references (village, household, project) are checked by [`check_links`].
pub fn values(f: Fields<'_>) -> Result<NeedValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let raised_on = inv.check(zhucun_domain::household::assistance_date(
        "raised_on",
        f.raised_on,
        today,
    ));
    let raised_by = inv.check(text::optional_line("raised_by", f.raised_by, 100));
    let category = inv.check(Category::parse("category", f.category));
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
    if let Some(e) = rules::check_raiser(f.household_id.is_some(), f.raised_by) {
        if !inv.errors.iter().any(|x| x.field == e.field) {
            inv.push(e);
        }
    }
    if let Some(raised_on) = raised_on {
        inv.errors.extend(rules::check_due(raised_on, f.due_on));
    }
    let (Some(raised_on), Some(raised_by), Some(category), Some(description)) =
        (raised_on, raised_by, category, description)
    else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(NeedValues {
        village_id: f.village_id,
        household_id: f.household_id,
        search_text: text::search_key([Some(description.as_str()), raised_by.as_deref()]),
        raised_by,
        raised_on,
        category: category.code().to_owned(),
        description,
        due_on: f.due_on,
        project_id: f.project_id,
    })
}

/// The household and project a need names must be the department's and of the need's village.
pub fn check_links(
    conn: &mut DbConnection,
    department_id: i64,
    values: &NeedValues,
) -> Result<(), ApiError> {
    if let Some(h) = values.household_id {
        match zhucun_persistence::pairings::household_place(conn, h)? {
            Some((d, v)) if d == department_id => {
                if v != values.village_id {
                    return Err(crate::error::coded(
                        "household_id",
                        "household_other_village",
                        "the household is not of the need's village",
                    ));
                }
            }
            _ => return Err(no_such("household_id", "household", false).into()),
        }
    }
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
            "the project must be one of the need's village",
        ));
    }
    Ok(())
}

/// List the needs of the villages the caller may see: by default the queue, the oldest open
/// first.
#[utoipa::path(tag = "needs", operation_id = "list_needs", params(NeedQuery),
    responses((status = 200, description = "One page of needs, or (format=csv|xlsx) the whole list as a download",
        content((NeedList = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))), security(("bearer" = [])))]
#[get("/needs")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    http: actix_web::HttpRequest,
    query: web::Query<NeedQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let form = export::requested(&http, query.format.as_deref())?;
    let req = ListRequest::<NeedSort>::parse(
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
    let category = query
        .category
        .as_deref()
        .and_then(|c| inv.check(Category::parse("category", c)))
        .map(|c| c.code().to_owned());
    inv.into_result()?;
    let filter = NeedFilter {
        department_id: 0,
        only_villages: None,
        village_id: query.village_id,
        status,
        category,
        household_id: query.household_id,
        project_id: query.project_id,
        overdue_on: query
            .overdue
            .unwrap_or(false)
            .then(zhucun_domain::calendar::today_local),
        search: query
            .q
            .as_deref()
            .and_then(text::search_query)
            .map(|s| text::like_contains(&s)),
    };
    let fetch = move |conn: &mut DbConnection, auth: &crate::auth::Auth, page: &_| {
        let scope = list_scope(&auth.actor, Resource::Need).map_err(ApiError::from)?;
        let filter = NeedFilter {
            department_id: scope.department_id,
            only_villages: scope.villages,
            ..filter.clone()
        };
        Ok(q::list(conn, &filter, page)?)
    };
    export::list::<_, NeedList, _>(state, bearer, form, req, fetch, EXPORT).await
}

/// Raise a need in a village (the team or the committee of the village, or the department). It
/// starts `open`.
#[utoipa::path(tag = "needs", operation_id = "create_need", request_body = NeedCreate,
    params(Idempotency),
    responses((status = 201, description = "Raised", body = Need)), security(("bearer" = [])))]
#[post("/needs")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<NeedCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: b.village_id,
        household_id: b.household_id,
        raised_by: b.raised_by.as_deref(),
        raised_on: b.raised_on,
        category: &b.category,
        description: &b.description,
        due_on: b.due_on,
        project_id: b.project_id,
    });
    record::create::<Needs, _, _>(&state, bearer, idem, b, move |conn, auth| {
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

/// One need.
#[utoipa::path(tag = "needs", operation_id = "get_need", params(("id" = i64, Path, description = "Need id")),
    responses((status = 200, description = "The need", body = Need)), security(("bearer" = [])))]
#[get("/needs/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Needs>(&state, bearer, id.into_inner()).await
}

/// Correct a need's fields (the team or committee of the village, or the department). The status
/// moves by transitions only.
#[utoipa::path(tag = "needs", operation_id = "update_need",
    params(("id" = i64, Path, description = "Need id"), IfMatch),
    request_body = NeedPatch, responses((status = 200, description = "The changed need", body = Need)), security(("bearer" = [])))]
#[patch("/needs/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<NeedPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Needs, _>(
        &state,
        bearer,
        if_match,
        id.into_inner(),
        move |conn, view| {
            let s = &view.need.values;
            let values = values(Fields {
                village_id: s.village_id,
                household_id: patch(&p.household_id, &s.household_id),
                raised_by: patch(&p.raised_by, &s.raised_by).as_deref(),
                raised_on: p.raised_on.unwrap_or(s.raised_on),
                category: p.category.as_deref().unwrap_or(&s.category),
                description: p.description.as_deref().unwrap_or(&s.description),
                due_on: patch(&p.due_on, &s.due_on),
                project_id: patch(&p.project_id, &s.project_id),
            })?;
            check_links(conn, view.need.department_id, &values)?;
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
#[schema(example = json!({"to": "resolved", "resolution": "通过水井维修项目修复水井", "satisfaction": "群众满意"}))]
pub struct NeedTransition {
    /// in_progress, resolved or declined (from open); resolved or declined (from in_progress).
    pub to: String,
    /// Why it is declined (required when `to` is `declined`, only then).
    pub reason: Option<String>,
    /// How it was resolved (required when `to` is `resolved`, only then).
    pub resolution: Option<String>,
    /// The residents' satisfaction (only when `to` is `resolved`).
    pub satisfaction: Option<String>,
}

/// Move a need (`If-Match` required): open → in_progress, resolved or declined; in_progress →
/// resolved or declined. Declining needs a `reason`, resolving a `resolution` (and may note
/// `satisfaction`). Any other move is a 409 `illegal_transition` whose `allowed` lists the moves
/// there are. The team and committee of the village and the department may move needs.
#[utoipa::path(tag = "needs", operation_id = "transition_need",
    params(("id" = i64, Path, description = "Need id"), IfMatch),
    request_body = NeedTransition,
    responses((status = 200, description = "The need at its new status", body = Need),
        (status = 409, description = "A move there is not (`illegal_transition`, with `allowed`)", body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://zhucun.example/problems/conflict", "code": "illegal_transition",
                "params": {"allowed": "resolved, declined"}, "title": "Conflict", "status": 409,
                "detail": "a need in_progress cannot move to open; it may move to: resolved, declined",
                "allowed": ["resolved", "declined"]})),
        (status = 412, description = "Stale `If-Match`: someone changed the need since you loaded it", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/needs/{id}/transitions")]
pub async fn transition(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<NeedTransition>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let b = body.into_inner();
    let mut inv = Invalid::new();
    let to = inv.check(Status::parse("to", &b.to));
    let reason = inv.check(text::optional_text("reason", b.reason.as_deref(), 2000));
    let resolution = inv.check(text::optional_text(
        "resolution",
        b.resolution.as_deref(),
        2000,
    ));
    let satisfaction = inv.check(text::optional_line(
        "satisfaction",
        b.satisfaction.as_deref(),
        200,
    ));
    if matches!(if_match, IfMatch::Absent) {
        inv.push(
            zhucun_domain::validation::field_error(
                "If-Match",
                "a move must name the version it moves: send the ETag you loaded",
            )
            .coded("required", Vec::new()),
        );
    }
    if let Some(to) = to {
        for e in rules::check_closing(
            to,
            Closing {
                reason: b.reason.as_deref(),
                resolution: b.resolution.as_deref(),
                satisfaction: b.satisfaction.as_deref(),
            },
        ) {
            if !inv.errors.iter().any(|x| x.field == e.field) {
                inv.push(e);
            }
        }
    }
    let (Some(to), Some(reason), Some(resolution), Some(satisfaction)) =
        (to, reason, resolution, satisfaction)
    else {
        return Err(inv.into());
    };
    inv.into_result()?;
    let after = state
        .write_as(bearer, move |conn, auth| {
            let row = record::load::<Needs>(conn, auth, Action::Update, id)?;
            let version = row.need.version;
            if_match.check(version)?;
            let from = row.status();
            rules::check_move(from, to).map_err(|allowed| {
                let codes: Vec<&'static str> = allowed.iter().map(|s| s.code()).collect();
                ApiError::IllegalTransition {
                    message: format!(
                        "a need {} cannot move to {}; it may move to: {}",
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
            let closed = !to.is_open();
            let m = q::Move {
                to,
                resolution: if to == Status::Resolved {
                    resolution
                } else {
                    None
                },
                satisfaction: if to == Status::Resolved {
                    satisfaction
                } else {
                    None
                },
                decline_reason: if to == Status::Declined { reason } else { None },
                closed_on: closed.then(zhucun_domain::calendar::today_local),
            };
            let after = q::set_status(conn, id, version, &m, zhucun_persistence::now())?
                .ok_or(ApiError::PreconditionFailed)?;
            audit::record(
                conn,
                &auth.audit(),
                "transition",
                Needs::ENTITY,
                id,
                Some(&Need::from(row)),
                Some(&Need::from(after.clone())),
            )?;
            Ok(after)
        })
        .await?;
    record::respond::<Needs>(StatusCode::OK, after)
}

/// The needs as a spreadsheet: one row per need, codes as their Chinese names.
const EXPORT: export::Table<Need> = export::Table {
    name: "群众诉求",
    ascii_name: "needs",
    columns: &[
        "编号",
        "村",
        "提出日期",
        "类别",
        "户主",
        "提出人",
        "诉求内容",
        "办理期限",
        "是否逾期",
        "状态",
        "关联项目",
        "办理结果",
        "群众满意度",
        "不予办理原因",
        "办结日期",
    ],
    cells: |n| {
        use export::{label, Cell};
        use zhucun_domain::need::{Category, Status};
        vec![
            Cell::from(n.id),
            Cell::from(n.village_name.clone()),
            Cell::from(n.raised_on),
            Cell::from(label(&n.category, Category::from_code, Category::label)),
            Cell::from(n.household_name.clone()),
            Cell::from(n.raised_by.clone()),
            Cell::from(n.description.clone()),
            Cell::from(n.due_on),
            Cell::from(if n.overdue { "是" } else { "否" }),
            Cell::from(label(&n.status, Status::from_code, Status::label)),
            Cell::from(n.project_title.clone()),
            Cell::from(n.resolution.clone()),
            Cell::from(n.satisfaction.clone()),
            Cell::from(n.decline_reason.clone()),
            Cell::from(n.closed_on),
        ]
    },
};

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields<'static> {
        Fields {
            village_id: 1,
            household_id: None,
            raised_by: Some("村民 顿珠"),
            raised_on: NaiveDate::from_ymd_opt(2019, 4, 2).unwrap_or_default(),
            category: "water",
            description: "水井损坏",
            due_on: None,
            project_id: None,
        }
    }

    #[test]
    fn a_need_is_raised_by_a_household_or_in_words() {
        assert!(values(fields()).is_ok());
        let mut f = fields();
        f.household_id = Some(4);
        assert!(values(f).is_err());
        let mut f = fields();
        f.household_id = Some(4);
        f.raised_by = None;
        assert!(values(f).is_ok());
    }

    #[test]
    fn every_bad_field_at_once() {
        let mut f = fields();
        f.raised_on = NaiveDate::from_ymd_opt(2010, 1, 1).unwrap_or_default();
        f.raised_by = None;
        f.category = "weather";
        f.description = "  ";
        let got: Vec<String> = values(f)
            .err()
            .map(|i| i.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(got, ["raised_on", "category", "description", "raised_by"]);
        let mut f = fields();
        f.due_on = NaiveDate::from_ymd_opt(2019, 4, 1);
        let got: Vec<String> = values(f)
            .err()
            .map(|i| i.errors.into_iter().map(|e| e.field).collect())
            .unwrap_or_default();
        assert_eq!(got, ["due_on"]);
    }
}
