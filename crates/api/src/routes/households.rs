//! Households (农牧户): the households a team helps, their category with its history (never
//! rewritten), and the yearly 两不愁三保障 + safe drinking water checklist.
//!
//! Households are personal data. No national ID number is stored: every free-text field refuses
//! one. Member names and the phone number are shown only to roles that may see personal data
//! (`household::sees_personal_data`) and never copied into the audit trail.

use crate::auth::{Auth, Bearer};
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::export;
use crate::http::{create_once, json_with_etag, Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own, Linkable, Planned, Record};
use crate::routes::villages::Villages;
use crate::state::AppState;
use actix_web::http::StatusCode;
use actix_web::{get, patch, post, put, web, HttpResponse};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::household::{self as rules, Category, CheckItem, MonitoringType, Standing};
use zhucun_domain::{list_scope, text, Action, Invalid, Resource, Target};
use zhucun_persistence::households::{
    self as q, CheckFilter, CheckSort, CheckValues, CheckView, HouseholdFilter, HouseholdSort,
    HouseholdValues, HouseholdView, NewCategory,
};
use zhucun_persistence::{now, Creatable};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(categories)
        .service(change_category)
        .service(checks)
        .service(put_check)
        .service(list_checks);
}

// ---------------------------------------------------------------------------------------------
// Households

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Household {
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = 3)]
    pub village_id: i64,
    #[schema(example = "马格达村")]
    pub village_name: String,
    /// 户主姓名 (Chinese transliteration).
    #[schema(example = "次仁卓玛")]
    pub head_name: String,
    /// The head's name in Tibetan script.
    #[schema(example = "ཚེ་རིང་སྒྲོལ་མ།")]
    pub head_name_bo: Option<String>,
    /// 家庭人口.
    #[schema(example = 5)]
    pub members: i32,
    /// The other members' names (personal data: `null` for roles that may not see it).
    #[schema(example = "扎西、格桑旺姆、次仁")]
    pub member_names: Option<String>,
    /// Personal data: `null` for roles that may not see it.
    #[schema(example = "13908001234")]
    pub phone: Option<String>,
    /// 组 or other address within the village.
    #[schema(example = "三组")]
    pub address: Option<String>,
    /// `poor`, `marginal`, `lifted`, `monitored` or `ordinary`: the current entry of the history.
    #[schema(example = "lifted")]
    pub category: String,
    /// For `monitored`: `unstable_lifted` (脱贫不稳定户), `marginal_at_risk` (边缘易致贫户) or
    /// `sudden_hardship` (突发严重困难户).
    #[schema(example = json!(null))]
    pub monitoring_type: Option<String>,
    /// The day the current category holds from.
    #[schema(example = "2020-12-01")]
    pub category_since: NaiveDate,
    /// Causes of poverty (致贫原因) by code.
    #[schema(example = json!(["illness", "labour"]))]
    pub causes: Vec<String>,
    pub notes: Option<String>,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<HouseholdView> for Household {
    fn from(v: HouseholdView) -> Self {
        let r = v.household;
        let h = r.values;
        Self {
            id: r.id,
            village_id: h.village_id,
            village_name: v.village_name,
            head_name: h.head_name,
            head_name_bo: h.head_name_bo,
            members: h.members,
            member_names: h.member_names,
            phone: h.phone,
            address: h.address,
            category: h.category,
            monitoring_type: h.monitoring_type,
            category_since: h.category_since,
            causes: rules::causes_from_stored(&h.causes)
                .iter()
                .map(|c| c.code().to_owned())
                .collect(),
            notes: h.notes,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

impl Household {
    /// The household as `auth`'s user may see it: without personal data for roles that may not.
    fn for_viewer(mut self, auth: &Auth) -> Self {
        if !rules::sees_personal_data(auth.role) {
            self.member_names = None;
            self.phone = None;
        }
        self
    }
}

crate::list_type!(HouseholdList, Household);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdCreate {
    #[schema(example = 3)]
    pub village_id: i64,
    #[schema(example = "次仁卓玛")]
    pub head_name: String,
    #[schema(example = "ཚེ་རིང་སྒྲོལ་མ།")]
    pub head_name_bo: Option<String>,
    #[schema(example = 5)]
    pub members: i32,
    #[schema(example = "扎西、格桑旺姆、次仁")]
    pub member_names: Option<String>,
    #[schema(example = "13908001234")]
    pub phone: Option<String>,
    #[schema(example = "三组")]
    pub address: Option<String>,
    /// The category the household is in now (the first entry of its history).
    #[schema(example = "poor")]
    pub category: String,
    /// Required for `monitored`, refused otherwise.
    pub monitoring_type: Option<String>,
    /// The day that category holds from (not in the future).
    #[schema(example = "2016-03-01")]
    pub category_since: NaiveDate,
    #[serde(default)]
    #[schema(example = json!(["illness", "labour"]))]
    pub causes: Vec<String>,
    pub notes: Option<String>,
}

/// Only the fields sent change; `null` clears an optional text. The village is fixed and the
/// category changes through `POST /households/{id}/categories` (its history is kept).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HouseholdPatch {
    #[schema(example = "次仁卓玛")]
    pub head_name: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub head_name_bo: Option<Option<String>>,
    #[schema(example = 6)]
    pub members: Option<i32>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub member_names: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub address: Option<Option<String>>,
    /// Replaces the causes.
    pub causes: Option<Vec<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HouseholdQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `name` (the head's, by pinyin) or `updated` (`-updated`: most recently changed first);
    /// prefix `-` for descending. Default `name`.
    pub sort: Option<String>,
    pub village_id: Option<i64>,
    /// `poor`, `marginal`, `lifted`, `monitored` or `ordinary`.
    pub category: Option<String>,
    /// `unstable_lifted`, `marginal_at_risk` or `sudden_hardship`.
    pub monitoring_type: Option<String>,
    /// With `year`: only households paired (`true`) or not paired (`false`) with a cadre that year.
    pub paired: Option<bool>,
    /// The year of `paired` (required with it).
    pub year: Option<i32>,
    /// Text in the head's Chinese or Tibetan name; the Chinese name also by pinyin
    /// (`cirenzhuoma`) or initials (`crzm`).
    pub q: Option<String>,
    /// `json` (default), `csv` or `xlsx`: the whole list with these filters as a download.
    #[param(example = "csv")]
    pub format: Option<String>,
}

/// Households as versioned records (see [`crate::record`]).
pub struct Households;

/// The fields of a household the audit trail records as "set" / "changed", never by value.
const PERSONAL: [&str; 2] = ["member_names", "phone"];

/// Replaces each personal field by a marker: `{"redacted": true}` when set (with
/// `"changed": true` in `after` when it differs from `before`), `null` when not set.
fn redact(before: Option<&Household>, after: Option<&Household>) -> (Option<Value>, Option<Value>) {
    let personal = |h: &Household, field: &str| match field {
        "phone" => h.phone.clone(),
        _ => h.member_names.clone(),
    };
    let mark = |h: &Household, other: Option<&Household>| {
        let mut v = serde_json::to_value(h).unwrap_or(Value::Null);
        if let Some(o) = v.as_object_mut() {
            for field in PERSONAL {
                let value = personal(h, field);
                let marker = match (&value, other) {
                    (None, _) => Value::Null,
                    (Some(_), Some(b)) if personal(b, field) != value => {
                        serde_json::json!({"redacted": true, "changed": true})
                    }
                    (Some(_), _) => serde_json::json!({"redacted": true}),
                };
                o.insert(field.to_owned(), marker);
            }
        }
        v
    };
    (
        before.map(|b| mark(b, None)),
        after.map(|a| mark(a, before)),
    )
}

impl Record for Households {
    type Table = q::Households;
    type View = Household;
    const RESOURCE: Resource = Resource::Household;
    const ENTITY: &'static str = "household";

    fn target(v: &HouseholdView) -> Target {
        Target {
            department_id: v.household.department_id,
            village_id: Some(v.household.values.village_id),
        }
    }
    fn active(_: &HouseholdView) -> bool {
        true
    }
    fn audited(
        before: Option<&Household>,
        after: Option<&Household>,
    ) -> Result<(Option<Value>, Option<Value>), ApiError> {
        Ok(redact(before, after))
    }
}

/// A household's fields as a request leaves them (after merging a patch).
pub struct Fields<'a> {
    pub village_id: i64,
    pub head_name: &'a str,
    pub head_name_bo: Option<&'a str>,
    pub members: i32,
    pub member_names: Option<&'a str>,
    pub phone: Option<&'a str>,
    pub address: Option<&'a str>,
    pub category: &'a str,
    pub monitoring_type: Option<&'a str>,
    pub category_since: NaiveDate,
    pub causes: &'a [String],
    pub notes: Option<&'a str>,
}

/// Refuses a national ID number in a free-text field (checked on the text as sent).
fn no_id(inv: &mut Invalid, field: &str, raw: Option<&str>) {
    inv.check(rules::refuse_national_id(field, raw));
}

/// The standing a request names: category and monitoring type, checked together.
fn standing(inv: &mut Invalid, category: &str, monitoring_type: Option<&str>) -> Option<Standing> {
    let category = inv.check(Category::parse("category", category));
    let monitoring = match monitoring_type.map(str::trim).filter(|m| !m.is_empty()) {
        None => Some(None),
        Some(m) => inv
            .check(MonitoringType::parse("monitoring_type", m))
            .map(Some),
    };
    inv.check(Standing::new(category?, monitoring?))
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
pub fn values(f: Fields<'_>) -> Result<HouseholdValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    for (field, raw) in [
        ("head_name", Some(f.head_name)),
        ("head_name_bo", f.head_name_bo),
        ("member_names", f.member_names),
        ("phone", f.phone),
        ("address", f.address),
        ("notes", f.notes),
    ] {
        no_id(&mut inv, field, raw);
    }
    let head_name = inv.check(text::name("head_name", f.head_name, 50));
    let head_name_bo = inv.check(text::tibetan_name("head_name_bo", f.head_name_bo, 100));
    let members = inv.check(rules::check_members("members", f.members));
    let member_names = inv.check(text::optional_line("member_names", f.member_names, 500));
    let phone = if rules::looks_like_national_id(f.phone.unwrap_or_default()) {
        None
    } else {
        inv.check(crate::routes::cadres::phone(f.phone))
    };
    let address = inv.check(text::optional_line("address", f.address, 100));
    let standing = standing(&mut inv, f.category, f.monitoring_type);
    let since = inv.check(rules::check_since(
        "category_since",
        f.category_since,
        None,
        today,
    ));
    let causes = inv.check(rules::parse_causes("causes", f.causes));
    let notes = inv.check(text::optional_text("notes", f.notes, 2000));
    let (
        Some(head_name),
        Some(head_name_bo),
        Some(members),
        Some(member_names),
        Some(phone),
        Some(address),
        Some(standing),
        Some(since),
        Some(causes),
        Some(notes),
    ) = (
        head_name,
        head_name_bo,
        members,
        member_names,
        phone,
        address,
        standing,
        since,
        causes,
        notes,
    )
    else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(HouseholdValues {
        village_id: f.village_id,
        sort_key: zhucun_domain::pinyin::sort_key(&head_name),
        search_text: search_text(&head_name, head_name_bo.as_deref()),
        head_name,
        head_name_bo,
        members,
        member_names,
        phone,
        address,
        category: standing.category.code().to_owned(),
        monitoring_type: standing.monitoring_type.map(|m| m.code().to_owned()),
        category_since: since,
        causes: rules::causes_to_stored(&causes),
        notes,
    })
}

/// What a search matches: the head's Chinese and Tibetan name, the Chinese name's pinyin and
/// initials.
pub fn search_text(head_name: &str, head_name_bo: Option<&str>) -> String {
    text::search_key_with_pinyin(head_name, [head_name_bo])
}

fn year_param(year: i32) -> Result<i32, ApiError> {
    Ok(zhucun_domain::survey::year(
        "year",
        year,
        zhucun_domain::calendar::today_local(),
    )?)
}

/// List households of the villages the caller may see.
#[utoipa::path(tag = "households", operation_id = "list_households", params(HouseholdQuery),
    responses((status = 200, description = "One page of households, or (format=csv|xlsx) the whole list as a download",
        content((HouseholdList = "application/json"),
            (String = "text/csv"),
            (Vec<u8> = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")))), security(("bearer" = [])))]
#[get("/households")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    http: actix_web::HttpRequest,
    query: web::Query<HouseholdQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let form = export::requested(&http, query.format.as_deref())?;
    let req = ListRequest::<HouseholdSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let mut inv = Invalid::new();
    let category = query
        .category
        .as_deref()
        .and_then(|c| inv.check(Category::parse("category", c)))
        .map(|c| c.code().to_owned());
    let monitoring_type = query
        .monitoring_type
        .as_deref()
        .and_then(|m| inv.check(MonitoringType::parse("monitoring_type", m)))
        .map(|m| m.code().to_owned());
    let paired = match (query.paired, query.year) {
        (None, _) => None,
        (Some(_), None) => {
            inv.push(zhucun_domain::validation::required("year"));
            None
        }
        (Some(p), Some(y)) => inv
            .check(zhucun_domain::survey::year(
                "year",
                y,
                zhucun_domain::calendar::today_local(),
            ))
            .map(|y| (p, y)),
    };
    inv.into_result()?;
    let search = query
        .q
        .as_deref()
        .and_then(text::search_query)
        .map(|s| text::like_contains(&s));
    let village_id = query.village_id;
    let fetch =
        move |conn: &mut zhucun_persistence::DbConnection, auth: &crate::auth::Auth, page: &_| {
            let scope = list_scope(&auth.actor, Resource::Household).map_err(ApiError::from)?;
            // Who is paired with whom is not the committee's to learn, not even through a filter.
            if paired.is_some() {
                list_scope(&auth.actor, Resource::Pairing).map_err(ApiError::from)?;
            }
            let filter = HouseholdFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                village_id,
                category: category.clone(),
                monitoring_type: monitoring_type.clone(),
                paired,
                search: search.clone(),
            };
            let mut rows = q::list(conn, &filter, page)?;
            // Member names and phones only for the roles that see personal data, in pages and
            // downloads alike.
            if !rules::sees_personal_data(auth.role) {
                for h in &mut rows.items {
                    h.household.values.member_names = None;
                    h.household.values.phone = None;
                }
            }
            Ok(rows)
        };
    export::list::<_, HouseholdList, _>(state, bearer, form, req, fetch, EXPORT).await
}

/// Register a household (team of the village, or the department) with its current category,
/// which becomes the first entry of its category history.
#[utoipa::path(tag = "households", operation_id = "create_household", request_body = HouseholdCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Household)), security(("bearer" = [])))]
#[post("/households")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<HouseholdCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(Fields {
        village_id: b.village_id,
        head_name: &b.head_name,
        head_name_bo: b.head_name_bo.as_deref(),
        members: b.members,
        member_names: b.member_names.as_deref(),
        phone: b.phone.as_deref(),
        address: b.address.as_deref(),
        category: &b.category,
        monitoring_type: b.monitoring_type.as_deref(),
        category_since: b.category_since,
        causes: &b.causes,
        notes: b.notes.as_deref(),
    });
    let created = state
        .write_as(bearer, move |conn, auth| {
            // The role first, as `record::create` does.
            auth.require_own(Action::Create, Resource::Household, None)?;
            create_once(conn, auth.user.id, &idem, &b, |conn| {
                let values = values?;
                let dept = auth.department_id();
                own::<Villages>(
                    conn,
                    dept,
                    values.village_id,
                    "village_id",
                    Linkable::ActiveOnly,
                )?;
                auth.require_own(Action::Create, Resource::Household, Some(values.village_id))?;
                let row = q::Households::insert(conn, dept, &values, now())?;
                q::append_category(
                    conn,
                    &NewCategory {
                        department_id: dept,
                        household_id: row.household.id,
                        category: values.category.clone(),
                        monitoring_type: values.monitoring_type.clone(),
                        since: values.category_since,
                        note: None,
                        recorded_by: Some(auth.user.id),
                        recorded_at: now(),
                    },
                )?;
                record::created::<Households>(conn, auth, row)
            })
        })
        .await?;
    Ok(created.into_response())
}

/// One household (without member names and phone for roles that may not see personal data).
#[utoipa::path(tag = "households", operation_id = "get_household", params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, description = "The household", body = Household)), security(("bearer" = [])))]
#[get("/households/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let (household, version) = state
        .read_as(bearer, move |conn, auth| {
            let row = record::load::<Households>(conn, auth, Action::Read, id)?;
            let version = row.household.version;
            Ok((Household::from(row).for_viewer(auth), version))
        })
        .await?;
    json_with_etag(StatusCode::OK, &household, version)
}

/// Correct a household's details (team of the village, or the department). The category is
/// changed with `POST /households/{id}/categories`.
#[utoipa::path(tag = "households", operation_id = "update_household",
    params(("id" = i64, Path, description = "Household id"), IfMatch),
    request_body = HouseholdPatch, responses((status = 200, description = "The changed household", body = Household)), security(("bearer" = [])))]
#[patch("/households/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<HouseholdPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Households, _>(&state, bearer, if_match, id.into_inner(), move |_, view| {
        let h = &view.household.values;
        let causes: Vec<String> = p.causes.clone().unwrap_or_else(|| {
            rules::causes_from_stored(&h.causes)
                .iter()
                .map(|c| c.code().to_owned())
                .collect()
        });
        let values = values(Fields {
            village_id: h.village_id,
            head_name: p.head_name.as_deref().unwrap_or(&h.head_name),
            head_name_bo: patch(&p.head_name_bo, &h.head_name_bo).as_deref(),
            members: p.members.unwrap_or(h.members),
            member_names: patch(&p.member_names, &h.member_names).as_deref(),
            phone: patch(&p.phone, &h.phone).as_deref(),
            address: patch(&p.address, &h.address).as_deref(),
            category: &h.category,
            monitoring_type: h.monitoring_type.as_deref(),
            category_since: h.category_since,
            causes: &causes,
            notes: patch(&p.notes, &h.notes).as_deref(),
        })?;
        Ok(Planned {
            village_id: Some(h.village_id),
            values,
        })
    })
    .await
}

// ---------------------------------------------------------------------------------------------
// Category history

#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryEntry {
    #[schema(example = 40)]
    pub id: i64,
    #[schema(example = "lifted")]
    pub category: String,
    #[schema(example = json!(null))]
    pub monitoring_type: Option<String>,
    /// The day this category holds from.
    #[schema(example = "2020-12-01")]
    pub since: NaiveDate,
    #[schema(example = "2020年脱贫摘帽")]
    pub note: Option<String>,
    /// The user who recorded it (`null` for imported or demo data).
    pub recorded_by: Option<i64>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub recorded_at: DateTime<Utc>,
}

/// A household's category history, oldest first; the last entry is the current category.
#[derive(Debug, Serialize, ToSchema)]
pub struct CategoryHistory {
    #[schema(example = 12)]
    pub household_id: i64,
    pub items: Vec<CategoryEntry>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CategoryChange {
    #[schema(example = "monitored")]
    pub category: String,
    /// Required for `monitored`, refused otherwise.
    #[schema(example = "sudden_hardship")]
    pub monitoring_type: Option<String>,
    /// The day the new category holds from: not before the current one's, not in the future.
    #[schema(example = "2023-08-15")]
    pub since: NaiveDate,
    #[schema(example = "家中主要劳动力因病住院")]
    pub note: Option<String>,
}

/// A household's category history, oldest first. Entries are never changed or removed.
#[utoipa::path(tag = "households", operation_id = "list_household_categories",
    params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, description = "The history", body = CategoryHistory)), security(("bearer" = [])))]
#[get("/households/{id}/categories")]
pub async fn categories(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<web::Json<CategoryHistory>, ApiError> {
    let id = id.into_inner();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            record::load::<Households>(conn, auth, Action::Read, id)?;
            Ok(q::categories(conn, id)?)
        })
        .await?;
    Ok(web::Json(CategoryHistory {
        household_id: id,
        items: rows
            .into_iter()
            .map(|r| CategoryEntry {
                id: r.id,
                category: r.category,
                monitoring_type: r.monitoring_type,
                since: r.since,
                note: r.note,
                recorded_by: r.recorded_by,
                recorded_at: utc(r.recorded_at),
            })
            .collect(),
    }))
}

/// Change a household's category from a date (team of the village, or the department): appends
/// an entry to the history and makes it the household's current category, in one transaction.
/// Takes the household's `If-Match`; the same category and monitoring type again is refused.
#[utoipa::path(tag = "households", operation_id = "change_household_category",
    params(("id" = i64, Path, description = "Household id"), IfMatch),
    request_body = CategoryChange,
    responses((status = 200, description = "The household with its new category", body = Household),
        (status = 412, description = "Stale `If-Match`: someone changed the household since you loaded it", body = crate::error::Problem)),
    security(("bearer" = [])))]
#[post("/households/{id}/categories")]
pub async fn change_category(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<CategoryChange>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let c = body.into_inner();
    let updated = state
        .write_as(bearer, move |conn, auth| {
            let note = std::cell::RefCell::new(None);
            let updated =
                record::update_in::<Households, _>(conn, auth, &if_match, id, |_, view| {
                    let h = &view.household.values;
                    let mut inv = Invalid::new();
                    let today = zhucun_domain::calendar::today_local();
                    no_id(&mut inv, "note", c.note.as_deref());
                    let new = standing(&mut inv, &c.category, c.monitoring_type.as_deref());
                    let since = inv.check(rules::check_since(
                        "since",
                        c.since,
                        Some(h.category_since),
                        today,
                    ));
                    *note.borrow_mut() = inv
                        .check(text::optional_text("note", c.note.as_deref(), 500))
                        .flatten();
                    let current = current_standing(h);
                    if let (Some(new), Some(current)) = (new, current) {
                        inv.check(rules::check_changes("category", current, new));
                    }
                    inv.into_result()?;
                    let (Some(new), Some(since)) = (new, since) else {
                        return Err(ApiError::internal("validated standing missing"));
                    };
                    Ok(Planned {
                        village_id: Some(h.village_id),
                        values: HouseholdValues {
                            category: new.category.code().to_owned(),
                            monitoring_type: new.monitoring_type.map(|m| m.code().to_owned()),
                            category_since: since,
                            ..h.clone()
                        },
                    })
                })?;
            if updated.changed {
                let h = &updated.after.household;
                q::append_category(
                    conn,
                    &NewCategory {
                        department_id: h.department_id,
                        household_id: h.id,
                        category: h.values.category.clone(),
                        monitoring_type: h.values.monitoring_type.clone(),
                        since: h.values.category_since,
                        note: note.into_inner(),
                        recorded_by: Some(auth.user.id),
                        recorded_at: now(),
                    },
                )?;
            }
            Ok(updated.after)
        })
        .await?;
    record::respond::<Households>(StatusCode::OK, updated)
}

/// The stored standing of a household (stored codes are valid; `None` only if a newer version
/// wrote a code this one does not know).
fn current_standing(h: &HouseholdValues) -> Option<Standing> {
    let category = Category::from_code(&h.category)?;
    let monitoring = match &h.monitoring_type {
        None => None,
        Some(m) => Some(MonitoringType::from_code(m)?),
    };
    Some(Standing {
        category,
        monitoring_type: monitoring,
    })
}

// ---------------------------------------------------------------------------------------------
// Checklists

/// One item of the checklist.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckMark {
    #[schema(example = true)]
    pub met: bool,
    #[schema(example = json!(null))]
    pub note: Option<String>,
}

/// 两不愁三保障 + safe drinking water: every item is required.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckItems {
    /// 不愁吃.
    pub food: CheckMark,
    /// 不愁穿.
    pub clothing: CheckMark,
    /// 义务教育有保障.
    pub education: CheckMark,
    /// 基本医疗有保障.
    #[schema(example = json!({"met": false, "note": "慢性病签约服务未落实"}))]
    pub medical: CheckMark,
    /// 住房安全有保障.
    pub housing: CheckMark,
    /// 饮水安全有保障.
    pub water: CheckMark,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Check {
    #[schema(example = 7)]
    pub id: i64,
    #[schema(example = 12)]
    pub household_id: i64,
    #[schema(example = "次仁卓玛")]
    pub head_name: String,
    #[schema(example = "ཚེ་རིང་སྒྲོལ་མ།")]
    pub head_name_bo: Option<String>,
    #[schema(example = 3)]
    pub village_id: i64,
    #[schema(example = "马格达村")]
    pub village_name: String,
    #[schema(example = 2025)]
    pub year: i32,
    // The six items written out (not `#[serde(flatten)]` of `CheckItems`): the request's schema
    // refuses unknown fields, and a flattened copy would refuse this response's own fields.
    /// 不愁吃.
    pub food: CheckMark,
    /// 不愁穿.
    pub clothing: CheckMark,
    /// 义务教育有保障.
    pub education: CheckMark,
    /// 基本医疗有保障.
    #[schema(example = json!({"met": false, "note": "慢性病签约服务未落实"}))]
    pub medical: CheckMark,
    /// 住房安全有保障.
    pub housing: CheckMark,
    /// 饮水安全有保障.
    pub water: CheckMark,
    /// How many of the six items are not met.
    #[schema(example = 1)]
    pub unmet: i32,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<CheckView> for Check {
    fn from(v: CheckView) -> Self {
        let r = v.check;
        let c = r.values;
        let mark = |met: i32, note: Option<String>| CheckMark {
            met: met != 0,
            note,
        };
        Self {
            id: r.id,
            household_id: c.household_id,
            head_name: v.head_name,
            head_name_bo: v.head_name_bo,
            village_id: c.village_id,
            village_name: v.village_name,
            year: c.year,
            food: mark(c.food, c.food_note),
            clothing: mark(c.clothing, c.clothing_note),
            education: mark(c.education, c.education_note),
            medical: mark(c.medical, c.medical_note),
            housing: mark(c.housing, c.housing_note),
            water: mark(c.water, c.water_note),
            unmet: c.unmet,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(CheckList, Check);

/// A household's checklists, oldest year first.
#[derive(Debug, Serialize, ToSchema)]
pub struct HouseholdChecks {
    #[schema(example = 12)]
    pub household_id: i64,
    pub items: Vec<Check>,
}

/// Checklists as versioned records: access is the household's (their village's).
pub struct Checks;

impl Record for Checks {
    type Table = q::Checks;
    type View = Check;
    const RESOURCE: Resource = Resource::Household;
    const ENTITY: &'static str = "household_check";

    fn target(v: &CheckView) -> Target {
        Target {
            department_id: v.check.department_id,
            village_id: Some(v.check.values.village_id),
        }
    }
    fn active(_: &CheckView) -> bool {
        true
    }
}

/// Validates a checklist (API writes and demo data alike).
pub fn check_values(
    household_id: i64,
    village_id: i64,
    year: i32,
    items: &CheckItems,
) -> Result<CheckValues, Invalid> {
    let mut inv = Invalid::new();
    let today = zhucun_domain::calendar::today_local();
    let year = inv.check(zhucun_domain::survey::year("year", year, today));
    let marks = [
        &items.food,
        &items.clothing,
        &items.education,
        &items.medical,
        &items.housing,
        &items.water,
    ];
    let mut notes: Vec<Option<String>> = Vec::with_capacity(6);
    for (item, mark) in CheckItem::ALL.iter().zip(marks) {
        let field = format!("{}.note", item.code());
        no_id(&mut inv, &field, mark.note.as_deref());
        notes.push(
            inv.check(text::optional_text(&field, mark.note.as_deref(), 500))
                .flatten(),
        );
    }
    let Some(year) = year else {
        return Err(inv);
    };
    inv.into_result()?;
    let met = marks.map(|m| m.met);
    let flag = |b: bool| i32::from(b);
    let mut notes = notes.into_iter();
    let mut next = || notes.next().flatten();
    Ok(CheckValues {
        village_id,
        household_id,
        year,
        food: flag(met[0]),
        food_note: next(),
        clothing: flag(met[1]),
        clothing_note: next(),
        education: flag(met[2]),
        education_note: next(),
        medical: flag(met[3]),
        medical_note: next(),
        housing: flag(met[4]),
        housing_note: next(),
        water: flag(met[5]),
        water_note: next(),
        unmet: rules::unmet_count(met),
    })
}

/// Record or replace a household's checklist for a year (team of the village, or the
/// department). The first answer is 201; replacing is 200 and takes the checklist's `If-Match`
/// (without it, the last write wins, as with every PATCH); the same checklist again writes
/// nothing.
#[utoipa::path(tag = "households", operation_id = "put_household_check",
    params(("id" = i64, Path, description = "Household id"),
        ("year" = i32, Path, description = "Year of the checklist, 2011 to next year"), IfMatch),
    request_body = CheckItems,
    responses((status = 200, description = "Replaced (or unchanged)", body = Check),
        (status = 201, description = "Created", body = Check)), security(("bearer" = [])))]
#[put("/households/{id}/checks/{year}")]
pub async fn put_check(
    state: web::Data<AppState>,
    bearer: Bearer,
    path: web::Path<(i64, i32)>,
    if_match: IfMatch,
    body: web::Json<CheckItems>,
) -> Result<HttpResponse, ApiError> {
    let (id, year) = path.into_inner();
    let items = body.into_inner();
    let (status, row) = state
        .write_as(bearer, move |conn, auth| {
            let household = record::load::<Households>(conn, auth, Action::Update, id)?;
            let values = check_values(id, household.household.values.village_id, year, &items)?;
            match q::check_of(conn, id, values.year)? {
                None => {
                    // A tag names a version of an existing checklist: there is none.
                    if if_match != IfMatch::Absent {
                        return Err(ApiError::PreconditionFailed);
                    }
                    let row = q::Checks::insert(conn, auth.department_id(), &values, now())?;
                    record::created::<Checks>(conn, auth, row.clone())?;
                    Ok((StatusCode::CREATED, row))
                }
                Some(existing) => {
                    let village_id = Some(values.village_id);
                    let updated = record::update_in::<Checks, _>(
                        conn,
                        auth,
                        &if_match,
                        existing.check.id,
                        move |_, _| Ok(Planned { values, village_id }),
                    )?;
                    Ok((StatusCode::OK, updated.after))
                }
            }
        })
        .await?;
    record::respond::<Checks>(status, row)
}

/// A household's checklists, oldest year first.
#[utoipa::path(tag = "households", operation_id = "list_household_checks",
    params(("id" = i64, Path, description = "Household id")),
    responses((status = 200, description = "The checklists", body = HouseholdChecks)), security(("bearer" = [])))]
#[get("/households/{id}/checks")]
pub async fn checks(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<web::Json<HouseholdChecks>, ApiError> {
    let id = id.into_inner();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            record::load::<Households>(conn, auth, Action::Read, id)?;
            Ok(q::checks_of(conn, id)?)
        })
        .await?;
    Ok(web::Json(HouseholdChecks {
        household_id: id,
        items: rows.into_iter().map(Check::from).collect(),
    }))
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CheckQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `household` (the head's name, by pinyin) or `year`; prefix `-` for descending.
    /// Default `household`.
    pub sort: Option<String>,
    pub year: Option<i32>,
    pub village_id: Option<i64>,
    /// `true`: only checklists with an unmet item; `false`: only those with every item met.
    pub unmet: Option<bool>,
}

/// Checklists of the villages the caller may see, with the household head and village: the
/// department's view of who still has an unmet item (`unmet=true`).
#[utoipa::path(tag = "households", operation_id = "list_checks", params(CheckQuery),
    responses((status = 200, description = "One page of checklists", body = CheckList)), security(("bearer" = [])))]
#[get("/household-checks")]
pub async fn list_checks(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<CheckQuery>,
) -> Result<web::Json<CheckList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<CheckSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let year = query.year.map(year_param).transpose()?;
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Household).map_err(ApiError::from)?;
            let filter = CheckFilter {
                department_id: scope.department_id,
                only_villages: scope.villages,
                village_id: query.village_id,
                household_id: None,
                year,
                unmet: query.unmet,
            };
            Ok(q::list_checks(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(CheckList {
        items,
        next_cursor,
        total,
    }))
}

/// The households as a spreadsheet: one row per household (member names and phones only for
/// the roles that see them, as in the list).
const EXPORT: export::Table<Household> = export::Table {
    name: "农户",
    ascii_name: "households",
    columns: &[
        "编号",
        "村",
        "户主",
        "户主（藏文）",
        "人口",
        "家庭成员",
        "电话",
        "住址",
        "类别",
        "监测类型",
        "类别起始日期",
        "致贫/返贫原因",
        "备注",
    ],
    cells: |h| {
        use export::{label, Cell};
        use zhucun_domain::household::{Category, Cause, MonitoringType};
        vec![
            Cell::from(h.id),
            Cell::from(h.village_name.clone()),
            Cell::from(h.head_name.clone()),
            Cell::from(h.head_name_bo.clone()),
            Cell::from(h.members),
            Cell::from(h.member_names.clone()),
            Cell::from(h.phone.clone()),
            Cell::from(h.address.clone()),
            Cell::from(label(&h.category, Category::from_code, Category::label)),
            Cell::from(
                h.monitoring_type
                    .as_deref()
                    .map(|m| label(m, MonitoringType::from_code, MonitoringType::label)),
            ),
            Cell::from(h.category_since),
            Cell::from(
                h.causes
                    .iter()
                    .map(|c| label(c, Cause::from_code, Cause::label))
                    .collect::<Vec<_>>()
                    .join("、"),
            ),
            Cell::from(h.notes.clone()),
        ]
    },
};
