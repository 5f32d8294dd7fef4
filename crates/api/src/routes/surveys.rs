//! Village surveys (村情调研): a village's population, households, land, herds and income for a
//! year, one survey per village per year, and the years side by side for a chart.

use crate::auth::Bearer;
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own, Linkable, Planned, Record};
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::survey::{self as rules, Mu};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Target};
use zhucun_persistence::surveys::{self as q, SurveyFilter, SurveySort, SurveyValues, SurveyView};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(compare);
}

/// Head counts by kind of animal.
#[derive(Debug, Clone, Default, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Livestock {
    #[serde(default)]
    #[schema(example = 3200)]
    pub yaks: i64,
    #[serde(default)]
    #[schema(example = 8600)]
    pub sheep: i64,
    #[serde(default)]
    #[schema(example = 1500)]
    pub goats: i64,
    #[serde(default)]
    #[schema(example = 120)]
    pub horses: i64,
    #[serde(default)]
    pub other: i64,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Survey {
    #[schema(example = 3)]
    pub id: i64,
    pub village_id: i64,
    #[schema(example = "亚卡亚村")]
    pub village_name: String,
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = 1120)]
    pub population: i64,
    #[schema(example = 236)]
    pub households: i64,
    /// 建档立卡贫困户.
    #[schema(example = 61)]
    pub poor_households: i64,
    /// 边缘户.
    #[schema(example = 9)]
    pub marginal_households: i64,
    /// Pasture in 亩, one decimal, as a decimal string (exact).
    #[schema(example = "186000.5")]
    pub pasture_mu: String,
    /// Cultivated land in 亩, one decimal, as a decimal string (exact).
    #[schema(example = "1250")]
    pub cultivated_mu: String,
    pub livestock: Livestock,
    /// 人均可支配收入, fen a year.
    #[schema(example = 980000)]
    pub per_capita_income_fen: i64,
    /// 村集体经济收入, fen a year.
    #[schema(example = 12000000)]
    pub collective_income_fen: i64,
    #[schema(example = "牦牛养殖、人工种草")]
    pub main_industries: Option<String>,
    /// The free-text survey report.
    pub report: Option<String>,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

fn mu(tenths: i64) -> String {
    Mu::from_tenths(tenths)
        .map(|m| m.to_string())
        .unwrap_or_else(|| format!("{}.{}", tenths / 10, (tenths % 10).abs()))
}

impl From<SurveyView> for Survey {
    fn from(v: SurveyView) -> Self {
        let r = v.survey;
        let s = r.values;
        Self {
            id: r.id,
            village_id: s.village_id,
            village_name: v.village_name,
            year: s.year,
            population: s.population,
            households: s.households,
            poor_households: s.poor_households,
            marginal_households: s.marginal_households,
            pasture_mu: mu(s.pasture_mu_tenths),
            cultivated_mu: mu(s.cultivated_mu_tenths),
            livestock: Livestock {
                yaks: s.yaks,
                sheep: s.sheep,
                goats: s.goats,
                horses: s.horses,
                other: s.other_livestock,
            },
            per_capita_income_fen: s.per_capita_income_fen,
            collective_income_fen: s.collective_income_fen,
            main_industries: s.main_industries,
            report: s.report,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(SurveyList, Survey);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyCreate {
    pub village_id: i64,
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = 1120)]
    pub population: i64,
    #[schema(example = 236)]
    pub households: i64,
    #[schema(example = 61)]
    pub poor_households: i64,
    #[schema(example = 9)]
    pub marginal_households: i64,
    /// 亩 with at most one decimal.
    #[schema(example = "186000.5")]
    pub pasture_mu: String,
    #[schema(example = "1250")]
    pub cultivated_mu: String,
    #[serde(default)]
    pub livestock: Livestock,
    #[schema(example = 980000)]
    pub per_capita_income_fen: i64,
    #[schema(example = 12000000)]
    pub collective_income_fen: i64,
    pub main_industries: Option<String>,
    pub report: Option<String>,
}

/// Only the fields sent change; `null` clears an optional text. The village is fixed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SurveyPatch {
    pub year: Option<i32>,
    pub population: Option<i64>,
    pub households: Option<i64>,
    pub poor_households: Option<i64>,
    pub marginal_households: Option<i64>,
    pub pasture_mu: Option<String>,
    pub cultivated_mu: Option<String>,
    /// Replaces all head counts.
    pub livestock: Option<Livestock>,
    pub per_capita_income_fen: Option<i64>,
    pub collective_income_fen: Option<i64>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub main_industries: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub report: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SurveyQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `year` or `village` (by pinyin); prefix `-` for descending. Default `-year` (newest first).
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    pub year: Option<i32>,
}

/// Surveys as versioned records (see [`crate::record`]).
pub struct Surveys;

impl Record for Surveys {
    type Table = q::Surveys;
    type View = Survey;
    const RESOURCE: Resource = Resource::Survey;
    const ENTITY: &'static str = "survey";

    fn target(v: &SurveyView) -> Target {
        Target {
            department_id: v.survey.department_id,
            village_id: Some(v.survey.values.village_id),
        }
    }
    fn active(_: &SurveyView) -> bool {
        true
    }
}

/// A survey's fields as a request leaves them (after merging a patch).
pub struct Fields<'a> {
    pub village_id: i64,
    pub year: i32,
    pub population: i64,
    pub households: i64,
    pub poor_households: i64,
    pub marginal_households: i64,
    pub pasture_mu: &'a str,
    pub cultivated_mu: &'a str,
    pub livestock: &'a Livestock,
    pub per_capita_income_fen: i64,
    pub collective_income_fen: i64,
    pub main_industries: Option<&'a str>,
    pub report: Option<&'a str>,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
pub fn values(f: Fields<'_>) -> Result<SurveyValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let year = inv.check(rules::year("year", f.year, today));
    let population = rules::count(&mut inv, "population", f.population);
    let households = rules::count(&mut inv, "households", f.households);
    let poor = rules::count(&mut inv, "poor_households", f.poor_households);
    let marginal = rules::count(&mut inv, "marginal_households", f.marginal_households);
    rules::household_shares(&mut inv, households, poor, marginal);
    let pasture = inv.check(Mu::parse("pasture_mu", f.pasture_mu));
    let cultivated = inv.check(Mu::parse("cultivated_mu", f.cultivated_mu));
    let l = f.livestock;
    let yaks = rules::count(&mut inv, "livestock.yaks", l.yaks);
    let sheep = rules::count(&mut inv, "livestock.sheep", l.sheep);
    let goats = rules::count(&mut inv, "livestock.goats", l.goats);
    let horses = rules::count(&mut inv, "livestock.horses", l.horses);
    let other = rules::count(&mut inv, "livestock.other", l.other);
    let per_capita = rules::fen(&mut inv, "per_capita_income_fen", f.per_capita_income_fen);
    let collective = rules::fen(&mut inv, "collective_income_fen", f.collective_income_fen);
    let industries = inv.check(text::optional_line(
        "main_industries",
        f.main_industries,
        200,
    ));
    let report = inv.check(text::optional_text("report", f.report, 20_000));
    let (Some(year), Some(pasture), Some(cultivated), Some(industries), Some(report)) =
        (year, pasture, cultivated, industries, report)
    else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(SurveyValues {
        village_id: f.village_id,
        year,
        population,
        households,
        poor_households: poor,
        marginal_households: marginal,
        pasture_mu_tenths: pasture.tenths(),
        cultivated_mu_tenths: cultivated.tenths(),
        yaks,
        sheep,
        goats,
        horses,
        other_livestock: other,
        per_capita_income_fen: per_capita,
        collective_income_fen: collective,
        main_industries: industries,
        report,
    })
}

/// List surveys of the villages the caller may see.
#[utoipa::path(tag = "surveys", operation_id = "list_surveys", params(SurveyQuery),
    responses((status = 200, description = "One page of surveys", body = SurveyList)), security(("bearer" = [])))]
#[get("/surveys")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<SurveyQuery>,
) -> Result<web::Json<SurveyList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<SurveySort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Survey).map_err(ApiError::from)?;
            let filter = SurveyFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                village_id: query.village_id,
                year: query.year,
                years: None,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(SurveyList {
        items,
        next_cursor,
        total,
    }))
}

/// Record a village's survey for a year (team of the village, or the department). A second
/// survey of the same village and year is a 409: change the first instead.
#[utoipa::path(tag = "surveys", operation_id = "create_survey", request_body = SurveyCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Survey)), security(("bearer" = [])))]
#[post("/surveys")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<SurveyCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: b.village_id,
        year: b.year,
        population: b.population,
        households: b.households,
        poor_households: b.poor_households,
        marginal_households: b.marginal_households,
        pasture_mu: &b.pasture_mu,
        cultivated_mu: &b.cultivated_mu,
        livestock: &b.livestock,
        per_capita_income_fen: b.per_capita_income_fen,
        collective_income_fen: b.collective_income_fen,
        main_industries: b.main_industries.as_deref(),
        report: b.report.as_deref(),
    });
    record::create::<Surveys, _, _>(&state, bearer, idem, b, move |conn, auth| {
        let values = values?;
        let dept = auth.department_id();
        own::<Villages>(
            conn,
            dept,
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

/// One survey.
#[utoipa::path(tag = "surveys", operation_id = "get_survey", params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "The survey", body = Survey)), security(("bearer" = [])))]
#[get("/surveys/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Surveys>(&state, bearer, id.into_inner()).await
}

/// Correct a survey (team of the village, or the department).
#[utoipa::path(tag = "surveys", operation_id = "update_survey",
    params(("id" = i64, Path, description = "Survey id"), IfMatch),
    request_body = SurveyPatch, responses((status = 200, description = "The changed survey", body = Survey)), security(("bearer" = [])))]
#[patch("/surveys/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<SurveyPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Surveys, _>(&state, bearer, if_match, id.into_inner(), move |_, view| {
        let s = &view.survey.values;
        let livestock = p.livestock.clone().unwrap_or(Livestock {
            yaks: s.yaks,
            sheep: s.sheep,
            goats: s.goats,
            horses: s.horses,
            other: s.other_livestock,
        });
        let (pasture, cultivated) = (mu(s.pasture_mu_tenths), mu(s.cultivated_mu_tenths));
        let values = values(Fields {
            village_id: s.village_id,
            year: p.year.unwrap_or(s.year),
            population: p.population.unwrap_or(s.population),
            households: p.households.unwrap_or(s.households),
            poor_households: p.poor_households.unwrap_or(s.poor_households),
            marginal_households: p.marginal_households.unwrap_or(s.marginal_households),
            pasture_mu: p.pasture_mu.as_deref().unwrap_or(&pasture),
            cultivated_mu: p.cultivated_mu.as_deref().unwrap_or(&cultivated),
            livestock: &livestock,
            per_capita_income_fen: p.per_capita_income_fen.unwrap_or(s.per_capita_income_fen),
            collective_income_fen: p.collective_income_fen.unwrap_or(s.collective_income_fen),
            main_industries: patch(&p.main_industries, &s.main_industries).as_deref(),
            report: patch(&p.report, &s.report).as_deref(),
        })?;
        Ok(Planned {
            village_id: Some(s.village_id),
            values,
        })
    })
    .await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CompareQuery {
    /// First year (default: 10 years before `to`).
    #[param(minimum = 2011, maximum = 2100)]
    pub from: Option<i32>,
    /// Last year (default: this year).
    #[param(minimum = 2011, maximum = 2100)]
    pub to: Option<i32>,
}

/// A village's figures year by year: `years[i]` is the year of the i-th value of every series.
/// Only years with a survey appear.
#[derive(Debug, Default, Serialize, ToSchema)]
pub struct SurveyComparison {
    pub village_id: i64,
    #[schema(example = json!([2017, 2018, 2019]))]
    pub years: Vec<i32>,
    pub population: Vec<i64>,
    pub households: Vec<i64>,
    pub poor_households: Vec<i64>,
    pub marginal_households: Vec<i64>,
    /// Tenths of a 亩 (divide by 10 for 亩), exact.
    pub pasture_mu_tenths: Vec<i64>,
    pub cultivated_mu_tenths: Vec<i64>,
    pub yaks: Vec<i64>,
    pub sheep: Vec<i64>,
    pub goats: Vec<i64>,
    pub horses: Vec<i64>,
    pub other_livestock: Vec<i64>,
    pub per_capita_income_fen: Vec<i64>,
    pub collective_income_fen: Vec<i64>,
}

/// A village's surveys side by side, ready for a chart.
#[utoipa::path(tag = "surveys", operation_id = "compare_village_surveys",
    params(("id" = i64, Path, description = "Village id"), CompareQuery),
    responses((status = 200, description = "Each figure by year", body = SurveyComparison)), security(("bearer" = [])))]
#[get("/villages/{id}/surveys/compare")]
pub async fn compare(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    query: web::Query<CompareQuery>,
) -> Result<web::Json<SurveyComparison>, ApiError> {
    let village_id = id.into_inner();
    let this_year = chrono::Datelike::year(&zhucun_domain::calendar::today_local());
    let to = query.to.unwrap_or(this_year);
    let from = query.from.unwrap_or(to - 10);
    if !(2011..=2100).contains(&from) || !(2011..=2100).contains(&to) || from > to {
        return Err(crate::error::coded(
            "from",
            "year_span",
            "from and to must be years from 2011 to 2100, from no later than to",
        ));
    }
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let village = record::load::<Villages>(conn, auth, Action::Read, village_id)?;
            auth.require(Action::Read, Resource::Survey, Villages::target(&village))?;
            Ok(q::of_village(conn, village_id, from, to)?)
        })
        .await?;
    let mut c = SurveyComparison {
        village_id,
        ..SurveyComparison::default()
    };
    for s in rows {
        c.years.push(s.year);
        c.population.push(s.population);
        c.households.push(s.households);
        c.poor_households.push(s.poor_households);
        c.marginal_households.push(s.marginal_households);
        c.pasture_mu_tenths.push(s.pasture_mu_tenths);
        c.cultivated_mu_tenths.push(s.cultivated_mu_tenths);
        c.yaks.push(s.yaks);
        c.sheep.push(s.sheep);
        c.goats.push(s.goats);
        c.horses.push(s.horses);
        c.other_livestock.push(s.other_livestock);
        c.per_capita_income_fen.push(s.per_capita_income_fen);
        c.collective_income_fen.push(s.collective_income_fen);
    }
    Ok(web::Json(c))
}
