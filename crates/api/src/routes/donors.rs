//! Donors (捐赠方): the department's donors — enterprises, government bodies, social
//! organisations, individuals — named once and reused by ledger entries (`donor_id`).
//! Everyone who reads the ledger reads them; the department and the teams (who bring in
//! donations) add them; the department corrects them.

use crate::auth::Bearer;
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::http::{Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, Planned, Record};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::ledger::DonorKind;
use zhucun_domain::{list_scope, pinyin, text, Invalid, Resource, Target};
use zhucun_persistence::donors::{self as q, DonorFilter, DonorRow, DonorSort, DonorValues};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Donor {
    #[schema(example = 3)]
    pub id: i64,
    #[schema(example = "西藏信托有限公司")]
    pub name: String,
    /// enterprise, government, ngo or individual.
    #[schema(example = "enterprise")]
    pub kind: String,
    #[schema(example = "办公室 0891-6000000")]
    pub contact: Option<String>,
    pub notes: Option<String>,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<DonorRow> for Donor {
    fn from(r: DonorRow) -> Self {
        let v = r.values;
        Self {
            id: r.id,
            name: v.name,
            kind: v.kind,
            contact: v.contact,
            notes: v.notes,
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(DonorList, Donor);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DonorCreate {
    #[schema(example = "西藏信托有限公司")]
    pub name: String,
    #[schema(example = "enterprise")]
    pub kind: String,
    #[schema(example = "办公室 0891-6000000")]
    pub contact: Option<String>,
    pub notes: Option<String>,
}

/// Only the fields sent change; `null` clears an optional one.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DonorPatch {
    #[schema(example = "西藏信托有限公司")]
    pub name: Option<String>,
    pub kind: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub contact: Option<Option<String>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub notes: Option<Option<String>>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DonorQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `name` (by pinyin) or `-name`.
    pub sort: Option<String>,
    /// Text in the name, or its pinyin or initials.
    pub q: Option<String>,
    /// A donor kind code.
    pub kind: Option<String>,
}

/// Donors as versioned records (see [`crate::record`]).
pub struct Donors;

impl Record for Donors {
    type Table = q::Donors;
    type View = Donor;
    const RESOURCE: Resource = Resource::Donor;
    const ENTITY: &'static str = "donor";

    fn target(row: &DonorRow) -> Target {
        Target {
            department_id: row.department_id,
            village_id: None,
        }
    }
    fn active(_: &DonorRow) -> bool {
        true
    }
}

/// Validates every field at once and builds the stored values (API writes and demo data alike).
pub fn values(
    name: &str,
    kind: &str,
    contact: Option<&str>,
    notes: Option<&str>,
) -> Result<DonorValues, Invalid> {
    let mut inv = Invalid::new();
    let name = inv.check(text::name("name", name, 200));
    let kind = inv.check(DonorKind::parse("kind", kind));
    let contact = inv.check(text::optional_line("contact", contact, 200));
    let notes = inv.check(text::optional_text("notes", notes, 2000));
    let (Some(name), Some(kind), Some(contact), Some(notes)) = (name, kind, contact, notes) else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(DonorValues {
        sort_key: pinyin::sort_key(&name),
        search_text: text::search_key_with_pinyin(&name, []),
        name,
        kind: kind.code().to_owned(),
        contact,
        notes,
    })
}

/// List the department's donors.
#[utoipa::path(tag = "ledger", operation_id = "list_donors", params(DonorQuery),
    responses((status = 200, description = "One page of donors", body = DonorList)), security(("bearer" = [])))]
#[get("/donors")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<DonorQuery>,
) -> Result<web::Json<DonorList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<DonorSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    let kind = query
        .kind
        .as_deref()
        .map(|k| DonorKind::parse("kind", k))
        .transpose()
        .map_err(ApiError::from)?
        .map(|k| k.code().to_owned());
    let search = query
        .q
        .as_deref()
        .and_then(text::search_query)
        .map(|s| text::like_contains(&s));
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::Donor).map_err(ApiError::from)?;
            let filter = DonorFilter {
                department_id: scope.department_id,
                kind,
                search,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(DonorList {
        items,
        next_cursor,
        total,
    }))
}

/// Add a donor (the department, or a team bringing in a donation). A name the department
/// already has is a 409 on `name`: use that donor.
#[utoipa::path(tag = "ledger", operation_id = "create_donor", request_body = DonorCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Donor)), security(("bearer" = [])))]
#[post("/donors")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<DonorCreate>,
) -> Result<HttpResponse, ApiError> {
    let b = body.into_inner();
    let values = values(&b.name, &b.kind, b.contact.as_deref(), b.notes.as_deref());
    record::create::<Donors, _, _>(&state, bearer, idem, b, move |_, _| {
        Ok(Planned {
            values: values?,
            village_id: None,
        })
    })
    .await
}

/// One donor.
#[utoipa::path(tag = "ledger", operation_id = "get_donor", params(("id" = i64, Path, description = "Donor id")),
    responses((status = 200, description = "The donor", body = Donor)), security(("bearer" = [])))]
#[get("/donors/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Donors>(&state, bearer, id.into_inner()).await
}

/// Correct a donor (the department).
#[utoipa::path(tag = "ledger", operation_id = "update_donor",
    params(("id" = i64, Path, description = "Donor id"), IfMatch),
    request_body = DonorPatch, responses((status = 200, description = "The changed donor", body = Donor)), security(("bearer" = [])))]
#[patch("/donors/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<DonorPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Donors, _>(&state, bearer, if_match, id.into_inner(), move |_, row| {
        let s = &row.values;
        Ok(Planned {
            values: values(
                p.name.as_deref().unwrap_or(&s.name),
                p.kind.as_deref().unwrap_or(&s.kind),
                patch(&p.contact, &s.contact).as_deref(),
                patch(&p.notes, &s.notes).as_deref(),
            )?,
            village_id: None,
        })
    })
    .await
}
