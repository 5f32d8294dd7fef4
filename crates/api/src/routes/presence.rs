//! Days in the village (驻村考勤) and leave (请假), without check-in theatre: a cadre records days
//! (a range at once, also after the fact), in the village or away with a reason, optionally what
//! was done. There are no GPS, photo or online-time fields and no ranking: the monthly summary is
//! a list by name. Rules in `zhucun_domain::presence`.
//!
//! Decisions (documented in README and the OpenAPI text):
//! - **Who records**: a team user records their own days; the leader of a team also records for
//!   the team's members (many cadres have no account of their own). The department and the
//!   administrator read; the village committee does not see presence or leave at all.
//! - **A day already recorded is replaced** by a new range covering it (the answer says how many
//!   days were new and how many replaced): correcting a week after the fact is one request. The
//!   database still holds one row per cadre and day (`UNIQUE (cadre_id, day)`).
//! - **Approved leave is counted from the leave table**, not written as presence days: leave may
//!   be asked for ahead, and presence is never recorded for the future. The summary counts a day
//!   of approved leave as accounted for whether or not a day was also recorded.
//! - Leave up to the department's `local_leave_max_days` is decided by the team's leader (not for
//!   their own leave), longer leave only by the department: 403 with a code otherwise.

use crate::audit;
use crate::auth::{Auth, Bearer};
use crate::dto::utc;
use crate::error::ApiError;
use crate::http::{create_once, json_with_etag, Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::presence::{self as rules, DayRecord, Decider, LeaveStatus, Reason, Status};
use zhucun_domain::validation::field_error;
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Role, Target};
use zhucun_persistence::presence::{
    self as q, DayFilter, DayValues, DayView, LeaveFilter, LeaveSort, LeaveValues, LeaveView,
    Membership, NamedMembership,
};
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(summary)
        .service(below_minimum)
        .service(list_days)
        .service(record_days)
        .service(list_leave)
        .service(request_leave)
        .service(read_leave)
        .service(approve_leave)
        .service(refuse_leave);
}

// ---- DTOs ----

/// One cadre's day.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceDay {
    #[schema(example = 120)]
    pub id: i64,
    pub team_id: i64,
    pub team_member_id: i64,
    pub cadre_id: i64,
    #[schema(example = "扎西")]
    pub cadre_name: String,
    #[schema(example = "2019-06-03")]
    pub day: NaiveDate,
    /// in_village or away.
    #[schema(example = "in_village")]
    pub status: String,
    /// Why away: leave, meeting, training, sick, official (`null` in the village).
    #[schema(example = json!(null))]
    pub reason: Option<String>,
    /// What was done (驻村日志), optional.
    #[schema(example = "入户走访 5 户，了解饮水情况")]
    pub log: Option<String>,
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<DayView> for PresenceDay {
    fn from(v: DayView) -> Self {
        let d = v.day;
        Self {
            id: d.id,
            team_id: d.team_id,
            team_member_id: d.team_member_id,
            cadre_id: d.cadre_id,
            cadre_name: v.cadre_name,
            day: d.day,
            status: d.status,
            reason: d.reason,
            log: d.log,
            version: d.version,
            updated_at: utc(d.updated_at),
        }
    }
}

/// The days asked for: a month of one team or one membership.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceDays {
    #[schema(example = "2019-06")]
    pub month: String,
    /// By cadre (pinyin order of the name), then by day.
    pub items: Vec<PresenceDay>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct PresenceQuery {
    /// The month, `YYYY-MM`.
    #[param(example = "2019-06")]
    pub month: String,
    /// A team's days (one of `team_id`, `team_member_id` is required).
    pub team_id: Option<i64>,
    /// One membership's days.
    pub team_member_id: Option<i64>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"team_member_id": 21, "from": "2019-06-03", "to": "2019-06-07",
    "status": "in_village", "log": "入户走访，核对建档立卡户信息"}))]
pub struct PresenceRange {
    /// The membership (a cadre in a team) the days are of.
    pub team_member_id: i64,
    /// First day; not before the membership began.
    pub from: NaiveDate,
    /// Last day (inclusive); not after today nor the membership's end; at most 62 days.
    pub to: NaiveDate,
    /// in_village or away.
    pub status: String,
    /// Required when away: leave, meeting, training, sick, official.
    pub reason: Option<String>,
    /// What was done (驻村日志), at most 2000 characters.
    pub log: Option<String>,
}

/// What a range wrote.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceWritten {
    pub team_member_id: i64,
    #[schema(example = "扎西")]
    pub cadre_name: String,
    #[schema(example = 5)]
    pub days: i64,
    /// Days not recorded before.
    #[schema(example = 4)]
    pub created: i64,
    /// Days recorded before, now replaced.
    #[schema(example = 1)]
    pub replaced: i64,
}

/// One cadre's month. Not a ranking: the list is sorted by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceSummaryRow {
    pub team_member_id: i64,
    pub cadre_id: i64,
    #[schema(example = "扎西")]
    pub cadre_name: String,
    pub is_leader: bool,
    /// Days of the month the cadre was a member (up to today).
    #[schema(example = 30)]
    pub days_in_period: i64,
    #[schema(example = 24)]
    pub days_in_village: i64,
    /// Days recorded away (any reason).
    #[schema(example = 3)]
    pub days_away: i64,
    /// Days of approved leave in the period.
    #[schema(example = 2)]
    pub approved_leave_days: i64,
    /// Days neither recorded nor on approved leave.
    #[schema(example = 2)]
    pub days_unaccounted: i64,
    /// `days_in_village` ≥ the department's minimum.
    pub meets_minimum: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceSummary {
    #[schema(example = "2019-06")]
    pub month: String,
    pub team_id: i64,
    /// The department's minimum days in the village a month.
    #[schema(example = 20)]
    pub min_days_in_village: i32,
    /// By name (pinyin order), not by figures.
    pub items: Vec<PresenceSummaryRow>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct SummaryQuery {
    #[param(example = "2019-06")]
    pub month: String,
    pub team_id: i64,
    /// `json` (default), `csv` or `xlsx`: the month as a download.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// A cadre below the minimum in a month, with the team it counts for.
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceBelowRow {
    pub team_id: i64,
    /// The team's own name, if it has one (else name it by village and round).
    #[schema(example = json!(null))]
    pub team_name: Option<String>,
    pub village_id: i64,
    #[schema(example = "马格达村")]
    pub village_name: String,
    #[schema(example = 3)]
    pub round_number: i32,
    #[serde(flatten)]
    pub figures: PresenceSummaryRow,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceBelow {
    #[schema(example = "2019-06")]
    pub month: String,
    /// The department's minimum days in the village a month.
    #[schema(example = 20)]
    pub min_days_in_village: i32,
    /// Members of the month's teams (in the villages the caller sees) who were members for at
    /// least a day and stayed fewer days than the minimum; by village, team and name.
    pub items: Vec<PresenceBelowRow>,
    /// More memberships than one answer looks at (`MAX_MEMBERSHIPS`): the list is not complete.
    pub more: bool,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct BelowQuery {
    #[param(example = "2019-06")]
    pub month: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Leave {
    #[schema(example = 4)]
    pub id: i64,
    pub team_id: i64,
    pub team_member_id: i64,
    pub cadre_id: i64,
    #[schema(example = "扎西")]
    pub cadre_name: String,
    #[schema(example = "2019-06-24")]
    pub from: NaiveDate,
    #[schema(example = "2019-06-26")]
    pub to: NaiveDate,
    #[schema(example = 3)]
    pub days: i32,
    /// leave, meeting, training, sick, official.
    #[schema(example = "leave")]
    pub reason: String,
    #[schema(example = "家中有事")]
    pub note: Option<String>,
    /// pending, approved, refused.
    #[schema(example = "approved")]
    pub status: String,
    /// Who decided (display name), when, and why.
    #[schema(example = "旦增")]
    pub decided_by_name: Option<String>,
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: Option<String>,
    /// Who may decide it: `team_leader` (up to the local limit) or `department`.
    #[schema(example = "team_leader")]
    pub approver: String,
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
}

/// A leave with the department's local limit at hand (who may decide it).
struct LeaveWithLimit(LeaveView, i32);

impl From<LeaveWithLimit> for Leave {
    fn from(LeaveWithLimit(v, local_max): LeaveWithLimit) -> Self {
        let l = v.leave;
        Self {
            id: l.id,
            team_id: l.team_id,
            team_member_id: l.team_member_id,
            cadre_id: l.cadre_id,
            cadre_name: v.cadre_name,
            from: l.from_date,
            to: l.to_date,
            days: l.days,
            reason: l.reason,
            note: l.note,
            status: l.status,
            decided_by_name: l.decided_by_name,
            decided_at: l.decided_at.map(utc),
            decision_note: l.decision_note,
            approver: match rules::approver_for(i64::from(l.days), local_max) {
                rules::Approver::TeamLeader => "team_leader",
                rules::Approver::Department => "department",
            }
            .to_owned(),
            version: l.version,
            created_at: utc(l.created_at),
        }
    }
}

crate::list_type!(LeaveList, Leave);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"team_member_id": 21, "from": "2019-07-08", "to": "2019-07-10",
    "reason": "leave", "note": "家中有事"}))]
pub struct LeaveRequest {
    pub team_member_id: i64,
    pub from: NaiveDate,
    /// Inclusive; at most 62 days; may be ahead of today.
    pub to: NaiveDate,
    /// leave, meeting, training, sick, official.
    pub reason: String,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema, Default)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"note": "同意"}))]
pub struct LeaveDecisionBody {
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct LeaveQuery {
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `from` (the first day; default latest first, `from` for oldest first... `-from` newest).
    pub sort: Option<String>,
    pub team_id: Option<i64>,
    pub cadre_id: Option<i64>,
    /// pending, approved, refused (`pending`: the approval queue).
    pub status: Option<String>,
}

// ---- helpers ----

/// Loads a membership the caller may act on for `action` (another department's or village's is
/// a 404), and checks the finer rule for team users: their own, or a member of a team they lead.
fn membership_for(
    conn: &mut DbConnection,
    auth: &Auth,
    resource: Resource,
    action: Action,
    team_member_id: i64,
) -> Result<Membership, ApiError> {
    let m = q::membership(conn, team_member_id)?.ok_or(ApiError::NotFound)?;
    auth.require(
        action,
        resource,
        Target {
            department_id: m.department_id,
            village_id: Some(m.village_id),
        },
    )?;
    if action != Action::Read && auth.role == Role::Team {
        let own = auth.user.cadre_id == Some(m.cadre_id);
        let leads = match auth.user.cadre_id {
            Some(c) => q::leads_team(conn, c, m.team_id)?,
            None => false,
        };
        if !own && !leads {
            return Err(ApiError::ForbiddenBecause {
                code: "presence_own_or_leader",
                message: "a cadre records their own days and leave; the team leader those of \
                          the team's members"
                    .to_owned(),
            });
        }
    }
    Ok(m)
}

/// The range must lie inside the membership.
fn inside_membership(m: &Membership, from: NaiveDate, to: NaiveDate) -> Result<(), ApiError> {
    let mut inv = Invalid::new();
    if from < m.from_date {
        inv.push(
            field_error("from", "before the cadre joined the team").coded(
                "outside_membership",
                vec![("from", m.from_date.to_string())],
            ),
        );
    }
    if let Some(end) = m.to_date {
        if to > end {
            inv.push(
                field_error("to", "after the cadre left the team")
                    .coded("outside_membership", vec![("to", end.to_string())]),
            );
        }
    }
    inv.into_result().map_err(ApiError::from)
}

fn team_target(conn: &mut DbConnection, team_id: i64) -> Result<Target, ApiError> {
    let (department_id, village_id, _) =
        zhucun_persistence::handovers::team_place(conn, team_id)?.ok_or(ApiError::NotFound)?;
    Ok(Target {
        department_id,
        village_id: Some(village_id),
    })
}

// ---- presence ----

/// A team's (or one membership's) days of a month, by cadre then day. One of `team_id` and
/// `team_member_id` is required: the list is bounded by a month of one team. The team records;
/// the department and the administrator read; the village committee does not see presence.
#[utoipa::path(tag = "presence", operation_id = "list_presence", params(PresenceQuery),
    responses((status = 200, description = "The month's days", body = PresenceDays)), security(("bearer" = [])))]
#[get("/presence")]
pub async fn list_days(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<PresenceQuery>,
) -> Result<web::Json<PresenceDays>, ApiError> {
    let query = query.into_inner();
    let (from, to) = rules::month_bounds("month", &query.month)?;
    if query.team_id.is_none() && query.team_member_id.is_none() {
        return Err(zhucun_domain::validation::required("team_id").into());
    }
    let month = rules::month_of(from);
    let items = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Presence).map_err(ApiError::from)?;
            let filter = DayFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                team_id: query.team_id,
                team_member_id: query.team_member_id,
                from,
                to,
            };
            Ok(q::list_days(conn, &filter)?)
        })
        .await?;
    Ok(web::Json(PresenceDays {
        month,
        items: items.into_iter().map(PresenceDay::from).collect(),
    }))
}

/// Record a range of days of one membership at once (also after the fact), in the village or
/// away with a reason. Each day is one record per cadre: a day already recorded is **replaced**
/// (the answer counts new and replaced days). Days after today, outside the membership or more
/// than 62 at once are a 400 and nothing is written. A cadre records their own days, a team's
/// leader also those of the team's members (403 `presence_own_or_leader` otherwise).
#[utoipa::path(tag = "presence", operation_id = "record_presence", request_body = PresenceRange,
    responses((status = 200, description = "The days written", body = PresenceWritten),
        (status = 403, description = "Not one's own days nor a member of a team one leads (`presence_own_or_leader`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/presence")]
pub async fn record_days(
    state: web::Data<AppState>,
    bearer: Bearer,
    body: web::Json<PresenceRange>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let today = zhucun_domain::calendar::today_local();
    let mut inv = Invalid::new();
    inv.check(rules::check_range(b.from, b.to, Some(today)));
    let status = inv.check(Status::parse("status", &b.status));
    let reason = match b.reason.as_deref() {
        None => Some(None),
        Some(r) => inv.check(Reason::parse("reason", r)).map(Some),
    };
    let log = inv.check(text::optional_text("log", b.log.as_deref(), 2000));
    if let (Some(s), Some(r)) = (status, reason) {
        if !inv.errors.iter().any(|e| e.field == "reason") {
            inv.check(rules::check_reason(s, r));
        }
    }
    let (Some(status), Some(reason), Some(log)) = (status, reason, log) else {
        return Err(inv.into());
    };
    inv.into_result()?;
    let values = DayValues {
        status: status.code().to_owned(),
        reason: reason.map(|r| r.code().to_owned()),
        log,
    };
    let written = state
        .write_as(bearer, move |conn, auth| {
            auth.require_own(Action::Create, Resource::Presence, None)?;
            let m = membership_for(
                conn,
                auth,
                Resource::Presence,
                Action::Create,
                b.team_member_id,
            )?;
            inside_membership(&m, b.from, b.to)?;
            let days = rules::days(b.from, b.to);
            let (created, replaced) = q::record_days(
                conn,
                &m,
                &days,
                &values,
                auth.user.id,
                zhucun_persistence::now(),
            )?;
            let out = PresenceWritten {
                team_member_id: m.team_member_id,
                cadre_name: m.cadre_name.clone(),
                days: i64::try_from(days.len()).unwrap_or(i64::MAX),
                created: i64::try_from(created).unwrap_or(i64::MAX),
                replaced: i64::try_from(replaced).unwrap_or(i64::MAX),
            };
            audit::record(
                conn,
                &auth.audit(),
                "record",
                "presence",
                m.team_member_id,
                audit::NONE,
                Some(&serde_json::json!({
                    "from": b.from, "to": b.to, "status": values.status,
                    "reason": values.reason, "created": out.created, "replaced": out.replaced,
                })),
            )?;
            Ok(out)
        })
        .await?;
    Ok(HttpResponse::Ok().json(written))
}

/// A team's month per cadre: days in the village against the department's minimum, days away,
/// approved leave and days nobody accounted for. Sorted by name — not a ranking. Days before the
/// cadre joined, after they left and after today are not counted.
#[utoipa::path(tag = "presence", operation_id = "presence_summary", params(SummaryQuery),
    responses((status = 200, description = "The month per cadre, or (format=csv|xlsx) as a download",
        content((PresenceSummary = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))),
    security(("bearer" = [])))]
#[get("/presence/summary")]
pub async fn summary(
    state: web::Data<AppState>,
    bearer: Bearer,
    http: actix_web::HttpRequest,
    query: web::Query<SummaryQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let form = crate::export::requested(&http, query.format.as_deref())?;
    let month = rules::month_bounds("month", &query.month)?;
    let team_id = query.team_id;
    let out = state
        .read_as(bearer, move |conn, auth| {
            list_scope(&auth.actor, Resource::Presence).map_err(ApiError::from)?;
            let target = team_target(conn, team_id)?;
            auth.require(Action::Read, Resource::Presence, target)?;
            let (min_days, _) = q::department_rules(conn, target.department_id)?;
            let members = q::memberships_of_team(conn, team_id, 200)?;
            let cadres: Vec<i64> = members.iter().map(|m| m.cadre_id).collect();
            let month_data = MonthData::load(conn, &cadres, month)?;
            let items = members
                .into_iter()
                .map(|m| month_data.figures(m, min_days))
                .collect();
            Ok(PresenceSummary {
                month: rules::month_of(month.0),
                team_id,
                min_days_in_village: min_days,
                items,
            })
        })
        .await?;
    if form != crate::export::Form::Json {
        return crate::export::small(form, SUMMARY_EXPORT, out.items).await;
    }
    Ok(HttpResponse::Ok().json(out))
}

/// The most memberships one answer of `/presence/below-minimum` looks at.
const MAX_MEMBERSHIPS: i64 = 5000;

/// The days and approved leave of some cadres in a month, by cadre, loaded in two queries.
struct MonthData {
    month: (NaiveDate, NaiveDate),
    today: NaiveDate,
    days: std::collections::HashMap<i64, Vec<(NaiveDate, Status)>>,
    leave: std::collections::HashMap<i64, Vec<(NaiveDate, NaiveDate)>>,
}

impl MonthData {
    fn load(
        conn: &mut DbConnection,
        cadres: &[i64],
        month: (NaiveDate, NaiveDate),
    ) -> Result<Self, ApiError> {
        let mut days: std::collections::HashMap<i64, Vec<(NaiveDate, Status)>> =
            std::collections::HashMap::new();
        for (cadre, day, status) in q::team_days(conn, cadres, month.0, month.1)? {
            let status = Status::from_code(&status).unwrap_or(Status::Away);
            days.entry(cadre).or_default().push((day, status));
        }
        let mut leave: std::collections::HashMap<i64, Vec<(NaiveDate, NaiveDate)>> =
            std::collections::HashMap::new();
        for (cadre, from, to) in q::approved_leave(conn, cadres, month.0, month.1)? {
            leave.entry(cadre).or_default().push((from, to));
        }
        Ok(Self {
            month,
            today: zhucun_domain::calendar::today_local(),
            days,
            leave,
        })
    }

    /// One membership's month: only the days inside the membership count.
    fn figures(&self, m: Membership, min_days: i32) -> PresenceSummaryRow {
        let records: Vec<DayRecord> = self
            .days
            .get(&m.cadre_id)
            .map(|days| {
                days.iter()
                    .filter(|(d, _)| *d >= m.from_date && m.to_date.is_none_or(|t| *d <= t))
                    .map(|(day, status)| DayRecord {
                        day: *day,
                        status: *status,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let ranges = self.leave.get(&m.cadre_id).map_or(&[][..], Vec::as_slice);
        let period = rules::period_of(self.month, m.from_date, m.to_date, self.today);
        let f = rules::month_figures(period, &records, ranges, min_days);
        PresenceSummaryRow {
            team_member_id: m.team_member_id,
            cadre_id: m.cadre_id,
            cadre_name: m.cadre_name,
            is_leader: m.is_leader != 0,
            days_in_period: f.days_in_period,
            days_in_village: f.days_in_village,
            days_away: f.days_away,
            approved_leave_days: f.approved_leave_days,
            days_unaccounted: f.days_unaccounted,
            meets_minimum: f.meets_minimum,
        }
    }
}

/// The cadres below the department's days-in-village minimum in a month, over every team of the
/// villages the caller sees — one request for the department's overview instead of one per team.
/// Members of a team for no day of the month (joined later, left before) are not listed.
#[utoipa::path(tag = "presence", operation_id = "presence_below_minimum", params(BelowQuery),
    responses((status = 200, description = "The month's cadres below the minimum", body = PresenceBelow)),
    security(("bearer" = [])))]
#[get("/presence/below-minimum")]
pub async fn below_minimum(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<BelowQuery>,
) -> Result<web::Json<PresenceBelow>, ApiError> {
    let month = rules::month_bounds("month", &query.into_inner().month)?;
    let out = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Presence).map_err(ApiError::from)?;
            let (min_days, _) = q::department_rules(conn, scope.department_id)?;
            let members = q::memberships_overlapping(
                conn,
                scope.department_id,
                scope.villages.as_deref(),
                month.0,
                month.1,
                MAX_MEMBERSHIPS + 1,
            )?;
            let more = members.len() as i64 > MAX_MEMBERSHIPS;
            let members = &members[..members.len().min(MAX_MEMBERSHIPS as usize)];
            let mut cadres: Vec<i64> = members.iter().map(|m| m.membership.cadre_id).collect();
            cadres.sort_unstable();
            cadres.dedup();
            let month_data = MonthData::load(conn, &cadres, month)?;
            let items = members
                .iter()
                .cloned()
                .map(|m: NamedMembership| PresenceBelowRow {
                    team_id: m.membership.team_id,
                    team_name: m.team_name,
                    village_id: m.membership.village_id,
                    village_name: m.village_name,
                    round_number: m.round_number,
                    figures: month_data.figures(m.membership, min_days),
                })
                .filter(|r| r.figures.days_in_period > 0 && !r.figures.meets_minimum)
                .collect();
            Ok(PresenceBelow {
                month: rules::month_of(month.0),
                min_days_in_village: min_days,
                items,
                more,
            })
        })
        .await?;
    Ok(web::Json(out))
}

/// A team's month as a spreadsheet: one row per cadre, by name.
const SUMMARY_EXPORT: crate::export::Table<PresenceSummaryRow> = crate::export::Table {
    name: "驻村考勤月汇总",
    ascii_name: "presence-summary",
    columns: &[
        "干部",
        "队长",
        "统计天数",
        "在村天数",
        "离村天数",
        "已批准请假天数",
        "未登记天数",
        "达到在村天数要求",
    ],
    cells: |r| {
        use crate::export::Cell;
        vec![
            Cell::from(r.cadre_name.clone()),
            Cell::from(if r.is_leader { "是" } else { "否" }),
            Cell::from(r.days_in_period),
            Cell::from(r.days_in_village),
            Cell::from(r.days_away),
            Cell::from(r.approved_leave_days),
            Cell::from(r.days_unaccounted),
            Cell::from(if r.meets_minimum { "是" } else { "否" }),
        ]
    },
};

// ---- leave ----

/// Leave requests of the villages the caller may see, the latest first; `status=pending` is the
/// approval queue. The village committee does not see leave.
#[utoipa::path(tag = "presence", operation_id = "list_leave", params(LeaveQuery),
    responses((status = 200, description = "One page of leave requests", body = LeaveList)), security(("bearer" = [])))]
#[get("/leave")]
pub async fn list_leave(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<LeaveQuery>,
) -> Result<web::Json<LeaveList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<LeaveSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let status = match query.status.as_deref() {
        Some(s) => Some(LeaveStatus::parse("status", s)?.code().to_owned()),
        None => None,
    };
    let page = req.page.clone();
    let (rows, local_max) = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Leave).map_err(ApiError::from)?;
            let (_, local_max) = q::department_rules(conn, scope.department_id)?;
            let filter = LeaveFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                team_id: query.team_id,
                cadre_id: query.cadre_id,
                status,
            };
            Ok((q::list_leave(conn, &filter, &page)?, local_max))
        })
        .await?;
    let (items, next_cursor, total) = req.finish::<LeaveView>(rows);
    Ok(web::Json(LeaveList {
        items: items
            .into_iter()
            .map(|v| Leave::from(LeaveWithLimit(v, local_max)))
            .collect(),
        next_cursor,
        total,
    }))
}

/// Ask for leave over a range of days (at most 62, may be ahead), with a reason. It starts
/// `pending`. A cadre asks for their own, a leader may ask for a member. A pending or approved
/// request overlapping the range is a 409 `leave_overlaps`.
#[utoipa::path(tag = "presence", operation_id = "request_leave", request_body = LeaveRequest,
    params(Idempotency),
    responses((status = 201, description = "Requested", body = Leave),
        (status = 409, description = "Overlaps a pending or approved request (`leave_overlaps`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/leave")]
pub async fn request_leave(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<LeaveRequest>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let mut inv = Invalid::new();
    inv.check(rules::check_range(b.from, b.to, None));
    let reason = inv.check(Reason::parse("reason", &b.reason));
    let note = inv.check(text::optional_text("note", b.note.as_deref(), 500));
    let (Some(reason), Some(note)) = (reason, note) else {
        return Err(inv.into());
    };
    inv.into_result()?;
    let values = LeaveValues {
        from_date: b.from,
        to_date: b.to,
        days: i32::try_from(rules::days_inclusive(b.from, b.to)).unwrap_or(i32::MAX),
        reason: reason.code().to_owned(),
        note,
    };
    let created = state
        .write_as(bearer, move |conn, auth| {
            auth.require_own(Action::Create, Resource::Leave, None)?;
            create_once(conn, auth.user.id, &idem, &b, |conn| {
                let m = membership_for(
                    conn,
                    auth,
                    Resource::Leave,
                    Action::Create,
                    b.team_member_id,
                )?;
                inside_membership(&m, b.from, b.to)?;
                if q::leave_overlaps(conn, m.cadre_id, b.from, b.to)? {
                    return Err(ApiError::Refused {
                        code: "leave_overlaps",
                        message: "the cadre already has pending or approved leave on some of \
                                  these days"
                            .to_owned(),
                    });
                }
                let row =
                    q::insert_leave(conn, &m, &values, auth.user.id, zhucun_persistence::now())?;
                let (_, local_max) = q::department_rules(conn, m.department_id)?;
                let version = row.leave.version;
                let view = Leave::from(LeaveWithLimit(row, local_max));
                audit::record(
                    conn,
                    &auth.audit(),
                    "create",
                    "leave",
                    view.id,
                    audit::NONE,
                    Some(&view),
                )?;
                Ok((view, version))
            })
        })
        .await?;
    Ok(created.into_response())
}

fn load_leave(
    conn: &mut DbConnection,
    auth: &Auth,
    action: Action,
    id: i64,
) -> Result<(LeaveView, i32), ApiError> {
    let v = q::get_leave(conn, id)?;
    auth.require(
        action,
        Resource::Leave,
        Target {
            department_id: v.leave.department_id,
            village_id: Some(v.leave.village_id),
        },
    )?;
    let (_, local_max) = q::department_rules(conn, v.leave.department_id)?;
    Ok((v, local_max))
}

/// One leave request.
#[utoipa::path(tag = "presence", operation_id = "get_leave", params(("id" = i64, Path, description = "Leave request id")),
    responses((status = 200, description = "The request", body = Leave)), security(("bearer" = [])))]
#[get("/leave/{id}")]
pub async fn read_leave(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (v, local_max) = state
        .read_as(bearer, move |conn, auth| {
            load_leave(conn, auth, Action::Read, id)
        })
        .await?;
    let version = v.leave.version;
    json_with_etag(
        StatusCode::OK,
        &Leave::from(LeaveWithLimit(v, local_max)),
        version,
    )
}

async fn decide(
    state: &AppState,
    bearer: Bearer,
    id: i64,
    if_match: IfMatch,
    note: Option<String>,
    to: LeaveStatus,
) -> Result<HttpResponse, ApiError> {
    let note = text::optional_text("note", note.as_deref(), 500)?;
    let (after, local_max) = state
        .write_as(bearer, move |conn, auth| {
            let (v, local_max) = load_leave(conn, auth, Action::Update, id)?;
            let version = v.leave.version;
            if_match.check(version)?;
            if v.leave.status != LeaveStatus::Pending.code() {
                return Err(ApiError::Refused {
                    code: "leave_decided",
                    message: format!("this request is already {}", v.leave.status),
                });
            }
            let who = match auth.role {
                Role::Department => Decider::Department,
                _ => {
                    let leads = match auth.user.cadre_id {
                        Some(c) => q::leads_team(conn, c, v.leave.team_id)?,
                        None => false,
                    };
                    Decider::Team {
                        leads_team: leads,
                        own: auth.user.cadre_id == Some(v.leave.cadre_id),
                    }
                }
            };
            rules::may_decide(who, i64::from(v.leave.days), local_max).map_err(|e| {
                ApiError::ForbiddenBecause {
                    code: e.code(),
                    message: match e {
                        rules::NotApprover::NeedsDepartment => format!(
                            "leave of {} days is longer than the local limit of {local_max}: only the department decides it",
                            v.leave.days
                        ),
                        rules::NotApprover::NotTeamLeader => {
                            "only the leader of the cadre's team decides this leave".to_owned()
                        }
                        rules::NotApprover::OwnRequest => {
                            "a leader's own leave is decided by the department".to_owned()
                        }
                    },
                }
            })?;
            let before = Leave::from(LeaveWithLimit(v.clone(), local_max));
            let d = q::Decision {
                status: to.code(),
                by: auth.user.id,
                by_name: auth.user.display_name.clone(),
                note,
            };
            let after = q::decide_leave(conn, id, version, &d, zhucun_persistence::now())?
                .ok_or(ApiError::PreconditionFailed)?;
            audit::record(
                conn,
                &auth.audit(),
                if to == LeaveStatus::Approved { "approve" } else { "refuse" },
                "leave",
                id,
                Some(&before),
                Some(&Leave::from(LeaveWithLimit(after.clone(), local_max))),
            )?;
            Ok((after, local_max))
        })
        .await?;
    let version = after.leave.version;
    json_with_etag(
        StatusCode::OK,
        &Leave::from(LeaveWithLimit(after, local_max)),
        version,
    )
}

/// Approve a pending leave request (who and when are recorded). Up to the department's local
/// limit (`local_leave_max_days`, default 3) the leader of the cadre's team may, not for their own
/// leave; longer leave only the department: otherwise 403 `leave_needs_department`,
/// `leave_not_team_leader` or `leave_own_request`. A decided request is a 409 `leave_decided`.
#[utoipa::path(tag = "presence", operation_id = "approve_leave",
    params(("id" = i64, Path, description = "Leave request id"), IfMatch),
    request_body = LeaveDecisionBody,
    responses((status = 200, description = "Approved", body = Leave),
        (status = 403, description = "This role may not decide leave of this length (`leave_needs_department`, …)", body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://zhucun.example/problems/forbidden", "code": "leave_needs_department",
                "title": "Forbidden", "status": 403,
                "detail": "leave of 5 days is longer than the local limit of 3: only the department decides it"})),
        (status = 409, description = "Already decided (`leave_decided`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/leave/{id}/approval")]
pub async fn approve_leave(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<LeaveDecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let note = body.into_inner().note;
    decide(
        &state,
        bearer,
        id.into_inner(),
        if_match,
        note,
        LeaveStatus::Approved,
    )
    .await
}

/// Refuse a pending leave request (same rules as approving).
#[utoipa::path(tag = "presence", operation_id = "refuse_leave",
    params(("id" = i64, Path, description = "Leave request id"), IfMatch),
    request_body = LeaveDecisionBody,
    responses((status = 200, description = "Refused", body = Leave),
        (status = 403, description = "This role may not decide leave of this length", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided (`leave_decided`)", body = crate::error::Problem, content_type = "application/problem+json")),
    security(("bearer" = [])))]
#[post("/leave/{id}/refusal")]
pub async fn refuse_leave(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<LeaveDecisionBody>,
) -> Result<HttpResponse, ApiError> {
    let note = body.into_inner().note;
    decide(
        &state,
        bearer,
        id.into_inner(),
        if_match,
        note,
        LeaveStatus::Refused,
    )
    .await
}
