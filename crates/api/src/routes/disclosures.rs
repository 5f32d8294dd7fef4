//! 村务公开: a village's disclosures — general matters, finances, major matters, and the
//! disclosures a decision's steps 5 and 6 publish (category `decision`). A disclosure is drafted
//! (the committee or the team of the village), published by the committee
//! (`POST /disclosures/{id}/publication`) and may be withdrawn by the committee with a reason
//! (`POST /disclosures/{id}/withdrawal`), after which it stays visible as withdrawn. Only drafts
//! are edited.
//!
//! The disclosure calendar (`GET /disclosures/calendar`) computes what is due and what is overdue
//! in a village's year from the ledger, the decisions and the published disclosures
//! (`zhucun_domain::disclosure::calendar`).
//!
//! The public board (`/public/villages/{id}/disclosures`, `/public/disclosures/{id}`) answers
//! without a login: the village's published disclosures and the withdrawn ones as withdrawn (title,
//! the day and the reason; not the withdrawn text), never drafts; no user, household or department
//! data. It is paginated, rate-limited per client by the public limiter (429 + `Retry-After`,
//! `crate::ratelimit`), and cacheable: `ETag` over the answer, `If-None-Match` → 304,
//! `Cache-Control: public, max-age=60`.

use crate::audit;
use crate::auth::Bearer;
use crate::dto::utc;
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::{ListRequest, ListTotal};
use crate::record::{self, Linkable, Planned, Record};
use crate::routes::decisions::{committee_only, year_range};
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::http::{header, StatusCode};
use actix_web::{get, patch, post, web, HttpRequest, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::disclosure::{self as rules, Category, Move, Status};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Target};
use zhucun_persistence::disclosures::{
    self as q, DisclosureFilter, DisclosureSort, DisclosureValues, DisclosureView,
};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(calendar)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(publication)
        .service(withdrawal)
        .service(public_list)
        .service(public_read);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Disclosure {
    #[schema(example = 12)]
    pub id: i64,
    pub village_id: i64,
    #[schema(example = "下地村")]
    pub village_name: String,
    /// general, finance, major, decision.
    #[schema(example = "finance")]
    pub category: String,
    #[schema(example = "2019年5月村级财务收支公开")]
    pub title: String,
    #[schema(
        example = "本月收入：财政拨付 200,000.00 元；社会捐赠 10,000.00 元。本月支出：水井维修 35,000.00 元。"
    )]
    pub body: String,
    #[schema(example = "2019-05-01")]
    pub period_from: NaiveDate,
    #[schema(example = "2019-05-31")]
    pub period_to: NaiveDate,
    /// draft, published, withdrawn.
    #[schema(example = "published")]
    pub status: String,
    /// The day it was published (Asia/Shanghai).
    #[schema(example = "2019-06-05")]
    pub published_on: Option<NaiveDate>,
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub withdrawn_at: Option<DateTime<Utc>>,
    #[schema(example = json!(null))]
    pub withdrawal_reason: Option<String>,
    /// The decision a step 5 or 6 disclosed.
    pub decision_id: Option<i64>,
    pub decision_title: Option<String>,
    pub decision_step: Option<i32>,
    #[schema(example = 2)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<DisclosureView> for Disclosure {
    fn from(v: DisclosureView) -> Self {
        let r = v.disclosure;
        let s = r.values;
        Self {
            id: r.id,
            village_id: s.village_id,
            village_name: v.village_name,
            category: s.category,
            title: s.title,
            body: s.body,
            period_from: s.period_from,
            period_to: s.period_to,
            status: r.status,
            published_on: r.published_on,
            published_at: r.published_at.map(utc),
            withdrawn_at: r.withdrawn_at.map(utc),
            withdrawal_reason: r.withdrawal_reason,
            decision_id: r.decision_id,
            decision_title: v.decision_title,
            decision_step: r.decision_step,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(DisclosureList, Disclosure);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"village_id": 3, "category": "finance", "title": "2019年5月村级财务收支公开",
    "body": "本月收入：财政拨付 200,000.00 元；社会捐赠 10,000.00 元。本月支出：水井维修 35,000.00 元。",
    "period_from": "2019-05-01", "period_to": "2019-05-31"}))]
pub struct DisclosureCreate {
    pub village_id: i64,
    /// general, finance or major (`decision` disclosures are published by a decision's steps).
    pub category: String,
    pub title: String,
    /// The text published (no names or phones of households).
    pub body: String,
    pub period_from: NaiveDate,
    /// Not before `period_from`; a year at most.
    pub period_to: NaiveDate,
}

/// Only the fields sent change; only a draft is edited (409 `disclosure_not_draft`).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"title": "2019年5月村级财务收支公开（更正）"}))]
pub struct DisclosurePatch {
    pub category: Option<String>,
    pub title: Option<String>,
    pub body: Option<String>,
    pub period_from: Option<NaiveDate>,
    pub period_to: Option<NaiveDate>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DisclosureQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `period` (the first day covered); prefix `-` for descending. Default `-period`.
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    /// draft, published, withdrawn.
    pub status: Option<String>,
    /// general, finance, major, decision.
    pub category: Option<String>,
    /// Covering part of this year.
    pub year: Option<i32>,
    pub decision_id: Option<i64>,
}

/// Disclosures as versioned records (see [`crate::record`]).
pub struct Disclosures;

impl Record for Disclosures {
    type Table = q::Disclosures;
    type View = Disclosure;
    const RESOURCE: Resource = Resource::Disclosure;
    const ENTITY: &'static str = "disclosure";

    fn target(v: &DisclosureView) -> Target {
        Target {
            department_id: v.disclosure.department_id,
            village_id: Some(v.disclosure.values.village_id),
        }
    }
    fn active(_: &DisclosureView) -> bool {
        true
    }
}

/// A draft's fields as a request leaves them.
pub struct Fields<'a> {
    pub village_id: i64,
    pub category: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
pub fn values(f: Fields<'_>) -> Result<DisclosureValues, Invalid> {
    let mut inv = Invalid::new();
    let category = inv.check(rules::parse_manual_category("category", f.category));
    let title = inv.check(text::name("title", f.title, 200));
    let body = inv.check(text::optional_text("body", Some(f.body), 20_000));
    let body = match body {
        Some(None) => {
            inv.push(zhucun_domain::validation::empty("body"));
            None
        }
        b => b.flatten(),
    };
    if f.period_from < zhucun_domain::organisation::programme_start() {
        inv.push(
            zhucun_domain::validation::field_error(
                "period_from",
                "must not be before the programme began (2011-10-01)",
            )
            .coded("before_programme", vec![("date", "2011-10-01".to_owned())]),
        );
    }
    inv.errors
        .extend(rules::check_period(f.period_from, f.period_to));
    let (Some(category), Some(title), Some(body)) = (category, title, body) else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(DisclosureValues {
        village_id: f.village_id,
        category: category.code().to_owned(),
        title,
        body,
        period_from: f.period_from,
        period_to: f.period_to,
    })
}

/// List the disclosures of the villages the caller may see (drafts included), the newest period
/// first.
#[utoipa::path(tag = "disclosures", operation_id = "list_disclosures", params(DisclosureQuery),
    responses((status = 200, description = "One page of disclosures", body = DisclosureList)), security(("bearer" = [])))]
#[get("/disclosures")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<DisclosureQuery>,
) -> Result<web::Json<DisclosureList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<DisclosureSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let mut inv = Invalid::new();
    let status = query
        .status
        .as_deref()
        .and_then(|s| inv.check(Status::parse("status", s)))
        .map(|s| vec![s.code().to_owned()]);
    let category = query
        .category
        .as_deref()
        .and_then(|c| inv.check(Category::parse("category", c)))
        .map(|c| c.code().to_owned());
    let within = year_range(&mut inv, query.year);
    inv.into_result()?;
    let filter = DisclosureFilter {
        department_id: None,
        only_villages: None,
        village_id: query.village_id,
        statuses: status,
        category,
        within,
        decision_id: query.decision_id,
    };
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Disclosure).map_err(ApiError::from)?;
            let filter = DisclosureFilter {
                department_id: Some(scope.department_id),
                only_villages: scope.villages,
                ..filter
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(DisclosureList {
        items,
        next_cursor,
        total,
    }))
}

/// Draft a disclosure (the committee or the team of the village). It starts as a `draft`.
#[utoipa::path(tag = "disclosures", operation_id = "create_disclosure", request_body = DisclosureCreate,
    params(Idempotency),
    responses((status = 201, description = "Drafted", body = Disclosure)), security(("bearer" = [])))]
#[post("/disclosures")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<DisclosureCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: b.village_id,
        category: &b.category,
        title: &b.title,
        body: &b.body,
        period_from: b.period_from,
        period_to: b.period_to,
    });
    record::create::<Disclosures, _, _>(&state, bearer, idem, b, move |conn, auth| {
        let values = values?;
        record::own::<Villages>(
            conn,
            auth.department_id(),
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

/// One disclosure (drafts included).
#[utoipa::path(tag = "disclosures", operation_id = "get_disclosure", params(("id" = i64, Path, description = "Disclosure id")),
    responses((status = 200, description = "The disclosure", body = Disclosure)), security(("bearer" = [])))]
#[get("/disclosures/{id:[0-9]+}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Disclosures>(&state, bearer, id.into_inner()).await
}

fn not_draft(status: Status) -> ApiError {
    ApiError::Refused {
        code: "disclosure_not_draft",
        message: format!(
            "the disclosure is {}: only a draft is edited",
            status.code()
        ),
    }
}

/// Edit a draft (the committee or the team of the village).
#[utoipa::path(tag = "disclosures", operation_id = "update_disclosure",
    params(("id" = i64, Path, description = "Disclosure id"), IfMatch),
    request_body = DisclosurePatch,
    responses((status = 200, description = "The changed draft", body = Disclosure),
        (status = 409, description = "Not a draft (`disclosure_not_draft`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[patch("/disclosures/{id:[0-9]+}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<DisclosurePatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Disclosures, _>(&state, bearer, if_match, id.into_inner(), move |_, view| {
        let status = view.status();
        if status != Status::Draft {
            return Err(not_draft(status));
        }
        let s = &view.disclosure.values;
        let values = values(Fields {
            village_id: s.village_id,
            category: p.category.as_deref().unwrap_or(&s.category),
            title: p.title.as_deref().unwrap_or(&s.title),
            body: p.body.as_deref().unwrap_or(&s.body),
            period_from: p.period_from.unwrap_or(s.period_from),
            period_to: p.period_to.unwrap_or(s.period_to),
        })?;
        Ok(Planned {
            village_id: Some(s.village_id),
            values,
        })
    })
    .await
}

/// A move: checks the committee, `If-Match`, the status machine; writes; audits.
async fn make_move(
    state: &AppState,
    bearer: Bearer,
    if_match: IfMatch,
    id: i64,
    m: Move,
    reason: Option<String>,
) -> Result<HttpResponse, ApiError> {
    let after = state
        .write_as(bearer, move |conn, auth| {
            let row = record::load::<Disclosures>(conn, auth, Action::Update, id)?;
            committee_only(auth)?;
            let version = row.disclosure.version;
            if_match.check(version)?;
            let from = row.status();
            let to = rules::check_move(from, m).map_err(|allowed| {
                let codes: Vec<&'static str> = allowed.iter().map(|s| s.code()).collect();
                ApiError::IllegalTransition {
                    message: format!(
                        "a disclosure {} cannot {}; it may move to: {}",
                        from.code(),
                        m.code(),
                        if codes.is_empty() {
                            "nothing".to_owned()
                        } else {
                            codes.join(", ")
                        }
                    ),
                    allowed: codes,
                }
            })?;
            let now = zhucun_persistence::now();
            let mv = q::Move {
                to,
                published_on: Some(zhucun_domain::calendar::today_local()),
                published_at: Some(now),
                withdrawn_at: Some(now),
                withdrawal_reason: reason,
            };
            let after =
                q::set_status(conn, id, version, &mv, now)?.ok_or(ApiError::PreconditionFailed)?;
            audit::record(
                conn,
                &auth.audit(),
                m.code(),
                Disclosures::ENTITY,
                id,
                Some(&Disclosure::from(row)),
                Some(&Disclosure::from(after.clone())),
            )?;
            Ok(after)
        })
        .await?;
    record::respond::<Disclosures>(StatusCode::OK, after)
}

fn if_match_required(if_match: &IfMatch) -> Result<(), ApiError> {
    if matches!(if_match, IfMatch::Absent) {
        return Err(crate::error::coded(
            "If-Match",
            "required",
            "a move must name the version it moves: send the ETag you loaded",
        ));
    }
    Ok(())
}

/// Publish a draft (the village committee; `If-Match` required). It shows on the village's
/// public board from now on, dated today. Anything but a draft is a 409 `illegal_transition`.
#[utoipa::path(tag = "disclosures", operation_id = "publish_disclosure",
    params(("id" = i64, Path, description = "Disclosure id"), IfMatch),
    responses((status = 200, description = "Published", body = Disclosure),
        (status = 403, description = "Not the village committee (`committee_only`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft (`illegal_transition`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/disclosures/{id:[0-9]+}/publication")]
pub async fn publication(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    if_match_required(&if_match)?;
    make_move(
        &state,
        bearer,
        if_match,
        id.into_inner(),
        Move::Publish,
        None,
    )
    .await
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "金额录入有误，更正后重新公开"}))]
pub struct DisclosureWithdrawal {
    /// Why it is withdrawn: shown on the public board in its place.
    pub reason: String,
}

/// Withdraw a published disclosure with a reason (the village committee; `If-Match` required).
/// It stays on the public board as withdrawn, with the reason and without its text.
#[utoipa::path(tag = "disclosures", operation_id = "withdraw_disclosure",
    params(("id" = i64, Path, description = "Disclosure id"), IfMatch),
    request_body = DisclosureWithdrawal,
    responses((status = 200, description = "Withdrawn", body = Disclosure),
        (status = 403, description = "Not the village committee (`committee_only`)", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not published (`illegal_transition`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/disclosures/{id:[0-9]+}/withdrawal")]
pub async fn withdrawal(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<DisclosureWithdrawal>,
) -> Result<HttpResponse, ApiError> {
    let mut inv = Invalid::new();
    let reason = inv.check(text::optional_text("reason", Some(&body.reason), 2000));
    let reason = match reason {
        Some(None) => {
            inv.push(zhucun_domain::validation::required("reason"));
            None
        }
        r => r.flatten(),
    };
    if matches!(if_match, IfMatch::Absent) {
        inv.push(
            zhucun_domain::validation::field_error(
                "If-Match",
                "a move must name the version it moves: send the ETag you loaded",
            )
            .coded("required", Vec::new()),
        );
    }
    let Some(reason) = reason else {
        return Err(inv.into());
    };
    inv.into_result()?;
    make_move(
        &state,
        bearer,
        if_match,
        id.into_inner(),
        Move::Withdraw,
        Some(reason),
    )
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CalendarQuery {
    pub village_id: i64,
    /// 2011–2100.
    pub year: i32,
}

/// One obligation of the calendar.
#[derive(Debug, Serialize, ToSchema)]
pub struct CalendarItem {
    /// general_quarterly, finance_monthly, donation, resolution.
    #[schema(example = "finance_monthly")]
    pub kind: String,
    /// The period (or the day of the donation or resolution) it is about.
    #[schema(example = "2019-05-01")]
    pub period_from: NaiveDate,
    #[schema(example = "2019-05-31")]
    pub period_to: NaiveDate,
    /// The last day to disclose it.
    #[schema(example = "2019-06-10")]
    pub due_on: NaiveDate,
    /// done (by its due day), late (after it), due (not yet, not past due), overdue.
    #[schema(example = "overdue")]
    pub state: String,
    /// The first day it was disclosed.
    pub disclosed_on: Option<NaiveDate>,
    /// The donation's ledger entry.
    pub ledger_entry_id: Option<i64>,
    /// The resolved decision.
    pub decision_id: Option<i64>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureCalendar {
    pub village_id: i64,
    #[schema(example = 2019)]
    pub year: i32,
    /// The day the states are computed for (Asia/Shanghai).
    pub today: NaiveDate,
    /// Days the department allows to disclose a resolution.
    #[schema(example = 7)]
    pub resolution_days: i32,
    #[schema(example = 2)]
    pub overdue: i64,
    #[schema(example = 1)]
    pub due: i64,
    pub items: Vec<CalendarItem>,
}

/// The calendar's facts of some villages' year, by village: three queries however many villages
/// (the annual report sums the overdue items of a department's villages with it).
pub fn facts_by_village(
    conn: &mut zhucun_persistence::DbConnection,
    villages: &[i64],
    range: (NaiveDate, NaiveDate),
) -> Result<std::collections::BTreeMap<i64, rules::Facts>, ApiError> {
    let mut by: std::collections::BTreeMap<i64, rules::Facts> = villages
        .iter()
        .map(|v| (*v, rules::Facts::default()))
        .collect();
    let (days, donations) = q::ledger_facts(conn, villages, range)?;
    for (v, day) in days {
        if let Some(f) = by.get_mut(&v) {
            f.ledger_days.push(day);
        }
    }
    for (v, entry_id, on) in donations {
        if let Some(f) = by.get_mut(&v) {
            f.donations.push(rules::Donation { entry_id, on });
        }
    }
    for (v, decision_id, on, disclosed_on) in
        zhucun_persistence::decisions::resolutions(conn, villages, range)?
    {
        if let Some(f) = by.get_mut(&v) {
            f.resolutions.push(rules::Resolved {
                decision_id,
                on,
                disclosed_on,
            });
        }
    }
    for (v, category, from, to, published_on) in q::published_in(conn, villages, range)? {
        if let Some(f) = by.get_mut(&v) {
            f.published.push(rules::Published {
                category,
                from,
                to,
                published_on,
            });
        }
    }
    for f in by.values_mut() {
        f.ledger_days.sort_unstable();
    }
    Ok(by)
}

/// What a village must disclose in a year and where each obligation stands, by the cadence rule:
/// general matters at least quarterly (by the 10th of the month after the quarter); finances every
/// month with ledger entries (by the 10th of the next month); every donation, cash or in kind,
/// within 30 days of its ledger entry (a published `finance` disclosure covering its day); a
/// decision's resolution within the department's days (default 7).
#[utoipa::path(tag = "disclosures", operation_id = "disclosure_calendar", params(CalendarQuery),
    responses((status = 200, description = "The year's obligations with their states", body = DisclosureCalendar)), security(("bearer" = [])))]
#[get("/disclosures/calendar")]
pub async fn calendar(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<CalendarQuery>,
) -> Result<web::Json<DisclosureCalendar>, ApiError> {
    let CalendarQuery { village_id, year } = query.into_inner();
    let mut inv = Invalid::new();
    let range = year_range(&mut inv, Some(year));
    inv.into_result()?;
    let Some(range) = range else {
        return Err(zhucun_domain::validation::between("year", 2011, 2100).into());
    };
    let today = zhucun_domain::calendar::today_local();
    let answer = state
        .read_as(bearer, move |conn, auth| {
            let village = zhucun_persistence::villages::get(conn, village_id)?;
            auth.require(
                Action::Read,
                Resource::Disclosure,
                Target {
                    department_id: village.department_id,
                    village_id: Some(village_id),
                },
            )?;
            let dept = zhucun_persistence::departments::get(conn, village.department_id)?;
            let facts = facts_by_village(conn, &[village_id], range)?
                .remove(&village_id)
                .unwrap_or_default();
            let days = u32::try_from(dept.major_disclosure_days).unwrap_or(7);
            let items = rules::calendar(year, &facts, today, days);
            let count = |s: rules::State| {
                i64::try_from(items.iter().filter(|i| i.state == s).count()).unwrap_or(i64::MAX)
            };
            Ok(DisclosureCalendar {
                village_id,
                year,
                today,
                resolution_days: dept.major_disclosure_days,
                overdue: count(rules::State::Overdue),
                due: count(rules::State::Due),
                items: items
                    .into_iter()
                    .map(|i| CalendarItem {
                        kind: i.cadence.code().to_owned(),
                        period_from: i.from,
                        period_to: i.to,
                        due_on: i.due_on,
                        state: i.state.code().to_owned(),
                        disclosed_on: i.disclosed_on,
                        ledger_entry_id: (i.cadence == rules::Cadence::Donation)
                            .then_some(i.ref_id)
                            .flatten(),
                        decision_id: (i.cadence == rules::Cadence::Resolution)
                            .then_some(i.ref_id)
                            .flatten(),
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(web::Json(answer))
}

// ---- The public board (no login) -------------------------------------------------------------

/// A disclosure as the public sees it: no user, household or department data.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicDisclosure {
    #[schema(example = 12)]
    pub id: i64,
    pub village_id: i64,
    /// general, finance, major, decision.
    #[schema(example = "finance")]
    pub category: String,
    #[schema(example = "2019年5月村级财务收支公开")]
    pub title: String,
    /// The text; `null` once withdrawn.
    #[schema(example = "本月收入：财政拨付 200,000.00 元；社会捐赠 10,000.00 元。")]
    pub body: Option<String>,
    #[schema(example = "2019-05-01")]
    pub period_from: NaiveDate,
    #[schema(example = "2019-05-31")]
    pub period_to: NaiveDate,
    /// published or withdrawn.
    #[schema(example = "published")]
    pub status: String,
    #[schema(example = "2019-06-05")]
    pub published_on: Option<NaiveDate>,
    /// The day it was withdrawn.
    pub withdrawn_on: Option<NaiveDate>,
    #[schema(example = json!(null))]
    pub withdrawal_reason: Option<String>,
}

impl From<DisclosureView> for PublicDisclosure {
    fn from(v: DisclosureView) -> Self {
        let withdrawn = v.status() == Status::Withdrawn;
        let r = v.disclosure;
        let s = r.values;
        Self {
            id: r.id,
            village_id: s.village_id,
            category: s.category,
            title: s.title,
            body: (!withdrawn).then_some(s.body),
            period_from: s.period_from,
            period_to: s.period_to,
            status: r.status,
            published_on: r.published_on,
            withdrawn_on: r
                .withdrawn_at
                .map(|t| zhucun_domain::calendar::local_day(utc(t))),
            withdrawal_reason: r.withdrawal_reason,
        }
    }
}

/// The village a board belongs to.
#[derive(Debug, Serialize, ToSchema)]
pub struct PublicVillage {
    #[schema(example = 3)]
    pub id: i64,
    #[schema(example = "下地村")]
    pub name: String,
    /// The Tibetan name.
    #[schema(example = "ཞོལ་ས་གྲོང་ཚོ།")]
    pub name_bo: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicBoard {
    pub village: PublicVillage,
    pub items: Vec<PublicDisclosure>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
    /// On the first page only.
    pub total: Option<ListTotal>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PublicDisclosureDetail {
    pub village: PublicVillage,
    pub disclosure: PublicDisclosure,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PublicQuery {
    /// Page size, 1–100 (default 20).
    #[param(minimum = 1, maximum = 100)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
}

const PUBLIC_CACHE: &str = "public, max-age=60";

/// A public answer with a strong `ETag` over its bytes; 304 when `If-None-Match` names it.
fn cacheable<T: Serialize>(req: &HttpRequest, body: &T) -> Result<HttpResponse, ApiError> {
    let text = serde_json::to_string(body).map_err(ApiError::internal)?;
    let digest = Sha256::digest(text.as_bytes());
    let hex: String = digest.iter().take(12).map(|b| format!("{b:02x}")).collect();
    let tag = format!("\"{hex}\"");
    let matches = req
        .headers()
        .get_all(header::IF_NONE_MATCH)
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == tag || t == "*");
    let mut res = if matches {
        HttpResponse::NotModified()
    } else {
        HttpResponse::Ok()
    };
    res.insert_header((header::ETAG, tag))
        .insert_header((header::CACHE_CONTROL, PUBLIC_CACHE))
        .insert_header((header::VARY, "Accept-Language"));
    Ok(if matches {
        res.finish()
    } else {
        res.insert_header((header::CONTENT_TYPE, "application/json"))
            .body(text)
    })
}

fn public_statuses() -> Vec<String> {
    vec![
        Status::Published.code().to_owned(),
        Status::Withdrawn.code().to_owned(),
    ]
}

/// A village's public board, **without login**: its published disclosures and the withdrawn ones
/// (shown as withdrawn with the reason, without the text), the newest period first; never drafts;
/// no user, household or department data. An unknown village is a 404. Rate-limited per client
/// (429 with `Retry-After`); `ETag` / `If-None-Match` → 304; `Cache-Control: public, max-age=60`.
#[utoipa::path(tag = "public", operation_id = "public_village_disclosures",
    params(("id" = i64, Path, description = "Village id"), PublicQuery),
    responses((status = 200, description = "One page of the board", body = PublicBoard),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 404, description = "No such village", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client; see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/public/villages/{id}/disclosures")]
pub async fn public_list(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
    query: web::Query<PublicQuery>,
) -> Result<HttpResponse, ApiError> {
    let village_id = id.into_inner();
    let query = query.into_inner();
    if query.limit.is_some_and(|l| !(1..=100).contains(&l)) {
        return Err(zhucun_domain::validation::between("limit", 1, 100).into());
    }
    let request = ListRequest::<DisclosureSort>::parse(
        Some(query.limit.unwrap_or(20)),
        None,
        query.cursor.as_deref(),
    )?;
    let page = request.page.clone();
    let (names, rows) = state
        .read(move |conn| {
            let names = q::village_names(conn, village_id)?;
            let filter = DisclosureFilter {
                village_id: Some(village_id),
                statuses: Some(public_statuses()),
                ..DisclosureFilter::default()
            };
            Ok((names, q::list(conn, &filter, &page)?))
        })
        .await?;
    let (items, next_cursor, total) = request.finish(rows);
    let board = PublicBoard {
        village: PublicVillage {
            id: village_id,
            name: names.0,
            name_bo: names.1,
        },
        items,
        next_cursor,
        total,
    };
    cacheable(&req, &board)
}

/// One disclosure of a public board, **without login** (published or withdrawn; a draft or an
/// unknown id is a 404). Rate-limited and cacheable like the board.
#[utoipa::path(tag = "public", operation_id = "public_disclosure",
    params(("id" = i64, Path, description = "Disclosure id")),
    responses((status = 200, description = "The disclosure with its village's names", body = PublicDisclosureDetail),
        (status = 304, description = "Not modified since the `ETag` sent in `If-None-Match`"),
        (status = 404, description = "No such published disclosure", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client; see `Retry-After`", body = crate::error::Problem, content_type = "application/problem+json")))]
#[get("/public/disclosures/{id}")]
pub async fn public_read(
    state: web::Data<AppState>,
    req: HttpRequest,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let view = state.read(move |conn| Ok(q::get(conn, id)?)).await?;
    if !view.status().is_public() {
        return Err(ApiError::NotFound);
    }
    let detail = PublicDisclosureDetail {
        village: PublicVillage {
            id: view.disclosure.values.village_id,
            name: view.village_name.clone(),
            name_bo: view.village_name_bo.clone(),
        },
        disclosure: PublicDisclosure::from(view),
    };
    cacheable(&req, &detail)
}
