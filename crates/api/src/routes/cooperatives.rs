//! Cooperatives (合作社): a village's cooperatives with their members and what each contributed
//! (cash, land, livestock — valued in fen), the five rule documents as a checklist, the yearly
//! accounts, and the surplus distributions under the 60 % rule (`zhucun_domain::cooperative`).
//! Village work: the team of the village records, the department corrects, the committee and
//! the administrator read.

use crate::audit;
use crate::auth::{Auth, Bearer};
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, Linkable, Planned, Record};
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::cooperative::{self as rules, Accounts, Kind, MemberBasis, PlanError};
use zhucun_domain::{list_scope, pinyin, text, Action, Invalid, Resource, Target};
use zhucun_persistence::cooperatives::distributions::{self as dq, DistributionView};
use zhucun_persistence::cooperatives::members::{self as mq, MemberRow, MemberValues};
use zhucun_persistence::cooperatives::years::{self as yq, YearRow, YearValues};
use zhucun_persistence::cooperatives::{
    self as q, CooperativeFilter, CooperativeSort, CooperativeValues, CooperativeView,
};
use zhucun_persistence::{now, Creatable, DbConnection};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(members)
        .service(add_member)
        .service(update_member)
        .service(years)
        .service(put_year)
        .service(distributions)
        .service(distribute);
}

/// The five rule documents (规章制度): the day each was adopted, or null while missing.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleDocuments {
    /// 投入与分配.
    #[schema(example = "2018-06-01")]
    pub investment: Option<NaiveDate>,
    /// 财务管理.
    pub finance: Option<NaiveDate>,
    /// 安全生产.
    pub safety: Option<NaiveDate>,
    /// 社员守则.
    pub members: Option<NaiveDate>,
    /// 工资待遇.
    pub wages: Option<NaiveDate>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Cooperative {
    #[schema(example = 2)]
    pub id: i64,
    pub village_id: i64,
    #[schema(example = "亚卡亚村")]
    pub village_name: String,
    #[schema(example = "亚卡亚村养殖专业合作社")]
    pub name: String,
    /// breeding, grass_planting, farming, restaurant, handicraft, transport, tourism, other.
    #[schema(example = "breeding")]
    pub kind: String,
    #[schema(example = "2018-05-10")]
    pub founded_on: NaiveDate,
    #[schema(example = "93540000MA6T1234X")]
    pub registration_number: Option<String>,
    pub rules: RuleDocuments,
    /// How many of the five rule documents it has.
    #[schema(example = 5)]
    pub rules_present: i64,
    pub notes: Option<String>,
    /// Members who have not left.
    #[schema(example = 61)]
    pub members: i64,
    /// Their contributions in fen.
    #[schema(example = 42000000)]
    pub capital_fen: i64,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<CooperativeView> for Cooperative {
    fn from(v: CooperativeView) -> Self {
        let r = v.cooperative;
        let s = r.values;
        let rules = RuleDocuments {
            investment: s.rule_investment_on,
            finance: s.rule_finance_on,
            safety: s.rule_safety_on,
            members: s.rule_members_on,
            wages: s.rule_wages_on,
        };
        let rules_present = [
            rules.investment,
            rules.finance,
            rules.safety,
            rules.members,
            rules.wages,
        ]
        .iter()
        .filter(|d| d.is_some())
        .count();
        Self {
            id: r.id,
            village_id: s.village_id,
            village_name: v.village_name,
            name: s.name,
            kind: s.kind,
            founded_on: s.founded_on,
            registration_number: s.registration_number,
            rules,
            rules_present: i64::try_from(rules_present).unwrap_or(0),
            notes: s.notes,
            members: v.members,
            capital_fen: v.capital_fen,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(CooperativeList, Cooperative);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CooperativeCreate {
    pub village_id: i64,
    #[schema(example = "亚卡亚村养殖专业合作社")]
    pub name: String,
    #[schema(example = "breeding")]
    pub kind: String,
    #[schema(example = "2018-05-10")]
    pub founded_on: NaiveDate,
    pub registration_number: Option<String>,
    #[serde(default)]
    pub rules: RuleDocuments,
    pub notes: Option<String>,
}

/// Only the fields sent change; `null` clears an optional one; `rules` replaces the checklist.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CooperativePatch {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub founded_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub registration_number: Option<Option<String>>,
    pub rules: Option<RuleDocuments>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CooperativeQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `name` (by pinyin) or `-name`.
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    /// A kind code.
    pub kind: Option<String>,
    /// Part of the name, its pinyin or initials.
    pub q: Option<String>,
}

/// Cooperatives as versioned records.
pub struct Cooperatives;

impl Record for Cooperatives {
    type Table = q::Cooperatives;
    type View = Cooperative;
    const RESOURCE: Resource = Resource::Cooperative;
    const ENTITY: &'static str = "cooperative";

    fn target(v: &CooperativeView) -> Target {
        Target {
            department_id: v.cooperative.department_id,
            village_id: Some(v.cooperative.values.village_id),
        }
    }
    fn active(_: &CooperativeView) -> bool {
        true
    }
}

/// A cooperative's fields as a request leaves them.
pub struct Fields<'a> {
    pub village_id: i64,
    pub name: &'a str,
    pub kind: &'a str,
    pub founded_on: NaiveDate,
    pub registration_number: Option<&'a str>,
    pub rules: &'a RuleDocuments,
    pub notes: Option<&'a str>,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
pub fn values(f: Fields<'_>) -> Result<CooperativeValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let name = inv.check(text::name("name", f.name, 100));
    let kind = inv.check(Kind::parse("kind", f.kind));
    let founded = inv.check(not_future("founded_on", f.founded_on, today));
    let registration = inv.check(text::optional_line(
        "registration_number",
        f.registration_number,
        50,
    ));
    let notes = inv.check(text::optional_text("notes", f.notes, 2000));
    let r = f.rules;
    for (field, day) in [
        ("rules.investment", r.investment),
        ("rules.finance", r.finance),
        ("rules.safety", r.safety),
        ("rules.members", r.members),
        ("rules.wages", r.wages),
    ] {
        if let Some(d) = day {
            inv.check(not_future(field, d, today));
        }
    }
    let (Some(name), Some(kind), Some(founded_on), Some(registration), Some(notes)) =
        (name, kind, founded, registration, notes)
    else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(CooperativeValues {
        village_id: f.village_id,
        sort_key: pinyin::sort_key(&name),
        search_text: text::search_key_with_pinyin(&name, []),
        name,
        kind: kind.code().to_owned(),
        founded_on,
        registration_number: registration,
        rule_investment_on: r.investment,
        rule_finance_on: r.finance,
        rule_safety_on: r.safety,
        rule_members_on: r.members,
        rule_wages_on: r.wages,
        notes,
    })
}

/// A day from the programme's start to today.
fn not_future(
    field: &str,
    day: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, zhucun_domain::FieldError> {
    if day > today {
        return Err(
            zhucun_domain::validation::field_error(field, "must not be in the future")
                .coded("not_future", Vec::new()),
        );
    }
    Ok(day)
}

/// List the cooperatives of the villages the caller may see.
#[utoipa::path(tag = "cooperatives", operation_id = "list_cooperatives", params(CooperativeQuery),
    responses((status = 200, description = "One page of cooperatives", body = CooperativeList)), security(("bearer" = [])))]
#[get("/cooperatives")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<CooperativeQuery>,
) -> Result<web::Json<CooperativeList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<CooperativeSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let kind = query
        .kind
        .as_deref()
        .map(|k| Kind::parse("kind", k).map(|k| k.code().to_owned()))
        .transpose()?;
    let search = query
        .q
        .as_deref()
        .and_then(text::search_query)
        .map(|s| text::like_contains(&s));
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Cooperative).map_err(ApiError::from)?;
            let filter = CooperativeFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                village_id: query.village_id,
                kind,
                search,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(CooperativeList {
        items,
        next_cursor,
        total,
    }))
}

/// Register a cooperative of a village (team of the village, or the department).
#[utoipa::path(tag = "cooperatives", operation_id = "create_cooperative", request_body = CooperativeCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Cooperative)), security(("bearer" = [])))]
#[post("/cooperatives")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<CooperativeCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: b.village_id,
        name: &b.name,
        kind: &b.kind,
        founded_on: b.founded_on,
        registration_number: b.registration_number.as_deref(),
        rules: &b.rules,
        notes: b.notes.as_deref(),
    });
    record::create::<Cooperatives, _, _>(&state, bearer, idem, b, move |conn, auth| {
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

/// One cooperative.
#[utoipa::path(tag = "cooperatives", operation_id = "get_cooperative", params(("id" = i64, Path, description = "Cooperative id")),
    responses((status = 200, description = "The cooperative", body = Cooperative)), security(("bearer" = [])))]
#[get("/cooperatives/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Cooperatives>(&state, bearer, id.into_inner()).await
}

/// Correct a cooperative, or record a rule document as adopted (team of the village, department).
#[utoipa::path(tag = "cooperatives", operation_id = "update_cooperative",
    params(("id" = i64, Path, description = "Cooperative id"), IfMatch),
    request_body = CooperativePatch, responses((status = 200, description = "The changed cooperative", body = Cooperative)), security(("bearer" = [])))]
#[patch("/cooperatives/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<CooperativePatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Cooperatives, _>(&state, bearer, if_match, id.into_inner(), move |_, row| {
        let s = &row.cooperative.values;
        let rules = p.rules.clone().unwrap_or(RuleDocuments {
            investment: s.rule_investment_on,
            finance: s.rule_finance_on,
            safety: s.rule_safety_on,
            members: s.rule_members_on,
            wages: s.rule_wages_on,
        });
        Ok(Planned {
            values: values(Fields {
                village_id: s.village_id,
                name: p.name.as_deref().unwrap_or(&s.name),
                kind: p.kind.as_deref().unwrap_or(&s.kind),
                founded_on: p.founded_on.unwrap_or(s.founded_on),
                registration_number: patch(&p.registration_number, &s.registration_number)
                    .as_deref(),
                rules: &rules,
                notes: patch(&p.notes, &s.notes).as_deref(),
            })?,
            village_id: Some(s.village_id),
        })
    })
    .await
}

// ---- Members ----

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    #[schema(example = 14)]
    pub id: i64,
    pub cooperative_id: i64,
    #[schema(example = "次仁多吉")]
    pub name: String,
    /// The member's household, if linked.
    pub household_id: Option<i64>,
    #[schema(example = "2018-05-10")]
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    /// Contributions valued in fen.
    #[schema(example = 500000)]
    pub cash_fen: i64,
    #[schema(example = 0)]
    pub land_fen: i64,
    #[schema(example = 1200000)]
    pub livestock_fen: i64,
    /// cash + land + livestock.
    #[schema(example = 1700000)]
    pub capital_fen: i64,
    pub note: Option<String>,
    pub version: i32,
}

impl From<MemberRow> for Member {
    fn from(r: MemberRow) -> Self {
        let v = r.values;
        Self {
            id: r.id,
            cooperative_id: v.cooperative_id,
            name: v.name,
            household_id: v.household_id,
            joined_on: v.joined_on,
            left_on: v.left_on,
            capital_fen: v.cash_fen + v.land_fen + v.livestock_fen,
            cash_fen: v.cash_fen,
            land_fen: v.land_fen,
            livestock_fen: v.livestock_fen,
            note: v.note,
            version: r.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct MemberList {
    pub items: Vec<Member>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberCreate {
    #[schema(example = "次仁多吉")]
    pub name: String,
    /// A household of the cooperative's village.
    pub household_id: Option<i64>,
    #[schema(example = "2018-05-10")]
    pub joined_on: NaiveDate,
    pub left_on: Option<NaiveDate>,
    #[serde(default)]
    pub cash_fen: i64,
    #[serde(default)]
    pub land_fen: i64,
    #[serde(default)]
    pub livestock_fen: i64,
    pub note: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MemberPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub household_id: Option<Option<i64>>,
    pub joined_on: Option<NaiveDate>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub left_on: Option<Option<NaiveDate>>,
    pub cash_fen: Option<i64>,
    pub land_fen: Option<i64>,
    pub livestock_fen: Option<i64>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub note: Option<Option<String>>,
}

/// Members as versioned records (their place is the cooperative's village).
pub struct Members;

impl Record for Members {
    type Table = mq::Members;
    type View = Member;
    const RESOURCE: Resource = Resource::Cooperative;
    const ENTITY: &'static str = "cooperative_member";

    fn target(r: &MemberRow) -> Target {
        Target {
            department_id: r.department_id,
            village_id: Some(r.values.village_id),
        }
    }
    fn active(_: &MemberRow) -> bool {
        true
    }
}

#[allow(clippy::too_many_arguments)]
fn member_values(
    coop: &CooperativeView,
    name: &str,
    household_id: Option<i64>,
    joined_on: NaiveDate,
    left_on: Option<NaiveDate>,
    cash: i64,
    land: i64,
    livestock: i64,
    note: Option<&str>,
) -> Result<MemberValues, Invalid> {
    let mut inv = Invalid::new();
    let name = inv.check(text::name("name", name, 100));
    for (field, n) in [
        ("cash_fen", cash),
        ("land_fen", land),
        ("livestock_fen", livestock),
    ] {
        inv.check(rules::fen(field, n));
    }
    let note = inv.check(text::optional_text("note", note, 2000));
    if let Some(left) = left_on {
        if left < joined_on {
            inv.push(
                zhucun_domain::validation::field_error("left_on", "must not be before joined_on")
                    .coded("before", vec![("other", "joined_on".to_owned())]),
            );
        }
    }
    let (Some(name), Some(note)) = (name, note) else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(MemberValues {
        cooperative_id: coop.cooperative.id,
        village_id: coop.cooperative.values.village_id,
        name,
        household_id,
        joined_on,
        left_on,
        cash_fen: cash,
        land_fen: land,
        livestock_fen: livestock,
        note,
    })
}

/// A linked household must be of the cooperative's village.
fn check_household(
    conn: &mut DbConnection,
    auth: &Auth,
    village_id: i64,
    household_id: Option<i64>,
) -> Result<(), ApiError> {
    if let Some(h) = household_id {
        let household =
            diesel::OptionalExtension::optional(zhucun_persistence::households::get(conn, h))?;
        let same = household.is_some_and(|row| {
            row.household.department_id == auth.department_id()
                && row.household.values.village_id == village_id
        });
        if !same {
            return Err(
                zhucun_domain::validation::no_such("household_id", "household", false).into(),
            );
        }
    }
    Ok(())
}

/// A cooperative's members (left ones included), by joining day.
#[utoipa::path(tag = "cooperatives", operation_id = "list_cooperative_members",
    params(("id" = i64, Path, description = "Cooperative id")),
    responses((status = 200, description = "The members", body = MemberList)), security(("bearer" = [])))]
#[get("/cooperatives/{id}/members")]
pub async fn members(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<web::Json<MemberList>, ApiError> {
    let id = id.into_inner();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            record::load::<Cooperatives>(conn, auth, Action::Read, id)?;
            Ok(mq::of(conn, id)?)
        })
        .await?;
    Ok(web::Json(MemberList {
        items: rows.into_iter().map(Member::from).collect(),
    }))
}

/// Add a member with their contributions.
#[utoipa::path(tag = "cooperatives", operation_id = "add_cooperative_member",
    params(("id" = i64, Path, description = "Cooperative id"), Idempotency),
    request_body = MemberCreate,
    responses((status = 201, description = "Added", body = Member)), security(("bearer" = [])))]
#[post("/cooperatives/{id}/members")]
pub async fn add_member(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    id: web::Path<i64>,
    body: web::Json<MemberCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    record::create_under::<Members, Cooperatives, _, _>(
        &state,
        bearer,
        idem,
        id.into_inner(),
        serde_json::to_value(&b).map_err(ApiError::internal)?,
        move |conn, auth, coop| {
            let values = member_values(
                &coop,
                &b.name,
                b.household_id,
                b.joined_on,
                b.left_on,
                b.cash_fen,
                b.land_fen,
                b.livestock_fen,
                b.note.as_deref(),
            )?;
            check_household(conn, auth, values.village_id, values.household_id)?;
            Ok(Planned {
                village_id: Some(values.village_id),
                values,
            })
        },
    )
    .await
}

/// Correct a member, or record that they left.
#[utoipa::path(tag = "cooperatives", operation_id = "update_cooperative_member",
    params(("id" = i64, Path, description = "Cooperative id"), ("member_id" = i64, Path, description = "Member id"), IfMatch),
    request_body = MemberPatch,
    responses((status = 200, description = "The changed member", body = Member)), security(("bearer" = [])))]
#[patch("/cooperatives/{id}/members/{member_id}")]
pub async fn update_member(
    state: web::Data<AppState>,
    bearer: Bearer,
    path: web::Path<(i64, i64)>,
    if_match: IfMatch,
    body: web::Json<MemberPatch>,
) -> Result<HttpResponse, ApiError> {
    let (coop_id, member_id) = path.into_inner();
    let p = body.into_inner();
    let updated = state
        .write_as(bearer, move |conn, auth| {
            let coop = record::load::<Cooperatives>(conn, auth, Action::Read, coop_id)?;
            record::update_in::<Members, _>(conn, auth, &if_match, member_id, |conn, row| {
                let s = &row.values;
                if s.cooperative_id != coop_id {
                    return Err(ApiError::NotFound);
                }
                let values = member_values(
                    &coop,
                    p.name.as_deref().unwrap_or(&s.name),
                    patch(&p.household_id, &s.household_id),
                    p.joined_on.unwrap_or(s.joined_on),
                    patch(&p.left_on, &s.left_on),
                    p.cash_fen.unwrap_or(s.cash_fen),
                    p.land_fen.unwrap_or(s.land_fen),
                    p.livestock_fen.unwrap_or(s.livestock_fen),
                    patch(&p.note, &s.note).as_deref(),
                )?;
                check_household(conn, auth, values.village_id, values.household_id)?;
                Ok(Planned {
                    village_id: Some(values.village_id),
                    values,
                })
            })
        })
        .await?;
    record::respond::<Members>(StatusCode::OK, updated.after)
}

// ---- Yearly accounts ----

#[derive(Debug, Serialize, ToSchema)]
pub struct YearAccounts {
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = 68000000)]
    pub revenue_fen: i64,
    #[schema(example = 41000000)]
    pub costs_fen: i64,
    #[schema(example = 0)]
    pub losses_made_good_fen: i64,
    #[schema(example = 2700000)]
    pub reserves_fen: i64,
    /// revenue − costs − losses made good − reserves (negative for a loss).
    #[schema(example = 24300000)]
    pub distributable_fen: i64,
    pub version: i32,
}

impl From<YearRow> for YearAccounts {
    fn from(r: YearRow) -> Self {
        let v = r.values;
        let a = Accounts {
            revenue_fen: v.revenue_fen,
            costs_fen: v.costs_fen,
            losses_made_good_fen: v.losses_made_good_fen,
            reserves_fen: v.reserves_fen,
        };
        Self {
            year: v.year,
            revenue_fen: v.revenue_fen,
            costs_fen: v.costs_fen,
            losses_made_good_fen: v.losses_made_good_fen,
            reserves_fen: v.reserves_fen,
            distributable_fen: a.distributable_fen(),
            version: r.version,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct YearList {
    pub items: Vec<YearAccounts>,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountsBody {
    #[schema(example = 68000000)]
    pub revenue_fen: i64,
    #[schema(example = 41000000)]
    pub costs_fen: i64,
    #[serde(default)]
    pub losses_made_good_fen: i64,
    #[serde(default)]
    pub reserves_fen: i64,
}

/// Yearly accounts as versioned records.
pub struct Years;

impl Record for Years {
    type Table = yq::Years;
    type View = YearAccounts;
    const RESOURCE: Resource = Resource::Cooperative;
    const ENTITY: &'static str = "cooperative_year";

    fn target(r: &YearRow) -> Target {
        Target {
            department_id: r.department_id,
            village_id: Some(r.values.village_id),
        }
    }
    fn active(_: &YearRow) -> bool {
        true
    }
}

/// A cooperative's yearly accounts, oldest first.
#[utoipa::path(tag = "cooperatives", operation_id = "list_cooperative_years",
    params(("id" = i64, Path, description = "Cooperative id")),
    responses((status = 200, description = "The yearly accounts", body = YearList)), security(("bearer" = [])))]
#[get("/cooperatives/{id}/years")]
pub async fn years(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<web::Json<YearList>, ApiError> {
    let id = id.into_inner();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            record::load::<Cooperatives>(conn, auth, Action::Read, id)?;
            Ok(yq::of(conn, id)?)
        })
        .await?;
    Ok(web::Json(YearList {
        items: rows.into_iter().map(YearAccounts::from).collect(),
    }))
}

/// Record or replace a year's accounts (201 the first time, 200 after; `If-Match` honoured).
/// Once the year's surplus is distributed its accounts are closed (409 `accounts_distributed`):
/// the stored shares were computed from them.
#[utoipa::path(tag = "cooperatives", operation_id = "put_cooperative_year",
    params(("id" = i64, Path, description = "Cooperative id"),
        ("year" = i32, Path, description = "The year, 2011 to this year"), IfMatch),
    request_body = AccountsBody,
    responses((status = 200, description = "Replaced (or unchanged)", body = YearAccounts),
        (status = 201, description = "Created", body = YearAccounts),
        (status = 409, description = "The year's surplus has been distributed (`accounts_distributed`)", body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://zhucun.example/problems/conflict", "code": "accounts_distributed",
                "title": "Conflict", "status": 409, "detail": "the surplus of 2019 has been distributed: its accounts are closed"}))),
    security(("bearer" = [])))]
#[put("/cooperatives/{id}/years/{year}")]
pub async fn put_year(
    state: web::Data<AppState>,
    bearer: Bearer,
    path: web::Path<(i64, i32)>,
    if_match: IfMatch,
    body: web::Json<AccountsBody>,
) -> Result<HttpResponse, ApiError> {
    let (id, year) = path.into_inner();
    let b = body.into_inner();
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let year_ok = inv.check(zhucun_domain::survey::year("year", year, today));
    for (field, n) in [
        ("revenue_fen", b.revenue_fen),
        ("costs_fen", b.costs_fen),
        ("losses_made_good_fen", b.losses_made_good_fen),
        ("reserves_fen", b.reserves_fen),
    ] {
        inv.check(rules::fen(field, n));
    }
    if year_ok.is_some_and(|y| y > chrono::Datelike::year(&today)) {
        inv.push(
            zhucun_domain::validation::field_error("year", "must not be in the future")
                .coded("not_future", Vec::new()),
        );
    }
    inv.into_result()?;
    let (status, row) = state
        .write_as(bearer, move |conn, auth| {
            let coop = record::load::<Cooperatives>(conn, auth, Action::Update, id)?;
            let values = YearValues {
                cooperative_id: id,
                village_id: coop.cooperative.values.village_id,
                year,
                revenue_fen: b.revenue_fen,
                costs_fen: b.costs_fen,
                losses_made_good_fen: b.losses_made_good_fen,
                reserves_fen: b.reserves_fen,
            };
            match yq::find(conn, id, year)? {
                None => {
                    if if_match != IfMatch::Absent {
                        return Err(ApiError::PreconditionFailed);
                    }
                    let row = yq::Years::insert(conn, auth.department_id(), &values, now())?;
                    record::created::<Years>(conn, auth, row.clone())?;
                    Ok((StatusCode::CREATED, row))
                }
                Some(existing) => {
                    // The stored shares were computed from these accounts: they stay as they were.
                    if dq::exists(conn, id, year)? {
                        return Err(ApiError::Refused {
                            code: "accounts_distributed",
                            message: format!(
                                "the surplus of {year} has been distributed: its accounts are closed"
                            ),
                        });
                    }
                    let village_id = Some(values.village_id);
                    let updated = record::update_in::<Years, _>(
                        conn,
                        auth,
                        &if_match,
                        existing.id,
                        move |_, _| Ok(Planned { values, village_id }),
                    )?;
                    Ok((StatusCode::OK, updated.after))
                }
            }
        })
        .await?;
    record::respond::<Years>(status, row)
}

// ---- Distributions ----

/// One member's trade with the cooperative in the year.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TradeVolume {
    pub member_id: i64,
    #[schema(example = 3200000)]
    pub trade_fen: i64,
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"year": 2019, "by_trade_fen": 14580000,
    "trade": [{"member_id": 14, "trade_fen": 3200000}, {"member_id": 15, "trade_fen": 2100000}]}))]
pub struct DistributionRequest {
    /// A year with accounts and a positive distributable surplus.
    pub year: i32,
    /// What goes back by trade volume: at least 60 % of the distributable surplus (the rest goes
    /// by capital).
    pub by_trade_fen: i64,
    /// Trade volumes of the members (members not named traded nothing). Every member who had
    /// joined by the year's end and not left before its start shares.
    pub trade: Vec<TradeVolume>,
    /// `true`: compute and answer the plan (200) without storing it — the planner's check as the
    /// numbers are typed.
    #[serde(default)]
    pub preview: bool,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistributionShare {
    pub member_id: i64,
    #[schema(example = "次仁多吉")]
    pub name: String,
    pub trade_fen: i64,
    pub capital_fen: i64,
    pub by_trade_fen: i64,
    pub by_capital_fen: i64,
    pub total_fen: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Distribution {
    /// Null for a preview.
    pub id: Option<i64>,
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = 24300000)]
    pub distributable_fen: i64,
    #[schema(example = 14580000)]
    pub by_trade_fen: i64,
    #[schema(example = 9720000)]
    pub by_capital_fen: i64,
    /// The least that had to go back by trade volume (60 %, rounded up to the fen).
    #[schema(example = 14580000)]
    pub required_by_trade_fen: i64,
    pub shares: Vec<DistributionShare>,
    pub created_by_username: Option<String>,
    #[serde(serialize_with = "crate::dto::rfc3339_opt")]
    pub created_at: Option<DateTime<Utc>>,
}

impl From<DistributionView> for Distribution {
    fn from(v: DistributionView) -> Self {
        let d = v.distribution.values;
        Self {
            id: Some(v.distribution.id),
            year: d.year,
            distributable_fen: d.distributable_fen,
            by_trade_fen: d.by_trade_fen,
            by_capital_fen: d.by_capital_fen,
            required_by_trade_fen: rules::required_by_trade(d.distributable_fen),
            shares: v
                .shares
                .into_iter()
                .map(|(s, name)| DistributionShare {
                    member_id: s.member_id,
                    name,
                    trade_fen: s.trade_fen,
                    capital_fen: s.capital_fen,
                    by_trade_fen: s.by_trade_fen,
                    by_capital_fen: s.by_capital_fen,
                    total_fen: s.by_trade_fen + s.by_capital_fen,
                })
                .collect(),
            created_by_username: Some(d.created_by_username),
            created_at: Some(utc(d.created_at)),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DistributionList {
    pub items: Vec<Distribution>,
}

/// A cooperative's distributions, newest year first.
#[utoipa::path(tag = "cooperatives", operation_id = "list_cooperative_distributions",
    params(("id" = i64, Path, description = "Cooperative id")),
    responses((status = 200, description = "The distributions with their shares", body = DistributionList)), security(("bearer" = [])))]
#[get("/cooperatives/{id}/distributions")]
pub async fn distributions(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<web::Json<DistributionList>, ApiError> {
    let id = id.into_inner();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            record::load::<Cooperatives>(conn, auth, Action::Read, id)?;
            Ok(dq::of(conn, id)?)
        })
        .await?;
    Ok(web::Json(DistributionList {
        items: rows.into_iter().map(Distribution::from).collect(),
    }))
}

fn plan_error(e: PlanError) -> ApiError {
    match e {
        PlanError::Shortfall {
            required_fen,
            planned_fen,
            short_fen,
        } => ApiError::RuleNotMet {
            code: "distribution_below_sixty_percent",
            message: format!(
                "at least {required_fen} fen (60 % of the distributable surplus) must go back to members by trade volume; the plan gives {planned_fen}, {short_fen} short"
            ),
            params: vec![
                ("required_fen", required_fen.to_string()),
                ("planned_fen", planned_fen.to_string()),
                ("short_fen", short_fen.to_string()),
            ],
        },
        PlanError::NoSurplus { distributable_fen } => ApiError::RuleNotMet {
            code: "no_surplus",
            message: format!(
                "the year's distributable surplus is {distributable_fen} fen: nothing to distribute"
            ),
            params: vec![("distributable_fen", distributable_fen.to_string())],
        },
        PlanError::MoreThanSurplus { distributable_fen } => {
            zhucun_domain::validation::between("by_trade_fen", 0, distributable_fen).into()
        }
        PlanError::NoBasis { part } => ApiError::RuleNotMet {
            code: "no_basis",
            message: format!("no member has any {part} to share that part by"),
            params: vec![("part", part.to_owned())],
        },
        PlanError::Members(e) => e.into(),
    }
}

/// Plan a year's surplus distribution (team of the village, department). Refused with 422
/// `distribution_below_sixty_percent` (naming the shortfall in fen) unless at least 60 % of the
/// distributable surplus goes back to members by trade volume; each member's share is computed to
/// the fen (largest remainder, ties to the lower member id) and stored, once per year (409
/// `distribution_exists` after that). With `"preview": true` the plan is answered (200) and not stored.
#[utoipa::path(tag = "cooperatives", operation_id = "create_cooperative_distribution",
    params(("id" = i64, Path, description = "Cooperative id"), Idempotency),
    request_body = DistributionRequest,
    responses((status = 201, description = "Stored", body = Distribution),
        (status = 200, description = "A preview, not stored", body = Distribution),
        (status = 422, description = "The 60 % rule (or another rule of the plan) is not met", body = crate::error::Problem, content_type = "application/problem+json",
            example = json!({"type": "https://zhucun.example/problems/unprocessable", "code": "distribution_below_sixty_percent",
                "params": {"required_fen": "14580000", "planned_fen": "14000000", "short_fen": "580000"},
                "title": "Unprocessable request", "status": 422,
                "detail": "at least 14580000 fen (60 % of the distributable surplus) must go back to members by trade volume; the plan gives 14000000, 580000 short"}))),
    security(("bearer" = [])))]
#[post("/cooperatives/{id}/distributions")]
pub async fn distribute(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    id: web::Path<i64>,
    body: web::Json<DistributionRequest>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let b = body.into_inner();
    let result = state
        .write_as(bearer, move |conn, auth| -> Result<Outcome, ApiError> {
            let coop = record::load::<Cooperatives>(conn, auth, Action::Update, id)?;
            let accounts = yq::find(conn, id, b.year)?.ok_or_else(|| {
                ApiError::from(
                    zhucun_domain::validation::field_error(
                        "year",
                        "the cooperative has no accounts for this year: record them first",
                    )
                    .coded("no_accounts", Vec::new()),
                )
            })?;
            let distributable = YearAccounts::from(accounts).distributable_fen;
            let (start, end) = (
                NaiveDate::from_ymd_opt(b.year, 1, 1).unwrap_or(NaiveDate::MIN),
                NaiveDate::from_ymd_opt(b.year, 12, 31).unwrap_or(NaiveDate::MAX),
            );
            let all = mq::of(conn, id)?;
            for t in &b.trade {
                if !all.iter().any(|m| m.id == t.member_id) {
                    return Err(zhucun_domain::validation::no_such(
                        "trade.member_id",
                        "cooperative_member",
                        false,
                    )
                    .into());
                }
            }
            let sharing: Vec<&MemberRow> = all
                .iter()
                .filter(|m| {
                    m.values.joined_on <= end && m.values.left_on.is_none_or(|l| l >= start)
                })
                .collect();
            let bases: Vec<MemberBasis> = sharing
                .iter()
                .map(|m| MemberBasis {
                    member_id: m.id,
                    trade_fen: b
                        .trade
                        .iter()
                        .filter(|t| t.member_id == m.id)
                        .map(|t| t.trade_fen)
                        .sum(),
                    capital_fen: m.values.cash_fen + m.values.land_fen + m.values.livestock_fen,
                })
                .collect();
            let shares = rules::plan(distributable, b.by_trade_fen, &bases).map_err(plan_error)?;
            let name_of = |member: i64| {
                sharing
                    .iter()
                    .find(|m| m.id == member)
                    .map(|m| m.values.name.clone())
                    .unwrap_or_default()
            };
            let mut answer = Distribution {
                id: None,
                year: b.year,
                distributable_fen: distributable,
                by_trade_fen: b.by_trade_fen,
                by_capital_fen: distributable - b.by_trade_fen,
                required_by_trade_fen: rules::required_by_trade(distributable),
                shares: shares
                    .iter()
                    .zip(&bases)
                    .map(|(s, basis)| DistributionShare {
                        member_id: s.member_id,
                        name: name_of(s.member_id),
                        trade_fen: basis.trade_fen,
                        capital_fen: basis.capital_fen,
                        by_trade_fen: s.by_trade_fen,
                        by_capital_fen: s.by_capital_fen,
                        total_fen: s.total_fen(),
                    })
                    .collect(),
                created_by_username: None,
                created_at: None,
            };
            if b.preview {
                return Ok(Outcome::Preview(answer));
            }
            let created = crate::http::create_once(conn, auth.user.id, &idem, &b, |conn| {
                // Checked here, not only by the unique constraint, to name the rule; a repeated
                // request with the same key is answered as stored before it gets here.
                if dq::exists(conn, id, b.year)? {
                    return Err(ApiError::Refused {
                        code: "distribution_exists",
                        message: format!(
                            "the surplus of {} has already been distributed; a distribution is stored once",
                            b.year
                        ),
                    });
                }
                let at = now();
                let new = dq::NewDistribution {
                    department_id: coop.cooperative.department_id,
                    cooperative_id: id,
                    village_id: coop.cooperative.values.village_id,
                    year: b.year,
                    distributable_fen: distributable,
                    by_trade_fen: b.by_trade_fen,
                    by_capital_fen: distributable - b.by_trade_fen,
                    created_by_username: auth.user.username.clone(),
                    created_at: at,
                };
                let rows: Vec<(i64, i64, i64, i64, i64)> = answer
                    .shares
                    .iter()
                    .map(|s| {
                        (
                            s.member_id,
                            s.trade_fen,
                            s.capital_fen,
                            s.by_trade_fen,
                            s.by_capital_fen,
                        )
                    })
                    .collect();
                let new_id = dq::insert(conn, &new, &rows)?;
                answer.id = Some(new_id);
                answer.created_by_username = Some(auth.user.username.clone());
                answer.created_at = Some(utc(at));
                audit::record(
                    conn,
                    &auth.audit(),
                    "distribute",
                    Cooperatives::ENTITY,
                    id,
                    audit::NONE,
                    Some(&answer),
                )?;
                Ok((answer, 1))
            })?;
            Ok(Outcome::Stored(created))
        })
        .await?;
    Ok(match result {
        Outcome::Stored(created) => created.into_response(),
        Outcome::Preview(plan) => HttpResponse::Ok().json(plan),
    })
}

/// A plan answered, or stored (and answered as stored, replayed for a repeated key).
enum Outcome {
    Preview(Distribution),
    Stored(crate::http::Created),
}
