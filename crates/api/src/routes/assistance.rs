//! Assistance (帮扶): what a cadre gave a household — cash, goods (valued) or a service — on a day,
//! in integer fen; and totals by household, cadre, village or kind that add up to the fen.

use crate::auth::Bearer;
use crate::dto::utc;
use crate::error::ApiError;
use crate::export;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own, Linkable, Planned, Record};
use crate::routes::cadres::Cadres;
use crate::routes::pairings::household_village;
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::household::{self as rules, AssistanceKind};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Target};
use zhucun_persistence::assistance::{
    self as q, AssistanceFilter, AssistanceSort, AssistanceValues, AssistanceView, TotalsBy,
};

pub fn configure(cfg: &mut ServiceConfig) {
    // The totals before `{id}`: a path segment is matched in registration order.
    cfg.service(totals)
        .service(list)
        .service(create)
        .service(read)
        .service(update);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Assistance {
    #[schema(example = 31)]
    pub id: i64,
    #[schema(example = "2019-02-05")]
    pub given_on: NaiveDate,
    #[schema(example = 41)]
    pub household_id: i64,
    /// The household head's name (personal data).
    #[schema(example = "次旦")]
    pub household_name: String,
    #[schema(example = 7)]
    pub cadre_id: i64,
    #[schema(example = "平措")]
    pub cadre_name: String,
    #[schema(example = 2)]
    pub village_id: i64,
    #[schema(example = "亚卡亚村")]
    pub village_name: String,
    /// `cash`, `goods` or `service`.
    #[schema(example = "cash")]
    pub kind: String,
    /// Money, or the value of goods, in fen; a service may be 0.
    #[schema(example = 50000)]
    pub amount_fen: i64,
    #[schema(example = "藏历新年慰问金")]
    pub description: String,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<AssistanceView> for Assistance {
    fn from(v: AssistanceView) -> Self {
        let r = v.assistance;
        let a = r.values;
        Self {
            id: r.id,
            given_on: a.given_on,
            household_id: a.household_id,
            household_name: v.household_name,
            cadre_id: a.cadre_id,
            cadre_name: v.cadre_name,
            village_id: a.village_id,
            village_name: v.village_name,
            kind: a.kind,
            amount_fen: a.amount_fen,
            description: a.description,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(AssistanceList, Assistance);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssistanceCreate {
    /// A household of a village you may write for.
    #[schema(example = 41)]
    pub household_id: i64,
    /// The cadre who gave it; by default the household's paired cadre of that year when it has
    /// exactly one.
    #[schema(example = 7)]
    pub cadre_id: Option<i64>,
    /// Not before 2011-10-01, not in the future.
    #[schema(example = "2019-02-05")]
    pub given_on: NaiveDate,
    /// `cash`, `goods` or `service`.
    #[schema(example = "cash")]
    pub kind: String,
    /// Fen; cash and goods at least 1, a service may be 0.
    #[schema(example = 50000)]
    pub amount_fen: i64,
    #[schema(example = "藏历新年慰问金")]
    pub description: String,
}

/// Only the fields sent change. The household is fixed.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssistancePatch {
    #[schema(example = 7)]
    pub cadre_id: Option<i64>,
    #[schema(example = "2019-02-06")]
    pub given_on: Option<NaiveDate>,
    #[schema(example = "goods")]
    pub kind: Option<String>,
    #[schema(example = 45600)]
    pub amount_fen: Option<i64>,
    #[schema(example = "大米两袋、清油一桶")]
    pub description: Option<String>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AssistanceQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `date` or `amount`; prefix `-` for descending. Default `-date` (newest first).
    pub sort: Option<String>,
    /// Given in this year.
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    /// Given on or after this day.
    pub from: Option<NaiveDate>,
    /// Given on or before this day.
    pub to: Option<NaiveDate>,
    pub village_id: Option<i64>,
    pub household_id: Option<i64>,
    pub cadre_id: Option<i64>,
    /// `cash`, `goods` or `service`.
    pub kind: Option<String>,
    /// `json` (default), `csv` or `xlsx`: the whole list with these filters as a download.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// Assistance records as versioned records (see [`crate::record`]).
pub struct AssistanceRecords;

impl Record for AssistanceRecords {
    type Table = q::Assistance;
    type View = Assistance;
    const RESOURCE: Resource = Resource::Assistance;
    const ENTITY: &'static str = "assistance";

    fn target(v: &AssistanceView) -> Target {
        Target {
            department_id: v.assistance.department_id,
            village_id: Some(v.assistance.values.village_id),
        }
    }
    fn active(_: &AssistanceView) -> bool {
        true
    }
}

/// A record's fields as a request leaves them.
pub struct Fields<'a> {
    pub village_id: i64,
    pub household_id: i64,
    pub cadre_id: i64,
    pub given_on: NaiveDate,
    pub kind: &'a str,
    pub amount_fen: i64,
    pub description: &'a str,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
/// The references (household, cadre) are checked against the database by the caller.
pub fn values(f: Fields<'_>) -> Result<AssistanceValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let given_on = inv.check(rules::assistance_date("given_on", f.given_on, today));
    let kind = inv.check(AssistanceKind::parse("kind", f.kind));
    let amount = match kind {
        Some(k) => inv.check(rules::check_assistance_amount(
            "amount_fen",
            k,
            f.amount_fen,
        )),
        None => Some(f.amount_fen),
    };
    let description = match inv.check(text::optional_text(
        "description",
        Some(f.description),
        1000,
    )) {
        Some(None) => {
            inv.push(zhucun_domain::validation::required("description"));
            None
        }
        Some(Some(d)) => {
            inv.check(rules::refuse_national_id("description", Some(&d)));
            Some(d)
        }
        None => None,
    };
    let (Some(given_on), Some(kind), Some(amount_fen), Some(description)) =
        (given_on, kind, amount, description)
    else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(AssistanceValues {
        village_id: f.village_id,
        household_id: f.household_id,
        cadre_id: f.cadre_id,
        given_on,
        kind: kind.code().to_owned(),
        amount_fen,
        description,
    })
}

fn year_span(year: Option<i32>) -> Result<(Option<NaiveDate>, Option<NaiveDate>), ApiError> {
    match year {
        None => Ok((None, None)),
        Some(y) => {
            let today = zhucun_domain::calendar::today_local();
            rules::pairing_year("year", y, today)?;
            Ok((
                NaiveDate::from_ymd_opt(y, 1, 1),
                NaiveDate::from_ymd_opt(y, 12, 31),
            ))
        }
    }
}

/// The later of two optional lower bounds / the earlier of two upper bounds.
fn tighter(a: Option<NaiveDate>, b: Option<NaiveDate>, later: bool) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(if later { a.max(b) } else { a.min(b) }),
        (a, b) => a.or(b),
    }
}

/// List assistance of the villages the caller may see.
#[utoipa::path(tag = "assistance", operation_id = "list_assistance", params(AssistanceQuery),
    responses((status = 200, description = "One page of assistance records, or (format=csv|xlsx) the whole list as a download",
        content((AssistanceList = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))), security(("bearer" = [])))]
#[get("/assistance")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    http: actix_web::HttpRequest,
    query: web::Query<AssistanceQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let form = export::requested(&http, query.format.as_deref())?;
    let req = ListRequest::<AssistanceSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let kind = query
        .kind
        .as_deref()
        .map(|k| AssistanceKind::parse("kind", k).map(|k| k.code().to_owned()))
        .transpose()?;
    let (first, last) = year_span(query.year)?;
    let (village_id, household_id, cadre_id) =
        (query.village_id, query.household_id, query.cadre_id);
    let (from, to) = (
        tighter(first, query.from, true),
        tighter(last, query.to, false),
    );
    let fetch =
        move |conn: &mut zhucun_persistence::DbConnection, auth: &crate::auth::Auth, page: &_| {
            let scope = list_scope(&auth.actor, Resource::Assistance).map_err(ApiError::from)?;
            let filter = AssistanceFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                village_id,
                household_id,
                cadre_id,
                kind: kind.clone(),
                from,
                to,
            };
            Ok(q::list(conn, &filter, page)?)
        };
    export::list::<_, AssistanceList, _>(state, bearer, form, req, fetch, EXPORT).await
}

/// Record assistance (team of the household's village, or the department). Without `cadre_id`
/// the household's paired cadre of that year is taken when there is exactly one; with none or
/// several, `cadre_id` is required (400).
#[utoipa::path(tag = "assistance", operation_id = "create_assistance", request_body = AssistanceCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Assistance)), security(("bearer" = [])))]
#[post("/assistance")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<AssistanceCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: 0,
        household_id: b.household_id,
        cadre_id: b.cadre_id.unwrap_or(0),
        given_on: b.given_on,
        kind: &b.kind,
        amount_fen: b.amount_fen,
        description: &b.description,
    });
    let cadre_id = b.cadre_id;
    record::create::<AssistanceRecords, _, _>(&state, bearer, idem, b, move |conn, auth| {
        let mut values = values?;
        let village_id = household_village(
            conn,
            auth,
            Action::Create,
            Resource::Assistance,
            values.household_id,
        )?;
        values.cadre_id = match cadre_id {
            Some(c) => {
                own::<Cadres>(conn, auth.department_id(), c, "cadre_id", Linkable::Any)?;
                c
            }
            None => {
                let year = values.given_on.year();
                let paired = zhucun_persistence::pairings::paired_cadres(
                    conn,
                    values.household_id,
                    year,
                )?;
                match paired.as_slice() {
                    [only] => *only,
                    [] => {
                        return Err(crate::error::coded(
                            "cadre_id",
                            "required",
                            format!("the household has no paired cadre in {year}: name the cadre"),
                        ))
                    }
                    several => {
                        return Err(crate::error::coded(
                            "cadre_id",
                            "required",
                            format!(
                                "the household has {} paired cadres in {year}: name the one who gave it",
                                several.len()
                            ),
                        ))
                    }
                }
            }
        };
        values.village_id = village_id;
        Ok(Planned {
            village_id: Some(village_id),
            values,
        })
    })
    .await
}

/// One assistance record.
#[utoipa::path(tag = "assistance", operation_id = "get_assistance", params(("id" = i64, Path, description = "Assistance record id")),
    responses((status = 200, description = "The record", body = Assistance)), security(("bearer" = [])))]
#[get("/assistance/{id:[0-9]+}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<AssistanceRecords>(&state, bearer, id.into_inner()).await
}

/// Correct an assistance record (team of the village, or the department).
#[utoipa::path(tag = "assistance", operation_id = "update_assistance",
    params(("id" = i64, Path, description = "Assistance record id"), IfMatch),
    request_body = AssistancePatch, responses((status = 200, description = "The changed record", body = Assistance)), security(("bearer" = [])))]
#[patch("/assistance/{id:[0-9]+}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<AssistancePatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<AssistanceRecords, _>(
        &state,
        bearer,
        if_match,
        id.into_inner(),
        move |conn, view| {
            let s = &view.assistance.values;
            let values = values(Fields {
                village_id: s.village_id,
                household_id: s.household_id,
                cadre_id: p.cadre_id.unwrap_or(s.cadre_id),
                given_on: p.given_on.unwrap_or(s.given_on),
                kind: p.kind.as_deref().unwrap_or(&s.kind),
                amount_fen: p.amount_fen.unwrap_or(s.amount_fen),
                description: p.description.as_deref().unwrap_or(&s.description),
            })?;
            if values.cadre_id != s.cadre_id {
                own::<Cadres>(
                    conn,
                    view.assistance.department_id,
                    values.cadre_id,
                    "cadre_id",
                    Linkable::Any,
                )?;
            }
            Ok(Planned {
                village_id: Some(s.village_id),
                values,
            })
        },
    )
    .await
}

/// What totals are grouped by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum By {
    Household,
    Cadre,
    Village,
    Kind,
}

impl By {
    const CODES: &'static [&'static str] = &["household", "cadre", "village", "kind"];

    fn parse(raw: Option<&str>) -> Result<By, ApiError> {
        Ok(match raw.map(str::trim) {
            None | Some("household") => By::Household,
            Some("cadre") => By::Cadre,
            Some("village") => By::Village,
            Some("kind") => By::Kind,
            Some(_) => return Err(zhucun_domain::validation::one_of("by", By::CODES).into()),
        })
    }

    fn code(self) -> &'static str {
        match self {
            By::Household => "household",
            By::Cadre => "cadre",
            By::Village => "village",
            By::Kind => "kind",
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TotalsQuery {
    /// Given in this year (default: all years).
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    pub village_id: Option<i64>,
    /// `household`, `cadre`, `village` or `kind` (default `household`).
    #[param(example = "household")]
    pub by: Option<String>,
}

/// One group: its id (household, cadre, village) or kind, its name, and its sum.
#[derive(Debug, Serialize, ToSchema)]
pub struct TotalsGroup {
    /// The household's, cadre's or village's id; `null` when grouped by kind.
    #[schema(example = 41)]
    pub id: Option<i64>,
    /// The kind's code when grouped by kind.
    #[schema(example = json!(null))]
    pub kind: Option<String>,
    /// The household head's, cadre's or village's name, or the kind's Chinese name.
    #[schema(example = "次旦")]
    pub name: String,
    #[schema(example = 3)]
    pub count: i64,
    #[schema(example = 128000)]
    pub total_fen: i64,
}

/// Sums of assistance: the groups add up to the overall `count` and `total_fen`, to the fen.
#[derive(Debug, Serialize, ToSchema)]
pub struct AssistanceTotals {
    #[schema(example = 2019)]
    pub year: Option<i32>,
    pub village_id: Option<i64>,
    #[schema(example = "household")]
    pub by: String,
    /// Largest total first.
    pub groups: Vec<TotalsGroup>,
    #[schema(example = 352)]
    pub count: i64,
    /// Integer fen, summed by the database (BIGINT).
    #[schema(example = 8860000)]
    pub total_fen: i64,
}

/// Totals of assistance by household, cadre, village or kind, for a year and/or a village, over
/// the villages the caller may see.
#[utoipa::path(tag = "assistance", operation_id = "assistance_totals", params(TotalsQuery),
    responses((status = 200, description = "Groups and the overall sum", body = AssistanceTotals)), security(("bearer" = [])))]
#[get("/assistance/totals")]
pub async fn totals(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<TotalsQuery>,
) -> Result<web::Json<AssistanceTotals>, ApiError> {
    let query = query.into_inner();
    let (from, to) = year_span(query.year)?;
    let by = By::parse(query.by.as_deref())?;
    let (year, village_id) = (query.year, query.village_id);
    let t = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Assistance).map_err(ApiError::from)?;
            if let Some(v) = village_id {
                record::load::<Villages>(conn, auth, Action::Read, v)?;
            }
            let filter = AssistanceFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                village_id,
                from,
                to,
                ..AssistanceFilter::default()
            };
            let (count, total_fen) = q::overall(conn, &filter)?;
            let mut groups: Vec<TotalsGroup> = match by {
                By::Kind => q::totals_by_kind(conn, &filter)?
                    .into_iter()
                    .map(|g| TotalsGroup {
                        id: None,
                        name: AssistanceKind::from_code(&g.key)
                            .map_or_else(|| g.key.clone(), |k| k.label().to_owned()),
                        kind: Some(g.key),
                        count: g.count,
                        total_fen: g.total_fen,
                    })
                    .collect(),
                _ => {
                    let by = match by {
                        By::Household => TotalsBy::Household,
                        By::Cadre => TotalsBy::Cadre,
                        _ => TotalsBy::Village,
                    };
                    let sums = q::totals_by_id(conn, &filter, by)?;
                    let ids: Vec<i64> = sums.iter().map(|g| g.key).collect();
                    let names: std::collections::HashMap<i64, String> =
                        q::names_of(conn, by, &ids)?.into_iter().collect();
                    sums.into_iter()
                        .map(|g| TotalsGroup {
                            id: Some(g.key),
                            kind: None,
                            name: names.get(&g.key).cloned().unwrap_or_default(),
                            count: g.count,
                            total_fen: g.total_fen,
                        })
                        .collect()
                }
            };
            groups.sort_by(|a, b| {
                (b.total_fen, &a.name, a.id, &a.kind).cmp(&(a.total_fen, &b.name, b.id, &b.kind))
            });
            Ok(AssistanceTotals {
                year,
                village_id,
                by: by.code().to_owned(),
                groups,
                count,
                total_fen,
            })
        })
        .await?;
    Ok(web::Json(t))
}

/// The assistance as a spreadsheet: one row per record, amounts in yuan.
const EXPORT: export::Table<Assistance> = export::Table {
    name: "帮扶记录",
    ascii_name: "assistance",
    columns: &[
        "编号",
        "日期",
        "村",
        "户主",
        "干部",
        "方式",
        "金额（元）",
        "内容",
    ],
    cells: |a| {
        use export::{label, Cell};
        use zhucun_domain::household::AssistanceKind;
        vec![
            Cell::from(a.id),
            Cell::from(a.given_on),
            Cell::from(a.village_name.clone()),
            Cell::from(a.household_name.clone()),
            Cell::from(a.cadre_name.clone()),
            Cell::from(label(
                &a.kind,
                AssistanceKind::from_code,
                AssistanceKind::label,
            )),
            Cell::Fen(a.amount_fen),
            Cell::from(a.description.clone()),
        ]
    },
};
