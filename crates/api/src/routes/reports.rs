//! The annual report (年度总结): a department's (or one village's) year computed from its records.
//! Every figure is a count or a sum the database computes at request time; nothing here knows the
//! numbers. Sections come with their modules: stationing, pairing, projects, funds, cooperatives,
//! activities and needs today; presence and disclosures as those modules land.

use crate::auth::Bearer;
use crate::error::ApiError;
use crate::export::{Form, CSV, XLSX};
use crate::record;
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{list_scope, Action, Resource};
use zhucun_persistence::reports::{self as q, Scope};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(compare).service(annual);
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AnnualQuery {
    /// The calendar year.
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: i32,
    /// One village of the department (team and committee users: one of theirs). Without it: every
    /// village the user sees.
    #[param(example = 3)]
    pub village_id: Option<i64>,
    /// `json` (default), `xlsx` or `csv`; without it, the `Accept` header chooses
    /// (`application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`, `text/csv`).
    #[param(example = "xlsx")]
    pub format: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentName {
    #[schema(example = 1)]
    pub id: i64,
    #[schema(example = "西藏自治区财政厅")]
    pub name: String,
}

/// Work teams in the villages during the year.
#[derive(Debug, Serialize, ToSchema)]
pub struct StationingFigures {
    /// Villages with a team of a round that overlaps the year.
    #[schema(example = 5)]
    pub villages: i64,
    #[schema(example = 5)]
    pub teams: i64,
    /// Cadres whose team membership overlaps the year.
    #[schema(example = 15)]
    pub cadres_stationed: i64,
    /// Rounds (驻村批次) overlapping the year that had a team in the villages.
    #[schema(example = 2)]
    pub rounds: i64,
}

/// 结对认亲 and 帮扶 in the year.
#[derive(Debug, Serialize, ToSchema)]
pub struct PairingFigures {
    /// Cadres with a pairing in the year.
    #[schema(example = 223)]
    pub cadres: i64,
    /// Households with a pairing in the year.
    #[schema(example = 176)]
    pub households: i64,
    /// Assistance given in the year, in fen (cash, and goods valued).
    #[schema(example = 8845050)]
    pub assistance_fen: i64,
    /// The same by kind (`cash`, `goods`, `service`), in fen; kinds without records are absent.
    #[schema(example = json!({"cash": 5210000, "goods": 3635050, "service": 0}))]
    pub assistance_by_kind: BTreeMap<String, i64>,
}

/// A category's projects of the year.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryFigures {
    #[schema(example = 4)]
    pub count: i64,
    /// The projects' budgets, in fen.
    #[schema(example = 103000000)]
    pub budget_fen: i64,
    /// What their ledger entries brought (allocations and donations, reversals included), in fen.
    #[schema(example = 103000000)]
    pub funds_fen: i64,
}

/// 驻村项目 of the year (a project's own year).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProjectsFigures {
    #[schema(example = 9)]
    pub count: i64,
    /// Projects per stage code; stages without projects are absent.
    #[schema(example = json!({"accepted": 8, "completed": 1}))]
    pub by_stage: BTreeMap<String, i64>,
    /// Per category code; categories without projects are absent.
    pub by_category: BTreeMap<String, CategoryFigures>,
}

/// A donor and what it gave in the year.
#[derive(Debug, Serialize, ToSchema)]
pub struct DonorFigures {
    #[schema(example = "西藏自治区红十字会")]
    pub name: String,
    #[schema(example = 25000000)]
    pub total_fen: i64,
}

/// The ledger's money and goods dated in the year (reversals included).
#[derive(Debug, Serialize, ToSchema)]
pub struct FundsFigures {
    /// Received: allocations and donations, in cash and in kind, in fen.
    #[schema(example = 370030000)]
    pub total_fen: i64,
    /// Spent (expenditures), in fen.
    #[schema(example = 118050000)]
    pub spent_fen: i64,
    /// Received per source code (finance, department, donor, other).
    #[schema(example = json!({"finance": 198000000, "department": 30000000, "donor": 142030000}))]
    pub by_source: BTreeMap<String, i64>,
    /// Per kind code (allocation, expenditure, cash_donation, in_kind_donation).
    pub by_kind: BTreeMap<String, i64>,
    /// Goods in kind put into projects (industry support such as seed), in fen.
    #[schema(example = 15000000)]
    pub in_kind_fen: i64,
    /// Goods in kind given without a project (relief goods, 慰问品), in fen.
    #[schema(example = 104680000)]
    pub relief_goods_fen: i64,
    /// Donors of those relief goods.
    #[schema(example = 6)]
    pub relief_donors: i64,
    /// Every donor of the year with what it gave, largest first.
    pub donors: Vec<DonorFigures>,
    /// Entries of the year still waiting for the village committee's confirmation.
    #[schema(example = 3)]
    pub unconfirmed: i64,
}

/// 合作社 of the villages: members and capital at the year's end, the year's surplus and what
/// distributions gave back to members.
#[derive(Debug, Serialize, ToSchema)]
pub struct CooperativesFigures {
    #[schema(example = 3)]
    pub count: i64,
    /// Members at the year's end (joined by then, not left).
    #[schema(example = 25)]
    pub members: i64,
    /// Their contributions (cash, land, livestock valued), in fen.
    #[schema(example = 17300000)]
    pub capital_fen: i64,
    /// The year's distributable surplus of the cooperatives with accounts, in fen.
    #[schema(example = 24300000)]
    pub surplus_fen: i64,
    /// What the year's distributions gave back to members, in fen.
    #[schema(example = 24300000)]
    pub distributed_to_members_fen: i64,
}

/// The year of a department, or of one village.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnualReport {
    #[schema(example = 2019)]
    pub year: i32,
    pub department: DepartmentName,
    /// The village the report is about, or null for every village the user sees.
    #[schema(example = json!(null))]
    pub village_id: Option<i64>,
    /// Its name (null for every village).
    #[schema(example = json!(null))]
    pub village_name: Option<String>,
    pub stationing: StationingFigures,
    pub pairing: PairingFigures,
    pub projects: ProjectsFigures,
    pub funds: FundsFigures,
    pub cooperatives: CooperativesFigures,
    // --- activities and needs (their own block, see `village_work`) ---
    /// New party members developed in the year (party-building activities).
    #[schema(example = 2)]
    pub party_members_developed: i64,
    /// The year's activities by kind, trainings by skill, clinics.
    pub activities: crate::routes::activities::ActivityFigures,
    pub needs: NeedFigures,
    // --- presence and disclosures (see `presence_figures`, `disclosure_figures`) ---
    pub presence: PresenceFigures,
    pub disclosures: DisclosureFigures,
}

/// 驻村考勤 of the year, per cadre and month of team membership (up to today): the months with
/// days recorded, how many of those fell below the department's minimum of days in the village,
/// and the average days in the village over them; the membership months with nothing recorded
/// are counted apart (days unaccounted, not days away).
#[derive(Debug, Serialize, ToSchema)]
pub struct PresenceFigures {
    #[schema(example = 45)]
    pub cadre_months: i64,
    #[schema(example = 2)]
    pub below_minimum: i64,
    /// One decimal.
    #[schema(example = 23.4)]
    pub average_days_in_village: f64,
    #[schema(example = 12)]
    pub months_without_records: i64,
    /// The department's minimum of days in the village a month.
    #[schema(example = 20)]
    pub min_days_in_village: i32,
}

/// 村务公开 of the year: disclosures published in it, and the disclosure calendar's items of the
/// villages' year that are overdue (or due) today.
#[derive(Debug, Serialize, ToSchema)]
pub struct DisclosureFigures {
    #[schema(example = 60)]
    pub published: i64,
    #[schema(example = 3)]
    pub overdue: i64,
    #[schema(example = 1)]
    pub due: i64,
}

/// The presence section: the memberships of the scope, their days and approved leave in the year
/// (three queries), summed per cadre and month with the domain's month arithmetic.
fn presence_figures(
    conn: &mut zhucun_persistence::DbConnection,
    s: &Scope<'_>,
) -> Result<PresenceFigures, ApiError> {
    use zhucun_domain::presence::{self as rules, DayRecord, Status};
    let (first, last) = (s.first_day(), s.last_day());
    let members = q::memberships(conn, s)?;
    let mut cadres: Vec<i64> = members.iter().map(|m| m.0).collect();
    cadres.sort_unstable();
    cadres.dedup();
    let days = zhucun_persistence::presence::team_days(conn, &cadres, first, last)?;
    let leave = zhucun_persistence::presence::approved_leave(conn, &cadres, first, last)?;
    let (min_days, _) = zhucun_persistence::presence::department_rules(conn, s.department_id)?;
    let today = zhucun_domain::calendar::today_local();
    let (mut months, mut below, mut unrecorded, mut in_village) = (0i64, 0i64, 0i64, 0i64);
    for (cadre, from, to) in &members {
        let records: Vec<DayRecord> = days
            .iter()
            .filter(|(c, _, _)| c == cadre)
            .map(|(_, day, status)| DayRecord {
                day: *day,
                status: Status::from_code(status).unwrap_or(Status::Away),
            })
            .collect();
        let ranges: Vec<(chrono::NaiveDate, chrono::NaiveDate)> = leave
            .iter()
            .filter(|(c, _, _)| c == cadre)
            .map(|(_, a, b)| (*a, *b))
            .collect();
        for month in 1..=12 {
            let Ok(bounds) = rules::month_bounds("month", &format!("{}-{month:02}", s.year)) else {
                continue;
            };
            let Some(period) = rules::period_of(bounds, *from, *to, today) else {
                continue;
            };
            let recorded: Vec<DayRecord> = records
                .iter()
                .filter(|r| r.day >= period.0 && r.day <= period.1)
                .cloned()
                .collect();
            if recorded.is_empty() {
                unrecorded += 1;
                continue;
            }
            let f = rules::month_figures(Some(period), &recorded, &ranges, min_days);
            months += 1;
            in_village += f.days_in_village;
            if !f.meets_minimum {
                below += 1;
            }
        }
    }
    // Days and months are small: exact in f64; rounded to one decimal.
    #[allow(clippy::cast_precision_loss)]
    let average = if months == 0 {
        0.0
    } else {
        (in_village as f64 * 10.0 / months as f64).round() / 10.0
    };
    Ok(PresenceFigures {
        cadre_months: months,
        below_minimum: below,
        average_days_in_village: average,
        months_without_records: unrecorded,
        min_days_in_village: min_days,
    })
}

/// The disclosures section: published in the year, and the calendar of each village of the scope
/// (its facts read for all of them at once).
fn disclosure_figures(
    conn: &mut zhucun_persistence::DbConnection,
    s: &Scope<'_>,
) -> Result<DisclosureFigures, ApiError> {
    use zhucun_domain::disclosure as rules;
    let (first, last) = (s.first_day(), s.last_day());
    let published = zhucun_persistence::disclosures::published_count(
        conn,
        s.department_id,
        s.villages,
        (first, last),
    )?;
    let villages: Vec<i64> = match s.villages {
        Some(ids) => ids.to_vec(),
        None => zhucun_persistence::villages::ids_of_department(conn, s.department_id)?,
    };
    let department = zhucun_persistence::departments::get(conn, s.department_id)?;
    let days = u32::try_from(department.major_disclosure_days).unwrap_or(7);
    let today = zhucun_domain::calendar::today_local();
    let (mut overdue, mut due) = (0i64, 0i64);
    for facts in
        crate::routes::disclosures::facts_by_village(conn, &villages, (first, last))?.values()
    {
        for item in rules::calendar(s.year, facts, today, days) {
            match item.state {
                rules::State::Overdue => overdue += 1,
                rules::State::Due => due += 1,
                _ => {}
            }
        }
    }
    Ok(DisclosureFigures {
        published,
        overdue,
        due,
    })
}

/// 群众诉求 of the year: raised in it; resolved and declined in it; of those raised in it, how many
/// are still open (or in progress) today and how many of those are past their due day.
#[derive(Debug, Serialize, ToSchema)]
pub struct NeedFigures {
    #[schema(example = 4)]
    pub raised: i64,
    #[schema(example = 1)]
    pub resolved: i64,
    #[schema(example = 1)]
    pub declined: i64,
    #[schema(example = 2)]
    pub open: i64,
    #[schema(example = 1)]
    pub overdue: i64,
}

/// The activities and needs sections (one function, so other sections merge beside it).
fn village_work(
    conn: &mut zhucun_persistence::DbConnection,
    s: &Scope<'_>,
) -> Result<(crate::routes::activities::ActivityFigures, NeedFigures), ApiError> {
    let days = (
        chrono::NaiveDate::from_ymd_opt(s.year, 1, 1),
        chrono::NaiveDate::from_ymd_opt(s.year, 12, 31),
    );
    let activities = crate::routes::activities::figures(
        conn,
        s.department_id,
        s.villages.map(<[i64]>::to_vec),
        days,
    )?;
    let (Some(first), Some(last)) = days else {
        return Err(zhucun_domain::validation::between("year", 2011, 2100).into());
    };
    let n = zhucun_persistence::needs::year_figures(
        conn,
        s.department_id,
        s.villages,
        (first, last),
        zhucun_domain::calendar::today_local(),
    )?;
    Ok((
        activities,
        NeedFigures {
            raised: n.raised,
            resolved: n.resolved,
            declined: n.declined,
            open: n.open,
            overdue: n.overdue,
        },
    ))
}

/// The annual report for a year: computed from the records at request time, for the user's
/// department (or one village with `village_id`). Team and committee users get their villages'
/// figures; regional users get aggregates from the statistics endpoints instead (403 here).
/// `format=xlsx` (or `Accept: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet`)
/// answers a workbook with one sheet per section, `format=csv` (or `Accept: text/csv`) one CSV
/// row per figure (UTF-8 with a BOM); both as downloads named like
/// `2019年驻村工作年报-西藏自治区财政厅.xlsx`.
#[utoipa::path(tag = "reports", operation_id = "annual_report", params(AnnualQuery),
    responses((status = 200, description = "The year's figures",
        content((AnnualReport = "application/json"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            (String = "text/csv")))),
    security(("bearer" = [])))]
#[get("/reports/annual")]
pub async fn annual(
    state: web::Data<AppState>,
    bearer: Bearer,
    req: actix_web::HttpRequest,
    query: web::Query<AnnualQuery>,
) -> Result<HttpResponse, ApiError> {
    let AnnualQuery {
        year,
        village_id,
        format,
    } = query.into_inner();
    let form = crate::export::requested(&req, format.as_deref())?;
    if !(2011..=2100).contains(&year) {
        return Err(zhucun_domain::validation::between("year", 2011, 2100).into());
    }
    let report = state
        .read_as_alone(bearer, move |conn, auth| {
            // Who may read village work reads its report; the committee and the team only theirs.
            let scope = list_scope(&auth.actor, Resource::Survey).map_err(ApiError::from)?;
            let mut village_name = None;
            let villages: Option<Vec<i64>> = match village_id {
                Some(id) => {
                    // 404 for a village of another department or outside the user's villages.
                    village_name =
                        Some(record::load::<Villages>(conn, auth, Action::Read, id)?.name);
                    Some(vec![id])
                }
                None => scope.villages,
            };
            let s = Scope {
                department_id: scope.department_id,
                year,
                villages: villages.as_deref(),
            };
            let stationing = q::stationing(conn, &s)?;
            let pairing = q::pairing(conn, &s)?;
            let (activities, needs) = village_work(conn, &s)?;
            let presence = presence_figures(conn, &s)?;
            let disclosures = disclosure_figures(conn, &s)?;
            let projects = q::projects(conn, &s)?;
            let funds = q::funds(conn, &s)?;
            let (count, members, capital_fen, surplus_fen, distributed_to_members_fen) =
                zhucun_persistence::cooperatives::report(
                    conn,
                    scope.department_id,
                    villages.as_deref(),
                    year,
                )?;
            let department = zhucun_persistence::departments::get(conn, scope.department_id)?;
            Ok(AnnualReport {
                year,
                department: DepartmentName {
                    id: department.id,
                    name: department.name,
                },
                village_id,
                village_name,
                stationing: StationingFigures {
                    villages: stationing.villages,
                    teams: stationing.teams,
                    cadres_stationed: stationing.cadres_stationed,
                    rounds: stationing.rounds,
                },
                pairing: PairingFigures {
                    cadres: pairing.cadres,
                    households: pairing.households,
                    assistance_fen: pairing.assistance_fen,
                    assistance_by_kind: pairing.assistance_by_kind.into_iter().collect(),
                },
                party_members_developed: activities.party_members_developed,
                activities,
                needs,
                presence,
                disclosures,
                projects: ProjectsFigures {
                    count: projects.count,
                    by_stage: projects.by_stage.into_iter().collect(),
                    by_category: projects
                        .by_category
                        .into_iter()
                        .map(|(c, count, budget_fen, funds_fen)| {
                            (
                                c,
                                CategoryFigures {
                                    count,
                                    budget_fen,
                                    funds_fen,
                                },
                            )
                        })
                        .collect(),
                },
                funds: FundsFigures {
                    total_fen: funds.total_fen,
                    spent_fen: funds.spent_fen,
                    by_source: funds.by_source.into_iter().collect(),
                    by_kind: funds.by_kind.into_iter().collect(),
                    in_kind_fen: funds.in_kind_fen,
                    relief_goods_fen: funds.relief_goods_fen,
                    relief_donors: funds.relief_donors,
                    donors: funds
                        .donors
                        .into_iter()
                        .map(|(name, total_fen)| DonorFigures { name, total_fen })
                        .collect(),
                    unconfirmed: funds.unconfirmed,
                },
                cooperatives: CooperativesFigures {
                    count,
                    members,
                    capital_fen,
                    surplus_fen,
                    distributed_to_members_fen,
                },
            })
        })
        .await?;
    match form {
        Form::Json => Ok(HttpResponse::Ok().json(report)),
        Form::Csv => Ok(HttpResponse::Ok()
            .content_type(CSV)
            .insert_header((
                actix_web::http::header::CONTENT_DISPOSITION,
                super::report_export::disposition(&report, "csv"),
            ))
            .body(super::report_export::csv(&report))),
        Form::Xlsx => {
            let name = super::report_export::disposition(&report, "xlsx");
            // Building the workbook is CPU work: off the actix worker.
            let bytes = web::block(move || super::report_export::xlsx(&report))
                .await
                .map_err(ApiError::internal)?
                .map_err(ApiError::internal)?;
            Ok(HttpResponse::Ok()
                .content_type(XLSX)
                .insert_header((actix_web::http::header::CONTENT_DISPOSITION, name))
                .body(bytes))
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CompareQuery {
    /// The first year.
    #[param(minimum = 2011, maximum = 2100, example = 2012)]
    pub from: i32,
    /// The last year (at most 20 years after `from`, inclusive).
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub to: i32,
    /// One village of the department (team and committee users: one of theirs). Without it: every
    /// village the user sees.
    #[param(example = 3)]
    pub village_id: Option<i64>,
}

/// One year's headline figures; each means what the annual report's figure of the same name means.
#[derive(Debug, Serialize, ToSchema)]
pub struct YearFigures {
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = 5)]
    pub villages: i64,
    #[schema(example = 5)]
    pub teams: i64,
    #[schema(example = 15)]
    pub cadres_stationed: i64,
    /// Households paired (结对认亲) in the year.
    #[schema(example = 140)]
    pub paired_households: i64,
    #[schema(example = 32000000)]
    pub assistance_fen: i64,
    /// Projects of the year and their budgets.
    #[schema(example = 6)]
    pub projects: i64,
    #[schema(example = 480000000)]
    pub project_budget_fen: i64,
    /// Ledger entries dated in the year: received (allocations and donations), spent.
    #[schema(example = 500000000)]
    pub funds_received_fen: i64,
    #[schema(example = 120000000)]
    pub funds_spent_fen: i64,
    #[schema(example = 16)]
    pub activities: i64,
    #[schema(example = 900)]
    pub participants: i64,
    #[schema(example = 1200)]
    pub beneficiaries: i64,
    #[schema(example = 2)]
    pub party_members_developed: i64,
    #[schema(example = 4)]
    pub needs_raised: i64,
    #[schema(example = 1)]
    pub needs_resolved: i64,
    #[schema(example = 1458000)]
    pub distributed_to_members_fen: i64,
}

/// A year-on-year comparison: every year of the range, oldest first, years without records as zeros.
#[derive(Debug, Serialize, ToSchema)]
pub struct AnnualComparison {
    pub department: DepartmentName,
    pub village_id: Option<i64>,
    #[schema(example = "亚卡亚村")]
    pub village_name: Option<String>,
    #[schema(example = 2012)]
    pub from: i32,
    #[schema(example = 2019)]
    pub to: i32,
    pub years: Vec<YearFigures>,
}

impl From<zhucun_persistence::report_years::YearRow> for YearFigures {
    fn from(r: zhucun_persistence::report_years::YearRow) -> Self {
        YearFigures {
            year: r.year,
            villages: r.villages,
            teams: r.teams,
            cadres_stationed: r.cadres_stationed,
            paired_households: r.paired_households,
            assistance_fen: r.assistance_fen,
            projects: r.projects,
            project_budget_fen: r.project_budget_fen,
            funds_received_fen: r.funds_received_fen,
            funds_spent_fen: r.funds_spent_fen,
            activities: r.activities,
            participants: r.participants,
            beneficiaries: r.beneficiaries,
            party_members_developed: r.party_members_developed,
            needs_raised: r.needs_raised,
            needs_resolved: r.needs_resolved,
            distributed_to_members_fen: r.distributed_to_members_fen,
        }
    }
}

/// The annual report's headline figures year by year (`from` to `to`, at most 20 years), for the
/// user's department or one village: the same figures as `/reports/annual` computes for each year,
/// in one grouped query per figure family however long the range.
#[utoipa::path(tag = "reports", operation_id = "annual_report_comparison", params(CompareQuery),
    responses((status = 200, description = "The figures of every year of the range", body = AnnualComparison)),
    security(("bearer" = [])))]
#[get("/reports/annual/compare")]
pub async fn compare(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<CompareQuery>,
) -> Result<web::Json<AnnualComparison>, ApiError> {
    use zhucun_persistence::report_years::{self as ry, MAX_YEARS};
    let CompareQuery {
        from,
        to,
        village_id,
    } = query.into_inner();
    let mut inv = zhucun_domain::validation::Invalid::new();
    for (field, y) in [("from", from), ("to", to)] {
        if !(2011..=2100).contains(&y) {
            inv.push(zhucun_domain::validation::between(field, 2011, 2100));
        }
    }
    if to < from {
        inv.push(zhucun_domain::validation::field_error(
            "to",
            "must not be before from",
        ));
    } else if to - from >= MAX_YEARS {
        inv.push(zhucun_domain::validation::field_error(
            "to",
            format!("at most {MAX_YEARS} years at once"),
        ));
    }
    inv.into_result()?;
    let answer = state
        .read_as_alone(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Survey).map_err(ApiError::from)?;
            let mut village_name = None;
            let villages: Option<Vec<i64>> = match village_id {
                Some(id) => {
                    village_name =
                        Some(record::load::<Villages>(conn, auth, Action::Read, id)?.name);
                    Some(vec![id])
                }
                None => scope.villages,
            };
            let years = ry::by_year(conn, scope.department_id, villages.as_deref(), from, to)?;
            let department = zhucun_persistence::departments::get(conn, scope.department_id)?;
            Ok(AnnualComparison {
                department: DepartmentName {
                    id: department.id,
                    name: department.name,
                },
                village_id,
                village_name,
                from,
                to,
                years: years.into_iter().map(YearFigures::from).collect(),
            })
        })
        .await?;
    Ok(web::Json(answer))
}
