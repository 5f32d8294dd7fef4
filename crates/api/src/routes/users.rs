//! User accounts (admin): roles, links to office, village and cadre, disabling, password resets.

use crate::audit::{self, NONE};
use crate::auth::Bearer;
use crate::dto::{patch, some, utc};
use crate::error::ApiError;
use crate::http::{create_once, Idempotency, IfMatch};
use crate::paging::ListRequest;
use crate::record::{self, own_opt, Linkable, Planned, Record};
use crate::routes::{cadres::Cadres, offices::Offices, villages::Villages};
use crate::state::AppState;
use actix_web::{get, patch, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::{auth as rules, list_scope, text, Action, Invalid, Resource, Role, Target};
use zhucun_persistence::users::{self as q, UserFilter, UserRow, UserSort, UserValues};
use zhucun_persistence::{sessions, DbConnection};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list)
        .service(create)
        .service(read)
        .service(update)
        .service(reset_password);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    #[schema(example = 5)]
    pub id: i64,
    #[schema(example = "team_magada")]
    pub username: String,
    #[schema(example = "次仁")]
    pub display_name: String,
    #[schema(example = "team")]
    #[schema(value_type = crate::dto::RoleName)]
    pub role: String,
    pub office_id: Option<i64>,
    pub village_id: Option<i64>,
    pub cadre_id: Option<i64>,
    /// Disabled users cannot log in; their logins ended when they were disabled.
    pub disabled: bool,
    #[schema(example = 1)]
    pub version: i32,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub created_at: DateTime<Utc>,
    #[serde(serialize_with = "crate::dto::rfc3339")]
    pub updated_at: DateTime<Utc>,
}

impl From<UserRow> for User {
    fn from(r: UserRow) -> Self {
        Self {
            id: r.id,
            username: r.username,
            display_name: r.display_name,
            role: r.role,
            office_id: r.office_id,
            village_id: r.village_id,
            cadre_id: r.cadre_id,
            disabled: r.disabled_at.is_some(),
            version: r.version,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

crate::list_type!(UserList, User);

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserCreate {
    #[schema(example = "team_qiongguo2")]
    pub username: String,
    #[schema(example = "格桑")]
    pub display_name: String,
    /// `admin`, `department`, `team`, `village_committee` or `regional`.
    #[schema(example = "team")]
    #[schema(value_type = crate::dto::RoleName)]
    pub role: String,
    /// At least 10 characters. Only its argon2id hash is kept.
    #[schema(write_only, example = "a long password")]
    pub password: String,
    pub office_id: Option<i64>,
    /// Required for `village_committee`.
    pub village_id: Option<i64>,
    /// Required for `team`: the cadre whose memberships decide the user's villages.
    pub cadre_id: Option<i64>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPatch {
    pub display_name: Option<String>,
    #[schema(value_type = Option<crate::dto::RoleName>)]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub office_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub village_id: Option<Option<i64>>,
    #[serde(default, deserialize_with = "some")]
    #[schema(value_type = Option<i64>, nullable)]
    pub cadre_id: Option<Option<i64>>,
    /// `true` disables the account and ends all its logins.
    pub disabled: Option<bool>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordReset {
    pub new_password: String,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserQuery {
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    pub cursor: Option<String>,
    /// `username` or `-username`.
    pub sort: Option<String>,
    /// Text in the username or display name.
    pub q: Option<String>,
    #[param(value_type = Option<crate::dto::RoleName>)]
    pub role: Option<String>,
    pub office_id: Option<i64>,
    pub village_id: Option<i64>,
    pub disabled: Option<bool>,
}

fn role(raw: &str) -> Result<Role, Invalid> {
    Role::parse(raw.trim()).ok_or_else(|| Invalid {
        errors: vec![zhucun_domain::validation::one_of(
            "role",
            &[
                "admin",
                "department",
                "team",
                "village_committee",
                "regional",
            ],
        )],
    })
}

#[allow(clippy::too_many_arguments)]
/// Validates and builds the stored values (API writes and demo data alike).
pub fn values(
    username: &str,
    display_name: &str,
    role_raw: &str,
    office_id: Option<i64>,
    village_id: Option<i64>,
    cadre_id: Option<i64>,
    disabled_at: Option<chrono::NaiveDateTime>,
) -> Result<(Role, UserValues), Invalid> {
    let mut inv = Invalid::new();
    let display_name = inv.check(text::name("display_name", display_name, 50));
    let role = match role(role_raw) {
        Ok(r) => {
            inv.errors
                .extend(rules::role_links(r, village_id, cadre_id));
            Some(r)
        }
        Err(e) => {
            inv.errors.extend(e.errors);
            None
        }
    };
    let (Some(display_name), Some(role)) = (display_name, role) else {
        return Err(inv);
    };
    inv.into_result()?;
    Ok((
        role,
        UserValues {
            search_text: text::search_key([Some(username), Some(display_name.as_str())]),
            display_name,
            role: role.as_str().to_owned(),
            office_id,
            village_id,
            cadre_id,
            disabled_at,
        },
    ))
}

/// Users as versioned records (see [`crate::record`]).
pub struct Users;

impl Record for Users {
    type Table = q::Users;
    type View = User;
    const RESOURCE: Resource = Resource::User;
    const ENTITY: &'static str = "user";

    fn target(row: &UserRow) -> Target {
        Target {
            department_id: row.department_id,
            village_id: None,
        }
    }
    fn active(row: &UserRow) -> bool {
        row.disabled_at.is_none()
    }
}

fn check_links(
    conn: &mut DbConnection,
    department_id: i64,
    v: &UserValues,
) -> Result<(), ApiError> {
    let active = Linkable::ActiveOnly;
    own_opt::<Offices>(conn, department_id, v.office_id, "office_id", active)?;
    own_opt::<Villages>(conn, department_id, v.village_id, "village_id", active)?;
    own_opt::<Cadres>(conn, department_id, v.cadre_id, "cadre_id", active)?;
    Ok(())
}

/// List the department's users (admin).
#[utoipa::path(tag = "users", operation_id = "list_users", params(UserQuery),
    responses((status = 200, description = "One page of users", body = UserList)), security(("bearer" = [])))]
#[get("/users")]
pub async fn list(
    state: web::Data<AppState>,
    bearer: Bearer,
    query: web::Query<UserQuery>,
) -> Result<web::Json<UserList>, ApiError> {
    let query = query.into_inner();
    let req = ListRequest::<UserSort>::parse(
        query.limit,
        query.sort.as_deref(),
        query.cursor.as_deref(),
    )?;
    if let Some(r) = query.role.as_deref().filter(|s| !s.is_empty()) {
        role(r)?;
    }
    let search = query
        .q
        .as_deref()
        .and_then(text::search_query)
        .map(|s| text::like_contains(&s));
    let page = req.page.clone();
    let rows = state
        .read_as(bearer, move |conn, auth| {
            let scope = list_scope(&auth.actor, Resource::User).map_err(ApiError::from)?;
            let filter = UserFilter {
                department_id: scope.department_id,
                role: query.role.filter(|s| !s.is_empty()),
                office_id: query.office_id,
                village_id: query.village_id,
                disabled: query.disabled,
                search,
            };
            Ok(q::list(conn, &filter, &page)?)
        })
        .await?;
    let (items, next_cursor, total) = req.finish(rows);
    Ok(web::Json(UserList {
        items,
        next_cursor,
        total,
    }))
}

/// Create a user (admin).
#[utoipa::path(tag = "users", operation_id = "create_user", request_body = UserCreate,
    params(Idempotency),
    responses((status = 201, description = "Created", body = User)), security(("bearer" = [])))]
#[post("/users")]
pub async fn create(
    state: web::Data<AppState>,
    bearer: Bearer,
    idem: Idempotency,
    body: web::Json<UserCreate>,
) -> Result<HttpResponse, ApiError> {
    // Refused before any password is hashed; checked again in the write.
    let check = bearer.clone();
    state
        .read_as(check, |_, auth| {
            auth.require_own(Action::Create, Resource::User, None)
        })
        .await?;
    let b = body.into_inner();
    let mut inv = Invalid::new();
    let username = inv.check(rules::username(&b.username));
    inv.check(rules::new_password("password", &b.password, &b.username));
    let vals = match values(
        b.username.trim(),
        &b.display_name,
        &b.role,
        b.office_id,
        b.village_id,
        b.cadre_id,
        None,
    ) {
        Ok((_, v)) => Some(v),
        Err(e) => {
            inv.errors.extend(e.errors);
            None
        }
    };
    inv.clone().into_result()?;
    let (Some(username), Some(vals)) = (username, vals) else {
        return Err(inv.into());
    };
    let hash = state.passwords.hash(b.password.clone()).await?;
    let created = state
        .write_as(bearer, move |conn, auth| {
            auth.require_own(Action::Create, Resource::User, None)?;
            check_links(conn, auth.department_id(), &vals)?;
            // The password takes no part in the stored request fingerprint.
            let mut fingerprint = serde_json::to_value(&b).map_err(ApiError::internal)?;
            if let Some(o) = fingerprint.as_object_mut() {
                o.remove("password");
            }
            create_once(conn, auth.user.id, &idem, &fingerprint, |conn| {
                let row = q::insert(
                    conn,
                    auth.department_id(),
                    &username,
                    &hash,
                    &vals,
                    zhucun_persistence::now(),
                )?;
                record::created::<Users>(conn, auth, row)
            })
        })
        .await?;
    Ok(created.into_response())
}

/// One user (admin).
#[utoipa::path(tag = "users", operation_id = "get_user", params(("id" = i64, Path, description = "User id")),
    responses((status = 200, description = "The user", body = User)), security(("bearer" = [])))]
#[get("/users/{id}")]
pub async fn read(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
) -> Result<HttpResponse, ApiError> {
    record::read::<Users>(&state, bearer, id.into_inner()).await
}

/// Change a user's name, role, links, or disable them (admin). Disabling ends their logins.
#[utoipa::path(tag = "users", operation_id = "update_user",
    params(("id" = i64, Path, description = "User id"), IfMatch),
    request_body = UserPatch, responses((status = 200, description = "The changed user", body = User)), security(("bearer" = [])))]
#[patch("/users/{id}")]
pub async fn update(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    if_match: IfMatch,
    body: web::Json<UserPatch>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let p = body.into_inner();
    let updated = state
        .write_as(bearer, move |conn, auth| {
            let caller = auth.user.id;
            let updated = record::update_in::<Users, _>(conn, auth, &if_match, id, |conn, row| {
                let disabled_at = match (p.disabled, row.disabled_at) {
                    (Some(true), None) => Some(zhucun_persistence::now()),
                    (Some(false), _) => None,
                    (_, current) => current,
                };
                let (new_role, values) = values(
                    &row.username,
                    p.display_name.as_deref().unwrap_or(&row.display_name),
                    p.role.as_deref().unwrap_or(&row.role),
                    patch(&p.office_id, &row.office_id),
                    patch(&p.village_id, &row.village_id),
                    patch(&p.cadre_id, &row.cadre_id),
                    disabled_at,
                )?;
                let was_active_admin =
                    row.role == Role::Admin.as_str() && row.disabled_at.is_none();
                let stays_active_admin = new_role == Role::Admin && disabled_at.is_none();
                if id == caller && !stays_active_admin {
                    return Err(ApiError::Refused {
                        code: "self_demotion",
                        message: "you cannot disable or demote yourself; ask another admin"
                            .to_owned(),
                    });
                }
                if was_active_admin
                    && !stays_active_admin
                    && q::active_admins(conn, row.department_id)? <= 1
                {
                    return Err(ApiError::Refused {
                        code: "last_admin",
                        message: "this is the department's last active admin".to_owned(),
                    });
                }
                // Links kept as they were stay valid even if their target was closed since.
                if (values.office_id, values.village_id, values.cadre_id)
                    != (row.office_id, row.village_id, row.cadre_id)
                {
                    check_links(conn, row.department_id, &values)?;
                }
                Ok(Planned {
                    values,
                    village_id: None,
                })
            })?;
            if updated.changed
                && updated.before.disabled_at.is_none()
                && updated.after.disabled_at.is_some()
            {
                let now = zhucun_persistence::now();
                sessions::revoke_all_of_user(conn, id, "user disabled", now)?;
            }
            Ok(updated)
        })
        .await?;
    record::respond::<Users>(actix_web::http::StatusCode::OK, updated.after)
}

/// Set a new password for a user (admin). All their logins end.
#[utoipa::path(tag = "users", operation_id = "reset_user_password", params(("id" = i64, Path, description = "User id")),
    request_body = PasswordReset, responses((status = 204, description = "Password set; the user's logins have ended")), security(("bearer" = [])))]
#[post("/users/{id}/password")]
pub async fn reset_password(
    state: web::Data<AppState>,
    bearer: Bearer,
    id: web::Path<i64>,
    body: web::Json<PasswordReset>,
) -> Result<HttpResponse, ApiError> {
    let id = id.into_inner();
    let password = body.into_inner().new_password;
    let check = bearer.clone();
    let row = state
        .read_as(check, move |conn, auth| {
            record::load::<Users>(conn, auth, Action::Update, id)
        })
        .await?;
    rules::new_password("new_password", &password, &row.username)?;
    let hash = state.passwords.hash(password).await?;
    state
        .write_as(bearer, move |conn, auth| {
            // Checked again in the write: the admin's rights could have ended meanwhile.
            record::load::<Users>(conn, auth, Action::Update, id)?;
            let now = zhucun_persistence::now();
            q::set_password(conn, id, &hash, now)?;
            sessions::revoke_all_of_user(conn, id, "password reset by admin", now)?;
            audit::record(
                conn,
                &auth.audit(),
                "reset_password",
                "user",
                id,
                NONE,
                NONE,
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
