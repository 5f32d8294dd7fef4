//! Logging in and staying logged in: short access JWTs, rotating refresh tokens.

use crate::audit::{self, AuditCtx, NONE};
use crate::auth::password::random_bytes;
use crate::auth::stored_role;
use crate::error::ApiError;
use crate::http::request_id;
use crate::state::AppState;
use actix_web::{post, web, HttpRequest, HttpResponse};
use base64::Engine;
use chrono::Duration;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use zhucun_domain::auth as rules;
use zhucun_domain::Role;
use zhucun_persistence::throttle::{self, Attempt};
use zhucun_persistence::users::UserRow;
use zhucun_persistence::{sessions, users};

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(login).service(refresh).service(logout);
}

/// A refresh token keeps a login alive this long without use (each use starts it anew).
pub const REFRESH_TTL_DAYS: i64 = 14;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "admin")]
    pub username: String,
    #[schema(example = "your password")]
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer …`.
    #[schema(example = "eyJhbGciOiJIUzI1NiJ9…")]
    pub access_token: String,
    /// Exchange at `/auth/refresh` before the access token expires; single use.
    #[schema(example = "q3v…")]
    pub refresh_token: String,
    #[schema(example = "Bearer")]
    pub token_type: &'static str,
    /// Seconds the access token lives.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// The role of the user the tokens are for, so a client can choose its first screen while
    /// it asks `/me` for the rest, instead of after.
    #[schema(value_type = crate::dto::RoleName, example = "admin")]
    pub role: Role,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

fn hash_token(token: &str) -> String {
    format!("{:x}", Sha256::digest(token.as_bytes()))
}

fn new_refresh_token() -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(random_bytes::<32>())
}

fn invalid_login() -> ApiError {
    ApiError::Unauthorized("wrong username or password".to_owned())
}

/// Starts a login for `user` inside a write transaction; returns the tokens.
pub fn start_session(
    conn: &mut zhucun_persistence::DbConnection,
    state: &AppState,
    user: &UserRow,
) -> Result<TokenResponse, ApiError> {
    let now = zhucun_persistence::now();
    let session_id = uuid::Uuid::new_v4().to_string();
    let refresh_token = new_refresh_token();
    sessions::create(
        conn,
        &session_id,
        user.id,
        &hash_token(&refresh_token),
        now + Duration::days(REFRESH_TTL_DAYS),
        now,
    )?;
    tokens(state, user, &session_id, refresh_token)
}

fn tokens(
    state: &AppState,
    user: &UserRow,
    session_id: &str,
    refresh_token: String,
) -> Result<TokenResponse, ApiError> {
    Ok(TokenResponse {
        access_token: state
            .jwt
            .issue(user.id, session_id, chrono::Utc::now().timestamp())?,
        refresh_token,
        token_type: "Bearer",
        expires_in: crate::auth::jwt::ACCESS_TTL_SECS,
        role: stored_role(user)?,
    })
}

/// Log in. Wrong username and wrong password get the same answer in the same time; repeated
/// failures for one username are answered 429 with `Retry-After` (counted before the password is
/// checked, so parallel guesses are bounded too), and so is a client address sending more than
/// its rate to the endpoints open without a login.
#[utoipa::path(
    tag = "auth",
    operation_id = "login",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Logged in", body = TokenResponse),
        (status = 401, description = "Wrong username or password", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this username, or too many requests from this client", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/login")]
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<LoginRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let body = body.into_inner();
    if body.password.chars().count() > rules::PASSWORD_MAX || body.username.len() > 64 {
        crate::metrics::with(&state, |m| m.login_failed());
        return Err(invalid_login());
    }
    let key = body.username.trim().to_ascii_lowercase();
    let k = key.clone();
    // The attempt is counted before the password is checked (see `throttle::claim`).
    let (attempt, creds) = state
        .write(move |conn| {
            let attempt = throttle::claim(conn, &k, zhucun_persistence::now())?;
            let creds = match attempt {
                Attempt::Counted => users::credentials(conn, &k)?,
                Attempt::Locked(_) => None,
            };
            Ok((attempt, creds))
        })
        .await?;
    if let Attempt::Locked(secs) = attempt {
        crate::metrics::with(&state, |m| m.throttled(crate::metrics::Throttle::Username));
        return Err(ApiError::TooManyRequests(secs));
    }
    let usable = creds.filter(|(user, _)| user.disabled_at.is_none());
    let hash = usable.as_ref().map(|(_, h)| h.clone());
    let ok = state.passwords.verify(body.password, hash).await?;
    let rid = request_id(&req);
    let st = state.clone();
    match (ok, usable) {
        (true, Some((user, _))) => {
            let t = state
                .write(move |conn| {
                    sessions::clear_throttle(conn, &key)?;
                    let tokens = start_session(conn, &st, &user)?;
                    let ctx = AuditCtx {
                        department_id: user.department_id,
                        actor_id: Some(user.id),
                        actor_username: user.username.clone(),
                        request_id: rid,
                    };
                    audit::record(conn, &ctx, "login", "user", user.id, NONE, NONE)?;
                    Ok(tokens)
                })
                .await?;
            Ok(web::Json(t))
        }
        // Already counted as a failure.
        _ => {
            crate::metrics::with(&state, |m| m.login_failed());
            Err(invalid_login())
        }
    }
}

enum Rotation {
    Rotated(TokenResponse),
    Refused(&'static str),
}

/// Exchange a refresh token for new tokens. Each refresh token works once: presenting a used one
/// again (a sign it was stolen) ends the whole login.
#[utoipa::path(
    tag = "auth",
    operation_id = "refresh",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New tokens; the old refresh token is spent", body = TokenResponse),
        (status = 401, description = "Unknown, expired, reused or revoked refresh token", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this client", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/refresh")]
pub async fn refresh(
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<web::Json<TokenResponse>, ApiError> {
    let hash = hash_token(body.refresh_token.trim());
    let st = state.clone();
    // A refusal that revokes must still commit, so refusals are values, not errors, here.
    let outcome = state
        .write(move |conn| {
            let now = zhucun_persistence::now();
            let Some((token, session, user)) = sessions::find_refresh(conn, &hash)? else {
                return Ok(Rotation::Refused("unknown refresh token"));
            };
            if session.revoked_at.is_some() || user.disabled_at.is_some() {
                return Ok(Rotation::Refused("this login has ended; log in again"));
            }
            if token.used_at.is_some() || !sessions::mark_used(conn, &hash, now)? {
                sessions::revoke(conn, &session.id, "refresh token reused", now)?;
                return Ok(Rotation::Refused(
                    "this refresh token was already used; the login has been ended",
                ));
            }
            if token.expires_at <= now {
                return Ok(Rotation::Refused(
                    "the refresh token has expired; log in again",
                ));
            }
            let next = new_refresh_token();
            sessions::add_refresh_token(
                conn,
                &session.id,
                &hash_token(&next),
                now + Duration::days(REFRESH_TTL_DAYS),
                now,
            )?;
            Ok(Rotation::Rotated(tokens(&st, &user, &session.id, next)?))
        })
        .await?;
    match outcome {
        Rotation::Rotated(t) => Ok(web::Json(t)),
        Rotation::Refused(why) => Err(ApiError::Unauthorized(why.to_owned())),
    }
}

/// End the login the refresh token belongs to; its access tokens stop working at once.
#[utoipa::path(
    tag = "auth",
    operation_id = "logout",
    request_body = RefreshRequest,
    responses(
        (status = 204, description = "Logged out (also when the token was already spent or unknown)"),
        (status = 429, description = "Too many requests from this client", body = crate::error::Problem, content_type = "application/problem+json")
    )
)]
#[post("/auth/logout")]
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let hash = hash_token(body.refresh_token.trim());
    let rid = request_id(&req);
    state
        .write(move |conn| {
            if let Some((_, session, user)) = sessions::find_refresh(conn, &hash)? {
                if sessions::revoke(conn, &session.id, "logout", zhucun_persistence::now())? > 0 {
                    let ctx = AuditCtx {
                        department_id: user.department_id,
                        actor_id: Some(user.id),
                        actor_username: user.username.clone(),
                        request_id: rid,
                    };
                    audit::record(conn, &ctx, "logout", "user", user.id, NONE, NONE)?;
                }
            }
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
