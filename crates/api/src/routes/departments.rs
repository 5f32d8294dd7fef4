//! Departments: the tenants. A user sees only their own; the operator's admins create new ones
//! together with each one's first admin.

use crate::audit::{self, AuditCtx, NONE};
use crate::auth::Bearer;
use crate::dto::{deactivation, patch, some, utc};
use crate::error::ApiError;
use crate::http::{create_once, Idempotency, IfMatch};
use crate::record::{self, Planned, Record};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::organisation::DepartmentSettings;
use zhucun_domain::{auth as rules, text, Action, Invalid, Resource, Role, Target};
use zhucun_persistence::departments::{self as q, DepartmentRow, DepartmentValues};
use zhucun_persistence::users::{self, UserValues};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update);
}

/// Rules of the department, with the article's defaults.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Days a month a cadre must spend in the village.
    #[schema(example = 20)]
    pub min_days_in_village: i32,
    /// Longest leave (days) a team leader approves locally.
    #[schema(example = 3)]
    pub local_leave_max_days: i32,
    /// Smallest allowed work team.
    #[schema(example = 3)]
    pub min_team_size: i32,
    /// 四议两公开 step 4: percent of those entitled who must attend the villagers'
    /// (representatives') meeting, 1–100 (default 50). Omitted in a request: unchanged (new
    /// department: 50).
    #[serde(default)]
    #[schema(example = 50, minimum = 1, maximum = 100)]
    pub villagers_quorum_percent: Option<i32>,
    /// Days within which a decision's resolution must be disclosed, 1–60 (default 7). Omitted
    /// in a request: unchanged (new department: 7).
    #[serde(default)]
    #[schema(example = 7, minimum = 1, maximum = 60)]
    pub major_disclosure_days: Option<i32>,
}

impl Settings {
    /// The settings a request sent, the omitted ones taken from `current`.
    fn over(self, current: DepartmentSettings) -> DepartmentSettings {
        DepartmentSettings {
            min_days_in_village: self.min_days_in_village,
            local_leave_max_days: self.local_leave_max_days,
            min_team_size: self.min_team_size,
            villagers_quorum_percent: self
                .villagers_quorum_percent
                .unwrap_or(current.villagers_quorum_percent),
            major_disclosure_days: self
                .major_disclosure_days
                .unwrap_or(current.major_disclosure_days),
        }
    }
}

/// The settings a department has now.
fn settings_of(r: &DepartmentRow) -> DepartmentSettings {
    {
        DepartmentSettings {
            min_days_in_village: r.min_days_in_village,
            local_leave_max_days: r.local_leave_max_days,
            min_team_size: r.min_team_size,
            villagers_quorum_percent: r.villagers_quorum_percent,
            major_disclosure_days: r.major_disclosure_days,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Department {
    #[schema(example = 1)]
    pub id: i64,
    #[schema(example = "西藏自治区财政厅")]
    pub name: String,
    #[schema(example = "财政厅")]
    pub short_name: Option<String>,
    pub settings: Settings,
    pub active: bool,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<DepartmentRow> for Department {
    fn from(r: DepartmentRow) -> Self {
        Self {
            id: r.id,
            name: r.name,
            short_name: r.short_name,
            settings: Settings {
                min_days_in_village: r.min_days_in_village,
                local_leave_max_days: r.local_leave_max_days,
                min_team_size: r.min_team_size,
                villagers_quorum_percent: Some(r.villagers_quorum_percent),
                major_disclosure_days: Some(r.major_disclosure_days),
            },
            active: r.deactivated_at.is_none(),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(DepartmentList, Department);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentCreate {
    #[schema(example = "西藏自治区交通运输厅")]
    pub name: String,
    pub short_name: Option<String>,
    pub settings: Option<Settings>,
    /// The new department's first admin.
    #[schema(example = "jt_admin")]
    pub admin_username: String,
    #[schema(example = "管理员")]
    pub admin_display_name: String,
    /// At least 10 characters; not stored, only its argon2id hash.
    #[schema(write_only, example = "a long admin password")]
    pub admin_password: String,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DepartmentPatch {
    pub name: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<String>, nullable)]
    pub short_name: Option<Option<String>>,
    pub settings: Option<Settings>,
    pub active: Option<bool>,
}

/// Validates and builds the stored values (API writes and demo data alike).
pub fn values(
    name: &str,
    short_name: Option<&str>,
    settings: DepartmentSettings,
    deactivated_at: Option<chrono::NaiveDateTime>,
) -> Result<DepartmentValues, Invalid> {
    let mut inv = Invalid::new();
    let name = inv.check(text::name("name", name, 100));
    let short_name = inv.check(text::optional_line("short_name", short_name, 30));
    for e in settings.validate() {
        inv.errors.push(e);
    }
    let (Some(name), Some(short_name)) = (name, short_name) else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok(DepartmentValues {
        name,
        short_name,
        min_days_in_village: settings.min_days_in_village,
        local_leave_max_days: settings.local_leave_max_days,
        min_team_size: settings.min_team_size,
        villagers_quorum_percent: settings.villagers_quorum_percent,
        major_disclosure_days: settings.major_disclosure_days,
        deactivated_at,
    })
}

/// The caller's department (a tenant never sees another).
#[utoipa::path(tag = "departments", operation_id = "list_departments",
    responses((status = 200, description = "Your department", body = DepartmentList)), security(("bearer" = [])))]
#[get("/departments")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
) -> Result<web::Json<DepartmentList>, ApiError> {
    let row = state
        .read_as(bearer, move |conn, auth| {
            Ok(q::get(conn, auth.department_id())?)
        })
        .await?;
    Ok(web::Json(DepartmentList {
        items: vec![Department::from(row)],
        next_cursor: None,
        total: Some(crate::paging::ListTotal {
            count: 1,
            exact: true,
        }),
    }))
}

/// Create a department with its first admin (admins of the operator department only).
#[utoipa::path(tag = "departments", operation_id = "create_department", request_body = DepartmentCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = Department)), security(("bearer" = [])))]
#[post("/departments")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<DepartmentCreate>,
) -> Result<HttpResponse, ApiError> {
    let may_create = |auth: &crate::auth::Auth| {
        auth.require(
            Action::Create,
            Resource::Department,
            Target {
                department_id: 0,
                village_id: None,
            },
        )
    };
    // Refused before any password is hashed; checked again in the write.
    let check = bearer.clone();
    state
        .read_as(check, move |_, auth| may_create(auth))
        .await?;
    let b = body.into_inner();
    let settings: DepartmentSettings = b
        .settings
        .map(|s| s.over(DepartmentSettings::default()))
        .unwrap_or_default();
    let (vals, mut inv) = match values(&b.name, b.short_name.as_deref(), settings, None) {
        Ok(v) => (Some(v), Invalid::new()),
        Err(inv) => (None, inv),
    };
    let username = inv.check(rules::username(&b.admin_username).map_err(|mut e| {
        e.field = "admin_username".to_owned();
        e
    }));
    let display = inv.check(text::name("admin_display_name", &b.admin_display_name, 50));
    inv.check(rules::new_password(
        "admin_password",
        &b.admin_password,
        &b.admin_username,
    ));
    inv.clone().into_result()?;
    let (Some(vals), Some(username), Some(display)) = (vals, username, display) else {
        return Err(inv.into());
    };
    let hash = state.passwords.hash(b.admin_password.clone()).await?;
    let created = state
        .write_as(bearer, move |conn, auth| {
            may_create(auth)?;
            // The password takes no part in the stored request fingerprint.
            let mut fingerprint = serde_json::to_value(&b).map_err(ApiError::internal)?;
            if let Some(o) = fingerprint.as_object_mut() {
                o.remove("admin_password");
            }
            create_once(conn, auth.user.id, &idem, &fingerprint, |conn| {
                let now = zhucun_persistence::now();
                let row = q::insert(conn, &vals, false, now)?;
                let admin = users::insert(
                    conn,
                    row.id,
                    &username,
                    &hash,
                    &UserValues {
                        display_name: display.clone(),
                        role: Role::Admin.as_str().to_owned(),
                        office_id: None,
                        village_id: None,
                        cadre_id: None,
                        search_text: text::search_key([
                            Some(username.as_str()),
                            Some(display.as_str()),
                        ]),
                        disabled_at: None,
                    },
                    now,
                )?;
                let dto = Department::from(row);
                audit::record(
                    conn,
                    &auth.audit(),
                    "create",
                    "department",
                    dto.id,
                    NONE,
                    Some(&dto),
                )?;
                // The new tenant's trail starts with its first admin.
                let ctx = AuditCtx {
                    department_id: dto.id,
                    ..auth.audit()
                };
                audit::record(
                    conn,
                    &ctx,
                    "create",
                    "user",
                    admin.id,
                    NONE,
                    Some(&crate::routes::users::User::from(admin)),
                )?;
                let v = dto.version;
                Ok((dto, v))
            })
        })
        .await?;
    Ok(created.into_response())
}

/// Departments as versioned records (see [`crate::record`]).
pub struct Departments;

impl Record for Departments {
    type Table = q::Departments;
    type View = Department;
    const RESOURCE: Resource = Resource::Department;
    const ENTITY: &'static str = "department";

    /// A department is its own tenant.
    fn target(row: &DepartmentRow) -> Target {
        Target {
            department_id: row.id,
            village_id: None,
        }
    }
    fn active(row: &DepartmentRow) -> bool {
        row.deactivated_at.is_none()
    }
}

/// One department (only your own exists for you).
#[utoipa::path(tag = "departments", operation_id = "get_department", params(("id" = i64, Path, description = "Department id")),
    responses((status = 200, description = "The department", body = Department)), security(("bearer" = [])))]
#[get("/departments/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Departments>(&state, bearer, id.into_inner()).await
}

/// Change your department's name or settings (admin).
#[utoipa::path(tag = "departments", operation_id = "update_department",
    params(("id" = i64, Path, description = "Department id"), IfMatch),
    request_body = DepartmentPatch, responses((status = 200, description = "The changed department", body = Department)), security(("bearer" = [])))]
#[patch("/departments/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<DepartmentPatch>,
) -> Result<HttpResponse, ApiError> {
    let p = body.into_inner();
    record::update::<Departments, _>(&state, bearer, if_match, id.into_inner(), move |_, row| {
        if p.active == Some(false) {
            return Err(crate::error::coded(
                "active",
                "own_department",
                "you cannot deactivate your own department",
            ));
        }
        let current = settings_of(row);
        let settings = p.settings.map_or(current, |s| s.over(current));
        Ok(Planned {
            values: values(
                p.name.as_deref().unwrap_or(&row.name),
                patch(&p.short_name, &row.short_name).as_deref(),
                settings,
                deactivation(p.active, row.deactivated_at),
            )?,
            village_id: None,
        })
    })
    .await
}
