//! Pairings (结对认亲): a cadre of the department with a household of one of its villages, for a
//! year. Many-to-many: a cadre may pair with several households (一对多) and a household may have
//! several cadres; the same pair once a year. And the year's coverage: who needed a pairing and
//! has none. Names are personal data: the committee and `regional` see none of it.

use crate::auth::{Auth, Bearer};
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::export;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own, Linkable, Planned, Record};
use crate::routes::cadres::Cadres;
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::{delete, get, patch, post, web, HttpResponse};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::household::{self as rules, Category};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Target};
use zhucun_persistence::pairings::{
    self as q, PairingFilter, PairingSort, PairingValues, PairingView,
};
use zhucun_persistence::DbConnection;

pub fn configure(cfg: &mut ServiceConfig) {
    // The coverage before `{id}`: a path segment is matched in registration order.
    cfg.service(coverage)
        .service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(remove);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Pairing {
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = 41)]
    pub household_id: i64,
    /// The household head's name (personal data).
    #[schema(example = "次旦")]
    pub household_name: String,
    #[schema(example = 7)]
    pub cadre_id: i64,
    #[schema(example = "平措")]
    pub cadre_name: String,
    /// The household's village.
    #[schema(example = 2)]
    pub village_id: i64,
    #[schema(example = "亚卡亚村")]
    pub village_name: String,
    #[schema(example = "每季度入户一次")]
    pub note: Option<String>,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<PairingView> for Pairing {
    fn from(v: PairingView) -> Self {
        let r = v.pairing;
        Self {
            id: r.id,
            year: r.values.year,
            household_id: r.values.household_id,
            household_name: v.household_name,
            cadre_id: r.values.cadre_id,
            cadre_name: v.cadre_name,
            village_id: r.values.village_id,
            village_name: v.village_name,
            note: r.values.note,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(PairingList, Pairing);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairingCreate {
    /// A household of a village you may write for; its village is the pairing's.
    #[schema(example = 41)]
    pub household_id: i64,
    /// A cadre of your department.
    #[schema(example = 7)]
    pub cadre_id: i64,
    #[schema(example = 2019)]
    pub year: i32,
    #[schema(example = "每季度入户一次")]
    pub note: Option<String>,
}

/// Only the note changes; a pairing entered with the wrong household, cadre or year is deleted
/// and entered again.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PairingPatch {
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable, example = "已入户走访三次")]
    pub note: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PairingQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `year`, `household` or `cadre` (names by pinyin); prefix `-` for descending. Default
    /// `-year`.
    pub sort: Option<String>,
    #[param(example = 2019)]
    pub year: Option<i32>,
    pub village_id: Option<i64>,
    pub cadre_id: Option<i64>,
    pub household_id: Option<i64>,
    /// `json` (default), `csv` or `xlsx`: the whole list with these filters as a download.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// Pairings as versioned records (see [`crate::record`]).
pub struct Pairings;

impl Record for Pairings {
    type Table = q::Pairings;
    type View = Pairing;
    const RESOURCE: Resource = Resource::Pairing;
    const ENTITY: &'static str = "pairing";

    fn target(v: &PairingView) -> Target {
        Target {
            department_id: v.pairing.department_id,
            village_id: Some(v.pairing.values.village_id),
        }
    }
    fn active(_: &PairingView) -> bool {
        true
    }
}

/// A pairing's fields as a request leaves them.
pub struct Fields<'a> {
    pub village_id: i64,
    pub household_id: i64,
    pub cadre_id: i64,
    pub year: i32,
    pub note: Option<&'a str>,
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
/// The references (household, cadre) are checked against the database by the caller.
pub fn values(f: Fields<'_>) -> Result<PairingValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let year = inv.check(rules::pairing_year("year", f.year, today));
    let note = inv.check(text::optional_text("note", f.note, 2000));
    if let Some(n) = &note {
        inv.check(rules::refuse_national_id("note", n.as_deref()));
    }
    let (Some(year), Some(note)) = (year, note) else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(PairingValues {
        village_id: f.village_id,
        household_id: f.household_id,
        cadre_id: f.cadre_id,
        year,
        note,
    })
}

/// The village of a household the caller may `action` pairings or assistance of: another
/// department's household, or one of a village outside a team user's villages, is a 404 like a
/// missing one; a role that may not write these rows gets 403.
pub fn household_village(
    conn: &mut DbConnection,
    auth: &Auth,
    action: Action,
    resource: Resource,
    household_id: i64,
) -> Result<i64, ApiError> {
    let (department_id, village_id) =
        q::household_place(conn, household_id)?.ok_or(ApiError::NotFound)?;
    auth.require(
        action,
        resource,
        Target {
            department_id,
            village_id: Some(village_id),
        },
    )?;
    Ok(village_id)
}

/// List pairings of the villages the caller may see.
#[utoipa::path(tag = "pairings", operation_id = "list_pairings", params(PairingQuery),
    responses((status = 200, description = "One page of pairings, or (format=csv|xlsx) the whole list as a download",
        content((PairingList = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))), security(("bearer" = [])))]
#[get("/pairings")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    http: actix_web::HttpRequest,
    query: web::Query<PairingQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let form = export::requested(&http, query.format.as_deref())?;
    let req = ListRequest::<PairingSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let (village_id, year, cadre_id, household_id) = (
        query.village_id,
        query.year,
        query.cadre_id,
        query.household_id,
    );
    let fetch =
        move |conn: &mut zhucun_persistence::DbConnection, auth: &crate::auth::Auth, page: &_| {
            let scope = list_scope(&auth.actor, Resource::Pairing).map_err(ApiError::from)?;
            let filter = PairingFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                village_id,
                year,
                cadre_id,
                household_id,
            };
            Ok(q::list(conn, &filter, page)?)
        };
    export::list::<_, PairingList, _>(state, bearer, form, req, fetch, EXPORT).await
}

/// Pair a cadre with a household for a year (team of the household's village, or the
/// department). The same pair twice in a year is a 409 on `cadre_id`.
#[utoipa::path(tag = "pairings", operation_id = "create_pairing", request_body = PairingCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Pairing)), security(("bearer" = [])))]
#[post("/pairings")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<PairingCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: 0,
        household_id: b.household_id,
        cadre_id: b.cadre_id,
        year: b.year,
        note: b.note.as_deref(),
    });
    record::create::<Pairings, _, _>(&state, bearer, idem, b, move |conn, auth| {
        let mut values = values?;
        let village_id = household_village(
            conn,
            auth,
            Action::Create,
            Resource::Pairing,
            values.household_id,
        )?;
        own::<Cadres>(
            conn,
            auth.department_id(),
            values.cadre_id,
            "cadre_id",
            Linkable::Any,
        )?;
        values.village_id = village_id;
        Ok(Planned {
            village_id: Some(village_id),
            values,
        })
    })
    .await
}

/// One pairing.
#[utoipa::path(tag = "pairings", operation_id = "get_pairing", params(("id" = i64, Path, description = "Pairing id")),
    responses((status = 200, description = "The pairing", body = Pairing)), security(("bearer" = [])))]
#[get("/pairings/{id:[0-9]+}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Pairings>(&state, bearer, id.into_inner()).await
}

/// Change a pairing's note (team of the village, or the department).
#[utoipa::path(tag = "pairings", operation_id = "update_pairing",
    params(("id" = i64, Path, description = "Pairing id"), IfMatch),
    request_body = PairingPatch, responses((status = 200, description = "The changed pairing", body = Pairing)), security(("bearer" = [])))]
#[patch("/pairings/{id:[0-9]+}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<PairingPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Pairings, _>(&state, bearer, if_match, id.into_inner(), move |_, view| {
        let s = &view.pairing.values;
        let values = values(Fields {
            village_id: s.village_id,
            household_id: s.household_id,
            cadre_id: s.cadre_id,
            year: s.year,
            note: patch(&p.note, &s.note).as_deref(),
        })?;
        Ok(Planned {
            village_id: Some(s.village_id),
            values,
        })
    })
    .await
}

/// Remove a pairing entered by mistake (team of the village, or the department). `If-Match` is
/// required: the delete names the version it removes. Audited with the row as it was.
#[utoipa::path(tag = "pairings", operation_id = "delete_pairing",
    params(("id" = i64, Path, description = "Pairing id"),
        ("If-Match" = String, Header, description = "The `ETag` you loaded (e.g. `\"3\"`); required")),
    responses((status = 204, description = "Deleted")), security(("bearer" = [])))]
#[delete("/pairings/{id:[0-9]+}")]
pub async fn remove(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    record::delete::<Pairings>(&state, bearer, if_match, id.into_inner()).await
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CoverageQuery {
    /// The year (default: this year).
    #[param(minimum = 2011, maximum = 2100, example = 2019)]
    pub year: Option<i32>,
    /// Only this village's households.
    pub village_id: Option<i64>,
}

/// A household that needed a pairing and has none.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnpairedHousehold {
    #[schema(example = 41)]
    pub id: i64,
    #[schema(example = "次旦")]
    pub head_name: String,
    #[schema(example = 2)]
    pub village_id: i64,
    #[schema(example = "亚卡亚村")]
    pub village_name: String,
    /// The category on the day judged (`poor`, `marginal` or `monitored`).
    #[schema(example = "poor")]
    pub category: String,
}

/// An active cadre without a pairing.
#[derive(Debug, Serialize, ToSchema)]
pub struct UnpairedCadre {
    #[schema(example = 7)]
    pub id: i64,
    #[schema(example = "平措")]
    pub name: String,
}

/// Lists of coverage are bounded: the counts are exact, the lists hold at most this many.
pub const COVERAGE_LIST_MAX: usize = 500;

/// A year's pairing coverage.
#[derive(Debug, Serialize, ToSchema)]
pub struct Coverage {
    #[schema(example = 2019)]
    pub year: i32,
    /// The day categories are judged on: the year's last day, or today for the running year.
    #[schema(example = "2019-12-31")]
    pub as_of: NaiveDate,
    pub village_id: Option<i64>,
    /// Households of category poor, marginal or monitored on `as_of` (in your villages).
    #[schema(example = 176)]
    pub households_needing: i64,
    #[schema(example = 176)]
    pub households_paired: i64,
    #[schema(example = 0)]
    pub households_unpaired: i64,
    /// By village, then name; at most 500 (see `households_unpaired` for all).
    pub unpaired_households: Vec<UnpairedHousehold>,
    /// The department's cadres active on `as_of`.
    #[schema(example = 223)]
    pub cadres_active: i64,
    #[schema(example = 223)]
    pub cadres_paired: i64,
    #[schema(example = 0)]
    pub cadres_unpaired: i64,
    /// By name (pinyin); at most 500.
    pub unpaired_cadres: Vec<UnpairedCadre>,
}

/// Pairing coverage of a year: the households that needed a pairing (category poor, marginal or
/// monitored at the end of the year by their category history; for the running year, today)
/// without one, and the department's active cadres without one. Department, team (its villages)
/// and admin.
#[utoipa::path(tag = "pairings", operation_id = "pairing_coverage", params(CoverageQuery),
    responses((status = 200, description = "Counts and the unpaired", body = Coverage)), security(("bearer" = [])))]
#[get("/pairings/coverage")]
pub async fn coverage(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<CoverageQuery>,
) -> Result<web::Json<Coverage>, ApiError> {
    let today = zhucun_domain::calendar::today_local();
    let year = query.year.unwrap_or(today.year());
    rules::pairing_year("year", year, today).map_err(ApiError::from)?;
    let village_id = query.village_id;
    let as_of = rules::coverage_day(year, today);
    let c = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Pairing).map_err(ApiError::from)?;
            let villages = match village_id {
                Some(v) => {
                    record::load::<Villages>(conn, auth, Action::Read, v)?;
                    Some(vec![v])
                }
                None => scope.villages,
            };
            let dept = scope.department_id;
            let standing = q::standing_on(conn, dept, villages.as_deref(), as_of)?;
            let paired: std::collections::HashSet<i64> =
                q::paired_households(conn, dept, year, villages.as_deref())?
                    .into_iter()
                    .collect();
            let needing: Vec<_> = standing
                .into_iter()
                .filter(|h| Category::from_code(&h.category).is_some_and(Category::needs_pairing))
                .collect();
            let mut unpaired: Vec<_> = needing.iter().filter(|h| !paired.contains(&h.id)).collect();
            unpaired.sort_by(|a, b| {
                (a.village_id, &a.sort_key, a.id).cmp(&(b.village_id, &b.sort_key, b.id))
            });
            let cadres = q::cadres_active_on(conn, dept, as_of)?;
            let pairing_cadres: std::collections::HashSet<i64> =
                q::pairing_cadres(conn, dept, year)?.into_iter().collect();
            let unpaired_cadres: Vec<_> = cadres
                .iter()
                .filter(|(id, _, _)| !pairing_cadres.contains(id))
                .collect();
            let count = |n: usize| i64::try_from(n).unwrap_or(i64::MAX);
            Ok(Coverage {
                year,
                as_of,
                village_id,
                households_needing: count(needing.len()),
                households_paired: count(needing.len() - unpaired.len()),
                households_unpaired: count(unpaired.len()),
                unpaired_households: unpaired
                    .iter()
                    .take(COVERAGE_LIST_MAX)
                    .map(|h| UnpairedHousehold {
                        id: h.id,
                        head_name: h.head_name.clone(),
                        village_id: h.village_id,
                        village_name: h.village_name.clone(),
                        category: h.category.clone(),
                    })
                    .collect(),
                cadres_active: count(cadres.len()),
                cadres_paired: count(cadres.len() - unpaired_cadres.len()),
                cadres_unpaired: count(unpaired_cadres.len()),
                unpaired_cadres: unpaired_cadres
                    .iter()
                    .take(COVERAGE_LIST_MAX)
                    .map(|(id, name, _)| UnpairedCadre {
                        id: *id,
                        name: name.clone(),
                    })
                    .collect(),
            })
        })
        .await?;
    Ok(web::Json(c))
}

/// The pairings as a spreadsheet: one row per cadre and household of a year.
const EXPORT: export::Table<Pairing> = export::Table {
    name: "结对认亲",
    ascii_name: "pairings",
    columns: &["编号", "年度", "村", "干部", "户主", "备注"],
    cells: |p| {
        use export::Cell;
        vec![
            Cell::from(p.id),
            Cell::from(p.year),
            Cell::from(p.village_name.clone()),
            Cell::from(p.cadre_name.clone()),
            Cell::from(p.household_name.clone()),
            Cell::from(p.note.clone()),
        ]
    },
};
