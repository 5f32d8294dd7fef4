use crate::auth::scopes::{self, Scope};
use crate::error::ApiError;
use crate::http::RequestId;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::{ready, LocalBoxFuture, Ready};
use zhucun_domain::access::scope_for;
use zhucun_domain::{decide, Action, Actor, Resource, Role, Target};
use zhucun_persistence::login_cache::LoginCache;
use zhucun_persistence::sessions::SessionUser;
use zhucun_persistence::users::UserRow;
use zhucun_persistence::{api_clients, sessions, teams};

/// The authenticated user of a request. Every request re-checks that the login (session) is live
/// and the user enabled, so logout, a password change and disabling take effect at once.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: UserRow,
    pub role: Role,
    pub actor: Actor,
    pub session_id: String,
    pub request_id: String,
    /// The API client (its row id) when the caller is a program with a client token: then
    /// `user` is a stand-in (id 0, the client's name) and only GETs of the scope table get here.
    pub client: Option<i64>,
}

impl Auth {
    pub fn department_id(&self) -> i64 {
        self.actor.department_id
    }

    /// Fails unless the policy allows `action` on a row of `resource` at `target`.
    pub fn require(
        &self,
        action: Action,
        resource: Resource,
        target: Target,
    ) -> Result<(), ApiError> {
        match decide(&self.actor, action, resource, &target) {
            zhucun_domain::Decision::Allow => Ok(()),
            other => Err(other.into()),
        }
    }

    /// The same, for a row of the actor's own department (creates).
    pub fn require_own(
        &self,
        action: Action,
        resource: Resource,
        village_id: Option<i64>,
    ) -> Result<(), ApiError> {
        self.require(
            action,
            resource,
            Target {
                department_id: self.department_id(),
                village_id,
            },
        )
    }

    pub fn audit(&self) -> crate::audit::AuditCtx {
        crate::audit::AuditCtx {
            department_id: self.department_id(),
            actor_id: Some(self.user.id),
            actor_username: self.user.username.clone(),
            request_id: self.request_id.clone(),
        }
    }
}

/// Loads the villages a user may see today.
pub fn linked_villages(
    conn: &mut zhucun_persistence::DbConnection,
    user: &UserRow,
    role: Role,
) -> Result<Vec<i64>, ApiError> {
    Ok(match role {
        Role::Team => match user.cadre_id {
            Some(cadre) => {
                teams::villages_of_cadre_on(conn, cadre, zhucun_domain::calendar::today_local())?
            }
            None => Vec::new(),
        },
        Role::VillageCommittee => user.village_id.into_iter().collect(),
        _ => Vec::new(),
    })
}

fn bearer(req: &HttpRequest) -> Result<String, ApiError> {
    let value = req.headers().get(header::AUTHORIZATION).ok_or_else(|| {
        ApiError::Unauthorized("send Authorization: Bearer <access token>".to_owned())
    })?;
    // One UTF-8 check (word-at-a-time over ASCII) instead of `to_str`'s byte-by-byte visible-ASCII
    // test: a token is base64url, so anything else in it fails verification anyway.
    let value = std::str::from_utf8(value.as_bytes())
        .map_err(|_| ApiError::Unauthorized("the Authorization header is not valid".to_owned()))?;
    let mut parts = value.splitn(2, ' ');
    match (parts.next(), parts.next()) {
        (Some(scheme), Some(token))
            if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() =>
        {
            Ok(token.trim().to_owned())
        }
        _ => Err(ApiError::Unauthorized(
            "send Authorization: Bearer <access token>".to_owned(),
        )),
    }
}

/// A verified access token: who claims to call, not yet checked against the database. Handlers
/// take a `Bearer` and pass it to [`AppState::read_as`] / [`AppState::write_as`], which check the
/// login and load the [`Auth`] on the same connection as the handler's own queries: one trip to
/// the blocking pool and one connection checkout per request.
#[derive(Debug, Clone)]
pub struct Bearer {
    who: Who,
    request_id: String,
}

#[derive(Debug, Clone)]
enum Who {
    User {
        user_id: i64,
        session_id: String,
    },
    /// An API client's token, already checked against the scope table for this route.
    Client {
        id: i64,
        rot: i64,
        scope: Scope,
    },
}

/// The rotation stamp a client's tokens carry: a rotation invalidates the tokens issued before.
pub fn rotation_stamp(rotated_at: Option<chrono::NaiveDateTime>) -> i64 {
    rotated_at.map_or(0, |t| t.and_utc().timestamp_micros())
}

fn insufficient_scope(message: &str) -> ApiError {
    ApiError::ForbiddenBecause {
        code: "insufficient_scope",
        message: message.to_owned(),
    }
}

impl Bearer {
    /// Checks that the login is live and the user enabled, from the tables, and loads what the
    /// policy needs.
    pub fn load(&self, conn: &mut zhucun_persistence::DbConnection) -> Result<Auth, ApiError> {
        match &self.who {
            Who::User { session_id, .. } => {
                let check = sessions::session_user(conn, session_id)?;
                self.admit(conn, check.as_ref())
            }
            Who::Client { id, rot, scope } => {
                load_client(conn, *id, *rot, *scope, self.request_id.clone())
            }
        }
    }

    /// The same through the process's cache of login checks: also answers the generation of the
    /// cached check it used (`None` when it read the tables), which the caller must find still
    /// current after its own queries ([`LoginCache`](zhucun_persistence::login_cache::LoginCache)).
    pub fn check(
        &self,
        conn: &mut zhucun_persistence::DbConnection,
        logins: &LoginCache,
    ) -> Result<(Auth, Option<u64>), ApiError> {
        let Who::User { session_id, .. } = &self.who else {
            return Ok((self.load(conn)?, None));
        };
        if let Some(hit) = logins.get(session_id) {
            return Ok((self.admit(conn, Some(&hit.check))?, Some(hit.generation)));
        }
        let generation = logins.generation();
        let check = sessions::session_user(conn, session_id)?;
        if let Some(check) = &check {
            logins.put(session_id, generation, check.clone());
        }
        Ok((self.admit(conn, check.as_ref())?, None))
    }

    /// The login as checked: refused when it ended, the user was disabled or is someone else now.
    fn admit(
        &self,
        conn: &mut zhucun_persistence::DbConnection,
        check: Option<&SessionUser>,
    ) -> Result<Auth, ApiError> {
        let revoked = || ApiError::Unauthorized("this login has ended; log in again".to_owned());
        let (
            Who::User {
                user_id,
                session_id,
            },
            Some(check),
        ) = (&self.who, check)
        else {
            return Err(revoked());
        };
        let user = &check.user;
        if check.revoked || user.disabled_at.is_some() || user.id != *user_id {
            return Err(revoked());
        }
        let role = super::stored_role(user)?;
        let villages = linked_villages(conn, user, role)?;
        let actor = Actor {
            user_id: user.id,
            role,
            department_id: user.department_id,
            operator: check.operator,
            villages: scope_for(role, villages),
        };
        Ok(Auth {
            user: user.clone(),
            role,
            actor,
            session_id: session_id.clone(),
            request_id: self.request_id.clone(),
            client: None,
        })
    }
}

/// An API client's request: the client must exist, not be revoked, not be rotated since the
/// token was issued, and still hold the route's scope. A department client reads as the
/// department role (all villages, never writes); a regional client as the regional role.
fn load_client(
    conn: &mut zhucun_persistence::DbConnection,
    id: i64,
    rot: i64,
    scope: Scope,
    request_id: String,
) -> Result<Auth, ApiError> {
    let ended = |why: &str| ApiError::Unauthorized(why.to_owned());
    let (client, operator) = api_clients::with_operator(conn, id)?
        .ok_or_else(|| ended("the access token is not valid"))?;
    if client.revoked_at.is_some() {
        return Err(ended("this API client has been revoked"));
    }
    if rotation_stamp(client.rotated_at) != rot {
        return Err(ended(
            "the API client's secret was rotated; request a new token",
        ));
    }
    if !client.scopes.split(' ').any(|s| s == scope.code()) {
        return Err(insufficient_scope(
            "the API client no longer has this scope",
        ));
    }
    let role = if client.regional == 1 {
        Role::Regional
    } else {
        Role::Department
    };
    let actor = Actor {
        user_id: 0,
        role,
        department_id: client.department_id,
        operator: operator == 1,
        villages: scope_for(role, Vec::new()),
    };
    let user = UserRow {
        id: 0,
        department_id: client.department_id,
        username: format!("client:{}", client.client_id),
        display_name: client.name.clone(),
        role: role.as_str().to_owned(),
        office_id: None,
        village_id: None,
        cadre_id: None,
        disabled_at: None,
        version: client.version,
        created_at: client.created_at,
        updated_at: client.updated_at,
    };
    Ok(Auth {
        user,
        role,
        actor,
        session_id: String::new(),
        request_id,
        client: Some(client.id),
    })
}

impl FromRequest for Bearer {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(bearer_of(req))
    }
}

fn bearer_of(req: &HttpRequest) -> Result<Bearer, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("app state missing"))?;
    let token = bearer(req)?;
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    let claims = match state.jwt.verify(&token) {
        Ok(claims) => claims,
        Err(user_error) => {
            let Ok(client) = state.jwt.verify_client(&token) else {
                return Err(user_error);
            };
            // Default deny: only the routes of the scope table take a client token.
            let scope = req
                .match_pattern()
                .and_then(|p| scopes::required(req.method().as_str(), &p))
                .ok_or_else(|| {
                    insufficient_scope("this endpoint does not accept API client tokens")
                })?;
            if !client.scope.split(' ').any(|s| s == scope.code()) {
                return Err(insufficient_scope(&format!(
                    "this endpoint needs the scope {}",
                    scope.code()
                )));
            }
            return Ok(Bearer {
                who: Who::Client {
                    id: client.cid,
                    rot: client.rot,
                    scope,
                },
                request_id,
            });
        }
    };
    let user_id: i64 = claims
        .sub
        .parse()
        .map_err(|_| ApiError::Unauthorized("the access token is not valid".to_owned()))?;
    Ok(Bearer {
        who: Who::User {
            user_id,
            session_id: claims.sid,
        },
        request_id,
    })
}

/// The loaded `Auth` as an extractor, for handlers that do their own trips (login flows, `/me`).
impl FromRequest for Auth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let bearer = bearer_of(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("app state missing"))?;
            let bearer = bearer?;
            state.read(move |conn| bearer.load(conn)).await
        })
    }
}
