//! Region-wide statistics (区域统计) for the regional strengthening office (强基办) and its
//! `stats:read` API clients: the annual report's figures summed per department, per county and
//! per village of a county, across every department, with no names of people and no household
//! rows.
//!
//! Every figure means what the annual report's figure of the same name means (a test compares the
//! departments' rows with their annual reports). The figures are computed in one grouped query
//! per figure family over every village at once (`zhucun_persistence::stats`) and folded here into
//! the rows asked for.
//!
//! Small cells: the figures about households (households paired, households assisted, the
//! assistance's count and value) of a row whose paired or assisted households are 1 to
//! `min_cell − 1` (default 3, `ZHUCUN_STATS_MIN_CELL`) are withheld: null, and the row's
//! `suppressed` names them. Each answer also carries its total; so that a withheld cell cannot be
//! recomputed as the total minus the other rows, a second row is withheld with it (the one with
//! the fewest households) until at least two rows are withheld and together they are about at
//! least `min_cell` households; when there is no such row the total's household cells are withheld
//! instead. A total under `min_cell` is withheld like any cell. The same rule applies at every
//! level (departments, counties, villages of a county), so the villages of a county never reveal
//! a cell against the county's row either.

use crate::auth::Bearer;
use crate::error::ApiError;
use crate::export::{Cell, Form};
use crate::state::AppState;
use crate::stats_summary::{self as summary, level};
use actix_web::{get, web, HttpResponse};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::divisions;
use zhucun_domain::validation::{between, field_error, Invalid};
use zhucun_domain::{list_scope, Resource};
use zhucun_persistence::stats::{self as q, Place, VillagePlace};
use zhucun_persistence::stats_summary as store;

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(stats_departments)
        .service(stats_counties)
        .service(stats_villages);
}

/// The default smallest number of households a published cell may be about.
pub const DEFAULT_MIN_CELL: u32 = 3;

/// The most villages one county's answer lists.
pub const MAX_VILLAGES_PER_COUNTY: usize = 2000;

// ---- the answer's shapes ----

/// A category's projects of the year.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct CategoryStats {
    #[schema(example = 4)]
    pub count: i64,
    /// The projects' budgets, in fen.
    #[schema(example = 103000000)]
    pub budget_fen: i64,
    /// What their ledger entries brought (allocations and donations, reversals included), in fen.
    #[schema(example = 103000000)]
    pub funds_fen: i64,
}

/// Activities of one kind.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct ActivityKindStats {
    #[schema(example = 2)]
    pub count: i64,
    #[schema(example = 160)]
    pub participants: i64,
    #[schema(example = 650)]
    pub beneficiaries: i64,
}

/// The figures of one row (a department, a county, a village) or of a total, for a year.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct StatsFigures {
    /// Villages with a team of a round overlapping the year.
    #[schema(example = 5)]
    pub villages_stationed: i64,
    #[schema(example = 5)]
    pub teams: i64,
    /// Cadres whose team membership overlaps the year (each counted once per row).
    #[schema(example = 15)]
    pub cadres_stationed: i64,
    /// Households paired (结对认亲) in the year; null when withheld (see `suppressed`).
    #[schema(example = 176)]
    pub households_paired: Option<i64>,
    /// Households that received assistance in the year; null when withheld.
    #[schema(example = 150)]
    pub households_assisted: Option<i64>,
    /// Assistance records of the year; null when withheld.
    #[schema(example = 320)]
    pub assistance_count: Option<i64>,
    /// Their value in fen (cash, and goods valued); null when withheld.
    #[schema(example = 8845050)]
    pub assistance_fen: Option<i64>,
    /// Projects of the year (a project's own year).
    #[schema(example = 9)]
    pub projects: i64,
    /// Projects per stage code; stages without projects are absent.
    #[schema(example = json!({"accepted": 8, "completed": 1}))]
    pub projects_by_stage: BTreeMap<String, i64>,
    /// Per category code: projects, budgets and the funds their ledger entries brought.
    pub projects_by_category: BTreeMap<String, CategoryStats>,
    /// Ledger entries dated in the year: received (allocations and donations), in fen.
    #[schema(example = 370030000)]
    pub funds_received_fen: i64,
    /// Spent (expenditures), in fen.
    #[schema(example = 118050000)]
    pub funds_spent_fen: i64,
    /// Received per source code (finance, department, donor, other), in fen.
    #[schema(example = json!({"finance": 198000000, "department": 30000000, "donor": 142030000}))]
    pub funds_by_source: BTreeMap<String, i64>,
    /// Per ledger kind code (allocation, expenditure, cash_donation, in_kind_donation), in fen.
    #[schema(example = json!({"allocation": 228000000, "expenditure": 118050000}))]
    pub funds_by_kind: BTreeMap<String, i64>,
    /// Activities held in the year.
    #[schema(example = 16)]
    pub activities: i64,
    /// Per activity kind code.
    pub activities_by_kind: BTreeMap<String, ActivityKindStats>,
    /// Needs (群众诉求) resolved in the year.
    #[schema(example = 3)]
    pub needs_resolved: i64,
    /// Cadre-months (per team membership) with days recorded and fewer days in the village than
    /// the department's minimum.
    #[schema(example = 2)]
    pub presence_below_minimum: i64,
    /// Items of the villages' disclosure calendar of the year overdue today.
    #[schema(example = 1)]
    pub disclosures_overdue: i64,
    /// The fields withheld (null) because they are about fewer than `min_cell` households, or
    /// would let such a cell be recomputed from the total.
    #[schema(example = json!([]))]
    pub suppressed: Vec<String>,
}

/// The household figures, withheld together.
const HOUSEHOLD_FIELDS: [&str; 4] = [
    "households_paired",
    "households_assisted",
    "assistance_count",
    "assistance_fen",
];

#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentStatsRow {
    #[schema(example = 1)]
    pub department_id: i64,
    #[schema(example = "西藏自治区财政厅")]
    pub department_name: String,
    pub figures: StatsFigures,
}

/// One year of the departments.
#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentStatsYear {
    #[schema(example = 2019)]
    pub year: i32,
    /// Every department, by id.
    pub departments: Vec<DepartmentStatsRow>,
    /// The region.
    pub total: StatsFigures,
}

/// Every department's figures for a year (`year`) or year by year (`from`–`to`).
#[derive(Debug, Serialize, ToSchema)]
pub struct DepartmentStats {
    /// When the figures were taken (the summary is refreshed after writes; see the README).
    #[schema(example = "2026-11-30T08:00:00Z")]
    pub as_of: chrono::DateTime<chrono::Utc>,
    #[schema(example = 2019)]
    pub from: i32,
    #[schema(example = 2019)]
    pub to: i32,
    /// Cells about fewer households than this are withheld.
    #[schema(example = 3)]
    pub min_cell: u32,
    /// Oldest first.
    pub years: Vec<DepartmentStatsYear>,
}

/// A 市 or 县 of the divisions reference.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Division {
    /// The administrative code; null for villages whose place is not recorded.
    #[schema(example = "540200")]
    pub code: Option<String>,
    #[schema(example = "日喀则市")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CountyStatsRow {
    pub prefecture: Division,
    pub county: Division,
    /// Villages of the county on record (of every department).
    #[schema(example = 12)]
    pub villages: i64,
    pub figures: StatsFigures,
}

/// The counties of a prefecture (or of the region) for a year.
#[derive(Debug, Serialize, ToSchema)]
pub struct CountyStats {
    /// When the figures were taken (the summary is refreshed after writes; see the README).
    #[schema(example = "2026-11-30T08:00:00Z")]
    pub as_of: chrono::DateTime<chrono::Utc>,
    #[schema(example = 2019)]
    pub year: i32,
    /// The prefecture asked for; null for the whole region.
    pub prefecture: Option<Division>,
    #[schema(example = 3)]
    pub min_cell: u32,
    /// Every county of the reference in code order (with zeros where nothing is recorded), then
    /// places outside it (未记录).
    pub counties: Vec<CountyStatsRow>,
    pub total: StatsFigures,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VillageStatsRow {
    #[schema(example = 3)]
    pub village_id: i64,
    #[schema(example = "马格达村")]
    pub village_name: String,
    #[schema(example = 1)]
    pub department_id: i64,
    #[schema(example = "西藏自治区财政厅")]
    pub department_name: String,
    pub figures: StatsFigures,
}

/// The villages of a county (of every department) for a year: counts and sums only.
#[derive(Debug, Serialize, ToSchema)]
pub struct VillageStats {
    /// When the figures were taken (the summary is refreshed after writes; see the README).
    #[schema(example = "2026-11-30T08:00:00Z")]
    pub as_of: chrono::DateTime<chrono::Utc>,
    #[schema(example = 2019)]
    pub year: i32,
    pub prefecture: Division,
    pub county: Division,
    #[schema(example = 3)]
    pub min_cell: u32,
    /// By village name.
    pub villages: Vec<VillageStatsRow>,
    /// The county (the same figures as its row of `/stats/counties`).
    pub total: StatsFigures,
}

// ---- queries ----

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct DepartmentsQuery {
    /// The calendar year (or `from` and `to`).
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    /// The first year of a year-by-year comparison (with `to`, at most 20 years).
    #[param(minimum = 2011, maximum = 2100, example = 2017)]
    pub from: Option<i32>,
    /// The last year of the comparison.
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub to: Option<i32>,
    /// `json` (default), `csv` or `xlsx`; without it, the `Accept` header chooses.
    #[param(example = "csv")]
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct CountiesQuery {
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: i32,
    /// A prefecture's administrative code (`/divisions`); without it, every county of the region.
    #[param(example = "540200")]
    pub prefecture: Option<String>,
    /// `json` (default), `csv` or `xlsx`.
    #[param(example = "csv")]
    pub format: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct VillagesQuery {
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: i32,
    /// A county's administrative code (`/divisions`).
    #[param(example = "540221")]
    pub county: String,
    /// `json` (default), `csv` or `xlsx`.
    #[param(example = "csv")]
    pub format: Option<String>,
}

fn check_year(inv: &mut Invalid, field: &str, year: i32) {
    if !(2011..=2100).contains(&year) {
        inv.push(between(field, 2011, 2100));
    }
}

fn unknown_code(field: &str) -> zhucun_domain::validation::FieldError {
    field_error(
        field,
        "must be an administrative code of the Tibet Autonomous Region (see /divisions), e.g. 540200",
    )
    .coded("division_code", Vec::new())
}

/// The prefecture of a code.
fn prefecture_of(code: &str) -> Option<&'static divisions::Prefecture> {
    divisions::TIBET.iter().find(|p| p.code == code)
}

/// The county of a code and its prefecture.
fn county_of(code: &str) -> Option<(&'static divisions::Prefecture, &'static divisions::County)> {
    divisions::TIBET
        .iter()
        .find_map(|p| p.counties.iter().find(|c| c.code == code).map(|c| (p, c)))
}

fn division(code: &str, name: &str) -> Division {
    Division {
        code: Some(code.to_owned()),
        name: name.to_owned(),
    }
}

/// The households a row's household cells are about (the larger of paired and assisted).
fn households(f: &StatsFigures) -> i64 {
    f.households_paired
        .unwrap_or(0)
        .max(f.households_assisted.unwrap_or(0))
}

fn withhold(f: &mut StatsFigures) {
    if !f.suppressed.is_empty() {
        return;
    }
    f.households_paired = None;
    f.households_assisted = None;
    f.assistance_count = None;
    f.assistance_fen = None;
    f.suppressed = HOUSEHOLD_FIELDS.iter().map(|s| (*s).to_owned()).collect();
}

/// Withholds the small cells of the rows and of their total (see the module doc).
fn suppress(rows: &mut [&mut StatsFigures], total: &mut StatsFigures, min_cell: i64) {
    let small = |n: i64| n > 0 && n < min_cell;
    let mut withheld: Vec<usize> = Vec::new();
    let mut withheld_households = 0i64;
    for (i, r) in rows.iter().enumerate() {
        if small(r.households_paired.unwrap_or(0)) || small(r.households_assisted.unwrap_or(0)) {
            withheld.push(i);
            withheld_households += households(r);
        }
    }
    // Complementary cells: until two or more rows about at least `min_cell` households together
    // are withheld, the next smallest row joins them; failing that, the total is withheld.
    while !withheld.is_empty() && (withheld.len() < 2 || withheld_households < min_cell) {
        let next = rows
            .iter()
            .enumerate()
            .filter(|(i, r)| !withheld.contains(i) && households(r) > 0)
            .min_by_key(|(i, r)| (households(r), *i))
            .map(|(i, _)| i);
        match next {
            Some(i) => {
                withheld_households += households(rows[i]);
                withheld.push(i);
            }
            None => {
                withhold(total);
                break;
            }
        }
    }
    for i in withheld {
        if let Some(r) = rows.get_mut(i) {
            withhold(r);
        }
    }
    if small(households(total)) {
        withhold(total);
    }
}

fn min_cell(state: &AppState) -> u32 {
    state.stats_min_cell
}

/// Whether the caller may read the statistics (regional users and `stats:read` clients).
fn allowed(auth: &crate::auth::Auth) -> Result<(), ApiError> {
    list_scope(&auth.actor, Resource::Statistics)
        .map(|_| ())
        .map_err(ApiError::from)
}

/// A year of the departments from the summary's rows (department id → figures) and total.
fn department_year(
    rows: &mut Figures,
    totals: &mut Figures,
    names: &[(i64, String)],
    year: i32,
    k: u32,
) -> DepartmentStatsYear {
    let mut rows: Vec<DepartmentStatsRow> = names
        .iter()
        .map(|(id, name)| DepartmentStatsRow {
            department_id: *id,
            department_name: name.clone(),
            figures: take(rows, year, "", &id.to_string()),
        })
        .collect();
    let mut total = take(totals, year, "", "");
    {
        let mut cells: Vec<&mut StatsFigures> = rows.iter_mut().map(|r| &mut r.figures).collect();
        suppress(&mut cells, &mut total, i64::from(k));
    }
    DepartmentStatsYear {
        year,
        departments: rows,
        total,
    }
}

/// The summary's figures by (year, parent, place).
type Figures = BTreeMap<(i32, String, String), StatsFigures>;

/// A place's figures of a year: its summary row, or zeros when it has none.
fn take(rows: &mut Figures, year: i32, parent: &str, place: &str) -> StatsFigures {
    rows.remove(&(year, parent.to_owned(), place.to_owned()))
        .unwrap_or_else(summary::zero)
}

/// Every department's figures for a year, or year by year with `from` and `to` (at most 20
/// years, like `/reports/annual/compare`): villages stationed, teams, cadres, households paired
/// and assisted, assistance, projects by stage and category with budgets and funds, funds by
/// source and kind, activities by kind, needs resolved, presence below the minimum, disclosures
/// overdue, and the region's total. Cells about fewer than `min_cell` households are withheld
/// (null, named in `suppressed`). Regional users and `stats:read` clients only (403 otherwise).
/// `format=csv` (or xlsx) downloads one row per department and year with Chinese headings.
#[utoipa::path(tag = "statistics", operation_id = "stats_departments", params(DepartmentsQuery),
    responses((status = 200, description = "The departments' figures",
        content((DepartmentStats = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))),
    security(("bearer" = [])))]
#[get("/stats/departments")]
pub async fn stats_departments(
    state: web::Data<AppState>,
    bearer: Bearer,
    req: actix_web::HttpRequest,
    query: web::Query<DepartmentsQuery>,
) -> Result<HttpResponse, ApiError> {
    use zhucun_persistence::report_years::MAX_YEARS;
    let DepartmentsQuery {
        year,
        from,
        to,
        format,
    } = query.into_inner();
    let form = crate::export::requested(&req, format.as_deref())?;
    let mut inv = Invalid::new();
    let (from, to) = match (year, from, to) {
        (Some(y), None, None) => {
            check_year(&mut inv, "year", y);
            (y, y)
        }
        (None, Some(from), Some(to)) => {
            check_year(&mut inv, "from", from);
            check_year(&mut inv, "to", to);
            if to < from {
                inv.push(field_error("to", "must not be before from"));
            } else if to - from >= MAX_YEARS {
                inv.push(field_error(
                    "to",
                    format!("at most {MAX_YEARS} years at once"),
                ));
            }
            (from, to)
        }
        _ => {
            inv.push(
                field_error("year", "give year, or from and to (not both)")
                    .coded("year_or_range", Vec::new()),
            );
            (0, 0)
        }
    };
    inv.into_result()?;
    let k = min_cell(&state);
    let (db, policy) = (state.db.clone(), state.stats_read_policy);
    let answer = state
        .read_as_alone(bearer, move |conn, auth| {
            allowed(auth)?;
            let ((names, mut rows, mut totals), as_of) =
                summary::read(conn, &db, policy, |conn| {
                    Ok((
                        zhucun_persistence::departments::names(conn)?,
                        summary::decode_rows(store::load(
                            conn,
                            level::DEPARTMENT,
                            (from, to),
                            None,
                        )?)?,
                        summary::decode_rows(store::load(conn, level::REGION, (from, to), None)?)?,
                    ))
                })?;
            let years = (from..=to)
                .map(|y| department_year(&mut rows, &mut totals, &names, y, k))
                .collect();
            Ok(DepartmentStats {
                as_of,
                from,
                to,
                min_cell: k,
                years,
            })
        })
        .await?;
    if form == Form::Json {
        return Ok(HttpResponse::Ok().json(answer));
    }
    let items: Vec<CsvRow> = answer
        .years
        .into_iter()
        .flat_map(|y| {
            let year = y.year;
            y.departments
                .into_iter()
                .map(move |r| CsvRow {
                    year,
                    place: vec![r.department_name],
                    min_cell: k,
                    figures: r.figures,
                })
                .chain(std::iter::once(CsvRow {
                    year,
                    place: vec!["合计".to_owned()],
                    min_cell: k,
                    figures: y.total,
                }))
        })
        .collect();
    crate::export::small(form, DEPARTMENTS_EXPORT, items).await
}

/// Every county of a prefecture (`prefecture`, an administrative code), or of the region, for a
/// year: the figures of `/stats/departments` summed over the county's villages of every
/// department, and their total. An unknown code is a 400. Regional users and `stats:read`
/// clients only.
#[utoipa::path(tag = "statistics", operation_id = "stats_counties", params(CountiesQuery),
    responses((status = 200, description = "The counties' figures",
        content((CountyStats = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))),
    security(("bearer" = [])))]
#[get("/stats/counties")]
pub async fn stats_counties(
    state: web::Data<AppState>,
    bearer: Bearer,
    req: actix_web::HttpRequest,
    query: web::Query<CountiesQuery>,
) -> Result<HttpResponse, ApiError> {
    let CountiesQuery {
        year,
        prefecture,
        format,
    } = query.into_inner();
    let form = crate::export::requested(&req, format.as_deref())?;
    let mut inv = Invalid::new();
    check_year(&mut inv, "year", year);
    let prefecture = match prefecture.as_deref() {
        None => None,
        Some(code) => match prefecture_of(code) {
            Some(p) => Some(p),
            None => {
                inv.push(unknown_code("prefecture"));
                None
            }
        },
    };
    inv.into_result()?;
    let k = min_cell(&state);
    let (db, policy) = (state.db.clone(), state.stats_read_policy);
    let answer = state
        .read_as_alone(bearer, move |conn, auth| {
            allowed(auth)?;
            let place = prefecture.map_or(Place::All, |p| Place::Prefecture(p.name.to_owned()));
            let parent = prefecture.map(|p| p.name);
            let ((villages, mut figures, mut totals), as_of) =
                summary::read(conn, &db, policy, |conn| {
                    let (total_level, total_parent) = match parent {
                        Some(_) => (level::PREFECTURE, Some("")),
                        None => (level::REGION, None),
                    };
                    Ok((
                        q::places(conn, &place)?,
                        summary::decode_rows(store::load(
                            conn,
                            level::COUNTY,
                            (year, year),
                            parent,
                        )?)?,
                        summary::decode_rows(store::load(
                            conn,
                            total_level,
                            (year, year),
                            total_parent,
                        )?)?,
                    ))
                })?;
            // The reference's counties in code order, then places outside it (of the villages
            // on record, or of the summary's rows).
            let mut keys: Vec<(Division, Division)> = divisions::TIBET
                .iter()
                .filter(|p| prefecture.is_none_or(|q| q.code == p.code))
                .flat_map(|p| {
                    p.counties
                        .iter()
                        .map(|c| (division(p.code, p.name), division(c.code, c.name)))
                })
                .collect();
            let mut counted: BTreeMap<(String, String), i64> = BTreeMap::new();
            for v in &villages {
                *counted
                    .entry((v.prefecture.clone(), v.county.clone()))
                    .or_default() += 1;
            }
            let recorded: Vec<(String, String)> = counted
                .keys()
                .cloned()
                .chain(figures.keys().map(|(_, p, c)| (p.clone(), c.clone())))
                .collect();
            for (prefecture_name, county_name) in recorded {
                if keys
                    .iter()
                    .any(|(p, c)| p.name == prefecture_name && c.name == county_name)
                {
                    continue;
                }
                let p = divisions::prefecture(&prefecture_name);
                keys.push((
                    Division {
                        code: p.map(|p| p.code.to_owned()),
                        name: prefecture_name.clone(),
                    },
                    Division {
                        code: p
                            .and_then(|p| p.counties.iter().find(|c| c.name == county_name))
                            .map(|c| c.code.to_owned()),
                        name: county_name,
                    },
                ));
            }
            let mut rows: Vec<CountyStatsRow> = keys
                .into_iter()
                .map(|(p, c)| CountyStatsRow {
                    villages: counted
                        .get(&(p.name.clone(), c.name.clone()))
                        .copied()
                        .unwrap_or(0),
                    figures: take(&mut figures, year, &p.name, &c.name),
                    prefecture: p,
                    county: c,
                })
                .collect();
            let mut total = match parent {
                Some(name) => take(&mut totals, year, "", name),
                None => take(&mut totals, year, "", ""),
            };
            {
                let mut cells: Vec<&mut StatsFigures> =
                    rows.iter_mut().map(|r| &mut r.figures).collect();
                suppress(&mut cells, &mut total, i64::from(k));
            }
            Ok(CountyStats {
                as_of,
                year,
                prefecture: prefecture.map(|p| division(p.code, p.name)),
                min_cell: k,
                counties: rows,
                total,
            })
        })
        .await?;
    if form == Form::Json {
        return Ok(HttpResponse::Ok().json(answer));
    }
    let year = answer.year;
    let mut items: Vec<CsvRow> = answer
        .counties
        .into_iter()
        .map(|r| CsvRow {
            year,
            place: vec![r.prefecture.name, r.county.name],
            min_cell: k,
            figures: r.figures,
        })
        .collect();
    items.push(CsvRow {
        year,
        place: vec!["合计".to_owned(), String::new()],
        min_cell: k,
        figures: answer.total,
    });
    crate::export::small(form, COUNTIES_EXPORT, items).await
}

/// The villages of a county (`county`, an administrative code) of every department for a year:
/// counts and sums only, and the county's total (equal to its row of `/stats/counties`). Cells
/// about fewer than `min_cell` households are withheld, and so is a second village's (or the
/// total's) so the withheld one cannot be recomputed by subtraction. An unknown code is a 400.
/// Regional users and `stats:read` clients only.
#[utoipa::path(tag = "statistics", operation_id = "stats_villages", params(VillagesQuery),
    responses((status = 200, description = "The villages' figures",
        content((VillageStats = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))),
    security(("bearer" = [])))]
#[get("/stats/villages")]
pub async fn stats_villages(
    state: web::Data<AppState>,
    bearer: Bearer,
    req: actix_web::HttpRequest,
    query: web::Query<VillagesQuery>,
) -> Result<HttpResponse, ApiError> {
    let VillagesQuery {
        year,
        county,
        format,
    } = query.into_inner();
    let form = crate::export::requested(&req, format.as_deref())?;
    let mut inv = Invalid::new();
    check_year(&mut inv, "year", year);
    let place = county_of(&county);
    if place.is_none() {
        inv.push(unknown_code("county"));
    }
    inv.into_result()?;
    let Some((prefecture, county)) = place else {
        return Err(ApiError::from(Invalid::single("county", "unknown")));
    };
    let k = min_cell(&state);
    let (db, policy) = (state.db.clone(), state.stats_read_policy);
    let answer = state
        .read_as_alone(bearer, move |conn, auth| {
            allowed(auth)?;
            let ((villages, names, mut figures, mut totals), as_of) =
                summary::read(conn, &db, policy, |conn| {
                    Ok((
                        q::places(conn, &Place::County(county.name.to_owned()))?,
                        zhucun_persistence::departments::names(conn)?,
                        summary::decode_rows(store::load(
                            conn,
                            level::VILLAGE,
                            (year, year),
                            Some(county.name),
                        )?)?,
                        summary::decode_rows(store::load(
                            conn,
                            level::COUNTY,
                            (year, year),
                            Some(prefecture.name),
                        )?)?,
                    ))
                })?;
            let names: BTreeMap<i64, String> = names.into_iter().collect();
            let mut list: Vec<&VillagePlace> = villages
                .iter()
                // The county's row of /stats/counties is of its prefecture's villages (a county
                // name is unique in the region; a village without its prefecture recorded is
                // counted under 未记录 there).
                .filter(|v| v.prefecture == prefecture.name)
                .take(MAX_VILLAGES_PER_COUNTY)
                .collect();
            list.sort_by(|a, b| a.name.cmp(&b.name).then(a.id.cmp(&b.id)));
            let mut rows: Vec<VillageStatsRow> = list
                .into_iter()
                .map(|v| VillageStatsRow {
                    village_id: v.id,
                    village_name: v.name.clone(),
                    department_id: v.department_id,
                    department_name: names.get(&v.department_id).cloned().unwrap_or_default(),
                    figures: take(&mut figures, year, county.name, &v.id.to_string()),
                })
                .collect();
            let mut total = take(&mut totals, year, prefecture.name, county.name);
            {
                let mut cells: Vec<&mut StatsFigures> =
                    rows.iter_mut().map(|r| &mut r.figures).collect();
                suppress(&mut cells, &mut total, i64::from(k));
            }
            Ok(VillageStats {
                as_of,
                year,
                prefecture: division(prefecture.code, prefecture.name),
                county: division(county.code, county.name),
                min_cell: k,
                villages: rows,
                total,
            })
        })
        .await?;
    if form == Form::Json {
        return Ok(HttpResponse::Ok().json(answer));
    }
    let year = answer.year;
    let mut items: Vec<CsvRow> = answer
        .villages
        .into_iter()
        .map(|r| CsvRow {
            year,
            place: vec![r.village_name, r.department_name],
            min_cell: k,
            figures: r.figures,
        })
        .collect();
    items.push(CsvRow {
        year,
        place: vec![format!("{}合计", answer.county.name), String::new()],
        min_cell: k,
        figures: answer.total,
    });
    crate::export::small(form, VILLAGES_EXPORT, items).await
}

// ---- downloads ----

/// One exported row: the year, the place's columns, the figures.
pub struct CsvRow {
    year: i32,
    place: Vec<String>,
    min_cell: u32,
    figures: StatsFigures,
}

/// The headings: the place's, then the figures' in [`figure_cells`]' order.
macro_rules! headings {
    ($($place:literal),*) => {
        &[
            "年份", $($place,)*
            "驻村村数", "工作队数", "驻村干部数", "结对户数", "受帮扶户数", "帮扶次数",
            "帮扶金额（元）", "项目数",
            "项目·提出", "项目·成熟", "项目·申报", "项目·协调", "项目·实施", "项目·完工",
            "项目·验收", "项目·取消",
            "基础设施项目", "基础设施预算（元）", "基础设施到位资金（元）",
            "产业发展项目", "产业发展预算（元）", "产业发展到位资金（元）",
            "合作社项目", "合作社预算（元）", "合作社到位资金（元）",
            "教育项目", "教育预算（元）", "教育到位资金（元）",
            "医疗卫生项目", "医疗卫生预算（元）", "医疗卫生到位资金（元）",
            "组织建设项目", "组织建设预算（元）", "组织建设到位资金（元）",
            "文化项目", "文化预算（元）", "文化到位资金（元）",
            "其他项目", "其他预算（元）", "其他到位资金（元）",
            "资金到位（元）", "资金支出（元）",
            "财政资金（元）", "厅自有资金（元）", "社会捐赠（元）", "其他来源（元）",
            "拨付（元）", "支出（元）", "现金捐赠（元）", "实物捐赠（元）",
            "活动次数", "宣讲", "技能培训", "义诊", "文体活动", "考察", "捐赠", "慰问",
            "环境整治", "会议", "党建",
            "诉求解决数", "在村天数不足（人月）", "村务公开逾期（项）", "已隐藏的数据项",
        ]
    };
}

fn figure_cells(r: &CsvRow) -> Vec<Cell> {
    use zhucun_domain::activity::Kind as ActivityKind;
    use zhucun_domain::ledger::{Kind as LedgerKind, Source};
    use zhucun_domain::project::{Category, Stage};
    let f = &r.figures;
    let hidden = |v: Option<i64>, fen: bool| match v {
        Some(n) if fen => Cell::Fen(n),
        Some(n) => Cell::Int(n),
        None => Cell::Text(format!("<{}", r.min_cell)),
    };
    let mut cells: Vec<Cell> = vec![Cell::Int(i64::from(r.year))];
    cells.extend(r.place.iter().map(|p| Cell::Text(p.clone())));
    cells.extend([
        Cell::Int(f.villages_stationed),
        Cell::Int(f.teams),
        Cell::Int(f.cadres_stationed),
        hidden(f.households_paired, false),
        hidden(f.households_assisted, false),
        hidden(f.assistance_count, false),
        hidden(f.assistance_fen, true),
        Cell::Int(f.projects),
    ]);
    for s in Stage::ALL {
        cells.push(Cell::Int(
            f.projects_by_stage.get(s.code()).copied().unwrap_or(0),
        ));
    }
    for c in Category::ALL {
        let v = f.projects_by_category.get(c.code());
        cells.push(Cell::Int(v.map_or(0, |v| v.count)));
        cells.push(Cell::Fen(v.map_or(0, |v| v.budget_fen)));
        cells.push(Cell::Fen(v.map_or(0, |v| v.funds_fen)));
    }
    cells.push(Cell::Fen(f.funds_received_fen));
    cells.push(Cell::Fen(f.funds_spent_fen));
    for s in Source::ALL {
        cells.push(Cell::Fen(
            f.funds_by_source.get(s.code()).copied().unwrap_or(0),
        ));
    }
    for k in LedgerKind::ALL {
        cells.push(Cell::Fen(
            f.funds_by_kind.get(k.code()).copied().unwrap_or(0),
        ));
    }
    cells.push(Cell::Int(f.activities));
    for k in ActivityKind::ALL {
        cells.push(Cell::Int(
            f.activities_by_kind.get(k.code()).map_or(0, |a| a.count),
        ));
    }
    cells.push(Cell::Int(f.needs_resolved));
    cells.push(Cell::Int(f.presence_below_minimum));
    cells.push(Cell::Int(f.disclosures_overdue));
    cells.push(Cell::Text(f.suppressed.join(" ")));
    cells
}

const DEPARTMENTS_EXPORT: crate::export::Table<CsvRow> = crate::export::Table {
    name: "区域统计-部门",
    ascii_name: "stats-departments",
    columns: headings!("部门"),
    cells: figure_cells,
};

const COUNTIES_EXPORT: crate::export::Table<CsvRow> = crate::export::Table {
    name: "区域统计-县",
    ascii_name: "stats-counties",
    columns: headings!("市（地区）", "县（区）"),
    cells: figure_cells,
};

const VILLAGES_EXPORT: crate::export::Table<CsvRow> = crate::export::Table {
    name: "区域统计-村",
    ascii_name: "stats-villages",
    columns: headings!("村", "部门"),
    cells: figure_cells,
};

#[cfg(test)]
mod tests {
    use super::*;

    fn row(paired: i64) -> StatsFigures {
        StatsFigures {
            households_paired: Some(paired),
            households_assisted: Some(0),
            assistance_count: Some(0),
            assistance_fen: Some(0),
            ..StatsFigures::default()
        }
    }

    fn run(values: &[i64]) -> (Vec<bool>, bool) {
        let mut rows: Vec<StatsFigures> = values.iter().map(|v| row(*v)).collect();
        let mut total = row(values.iter().sum());
        let mut cells: Vec<&mut StatsFigures> = rows.iter_mut().collect();
        suppress(&mut cells, &mut total, 3);
        (
            rows.iter().map(|r| r.households_paired.is_none()).collect(),
            total.households_paired.is_none(),
        )
    }

    #[test]
    fn small_cells_and_their_complements_are_withheld() {
        // Nothing small: nothing withheld; zeros are not small.
        assert_eq!(run(&[10, 0, 5]), (vec![false, false, false], false));
        // One small cell: the next smallest row joins it, so the total reveals neither.
        assert_eq!(run(&[10, 2, 5]), (vec![false, true, true], false));
        // Two small cells about fewer than 3 households together: a third joins them.
        assert_eq!(run(&[1, 1, 7, 4]), (vec![true, true, false, true], false));
        // Two small cells about 3 or more together: enough.
        assert_eq!(run(&[2, 2, 9]), (vec![true, true, false], false));
        // A small cell with no other row: the total is withheld instead (and is small itself).
        assert_eq!(run(&[2, 0]), (vec![true, false], true));
    }
}
