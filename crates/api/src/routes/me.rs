//! The logged-in user: who they are, what they see, and changing their own password.

use crate::audit::{self, NONE};
use crate::auth::Auth;
use crate::error::ApiError;
use crate::state::AppState;
use actix_web::{get, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::auth as rules;
use zhucun_domain::{Role, VillageScope};
use zhucun_persistence::throttle::{self, Attempt};
use zhucun_persistence::{departments, offices, sessions, users, villages};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(me).service(change_password);
}

#[derive(Debug, Serialize, ToSchema)]
pub struct NamedRef {
    #[schema(example = 1)]
    pub id: i64,
    #[schema(example = "西藏自治区财政厅")]
    pub name: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct VillageRef {
    #[schema(example = 1)]
    pub id: i64,
    #[schema(example = "马格达村")]
    pub name: String,
    #[schema(example = "མ་སྒལ་མདའ")]
    pub name_bo: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    #[schema(example = 3)]
    pub id: i64,
    #[schema(example = "team_magada")]
    pub username: String,
    #[schema(example = "次仁")]
    pub display_name: String,
    #[schema(value_type = crate::dto::RoleName, example = "team")]
    pub role: Role,
    pub department: NamedRef,
    pub office: Option<NamedRef>,
    pub cadre_id: Option<i64>,
    /// The villages a team or committee user sees today; empty for roles that see the whole
    /// department (see `sees_all_villages`).
    pub villages: Vec<VillageRef>,
    pub sees_all_villages: bool,
    /// Whether the user's department is the installation's operator (its admins create
    /// departments and regional API clients).
    pub operator: bool,
}

/// Who is logged in.
#[utoipa::path(
    tag = "me",
    operation_id = "get_me",
    responses((status = 200, description = "The logged-in user", body = Me)),
    security(("bearer" = []))
)]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, auth: Auth) -> Result<web::Json<Me>, ApiError> {
    let user = auth.user.clone();
    let scope = auth.actor.villages.clone();
    let (department, office, village_rows) = state
        .read(move |conn| {
            let d = departments::get(conn, user.department_id)?;
            let o = match user.office_id {
                Some(id) => offices::names(conn, &[id])?.into_iter().next(),
                None => None,
            };
            let v = match &scope {
                VillageScope::Only(ids) => villages::names(conn, ids)?,
                VillageScope::All => Vec::new(),
            };
            Ok((d, o, v))
        })
        .await?;
    Ok(web::Json(Me {
        id: auth.user.id,
        username: auth.user.username.clone(),
        display_name: auth.user.display_name.clone(),
        role: auth.role,
        department: NamedRef {
            id: department.id,
            name: department.name,
        },
        office: office.map(|(id, name)| NamedRef { id, name }),
        cadre_id: auth.user.cadre_id,
        villages: village_rows
            .into_iter()
            .map(|(id, name, name_bo)| VillageRef { id, name, name_bo })
            .collect(),
        sees_all_villages: matches!(auth.actor.villages, VillageScope::All),
        operator: auth.actor.operator,
    }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    #[schema(example = "a new long passphrase")]
    pub new_password: String,
}

/// Change your password. Every login of yours ends, this one included: log in again.
#[utoipa::path(
    tag = "me",
    operation_id = "change_my_password",
    request_body = PasswordChange,
    responses(
        (status = 204, description = "Changed; all your logins have ended"),
        (status = 429, description = "Too many wrong current passwords for this username", body = crate::error::Problem, content_type = "application/problem+json")
    ),
    security(("bearer" = []))
)]
#[post("/me/password")]
pub async fn change_password(
    state: web::Data<AppState>,
    auth: Auth,
    body: web::Json<PasswordChange>,
) -> Result<HttpResponse, ApiError> {
    let body = body.into_inner();
    rules::new_password("new_password", &body.new_password, &auth.user.username)?;
    if body.current_password.chars().count() > rules::PASSWORD_MAX {
        return Err(crate::error::coded(
            "current_password",
            "wrong_password",
            "is not your current password",
        ));
    }
    let uid = auth.user.id;
    // Guesses of the current password count against the login throttle of this username.
    let username = auth.user.username.to_ascii_lowercase();
    let name = username.clone();
    let (attempt, hash) = state
        .write(move |conn| {
            let attempt = throttle::claim(conn, &name, zhucun_persistence::now())?;
            Ok((attempt, users::password_hash(conn, uid)?))
        })
        .await?;
    if let Attempt::Locked(secs) = attempt {
        return Err(ApiError::TooManyRequests(secs));
    }
    if !state
        .passwords
        .verify(body.current_password, Some(hash))
        .await?
    {
        return Err(crate::error::coded(
            "current_password",
            "wrong_password",
            "is not your current password",
        ));
    }
    let new_hash = state.passwords.hash(body.new_password).await?;
    state
        .write(move |conn| {
            let now = zhucun_persistence::now();
            users::set_password(conn, uid, &new_hash, now)?;
            sessions::clear_throttle(conn, &username)?;
            sessions::revoke_all_of_user(conn, uid, "password changed", now)?;
            audit::record(
                conn,
                &auth.audit(),
                "change_password",
                "user",
                uid,
                NONE,
                NONE,
            )?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
