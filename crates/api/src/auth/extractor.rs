use crate::error::ApiError;
use crate::http::RequestId;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::{ready, LocalBoxFuture, Ready};
use zhucun_domain::access::scope_for;
use zhucun_domain::{decide, Action, Actor, Resource, Role, Target};
use zhucun_persistence::users::UserRow;
use zhucun_persistence::{sessions, teams};

/// The authenticated user of a request. Every request re-checks that the login (session) is live
/// and the user enabled, so logout, a password change and disabling take effect at once.
#[derive(Debug, Clone)]
pub struct Auth {
    pub user: UserRow,
    pub role: Role,
    pub actor: Actor,
    pub session_id: String,
    pub request_id: String,
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
    let value = value
        .to_str()
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
    user_id: i64,
    session_id: String,
    request_id: String,
}

impl Bearer {
    /// Checks that the login is live and the user enabled, and loads what the policy needs.
    pub fn load(self, conn: &mut zhucun_persistence::DbConnection) -> Result<Auth, ApiError> {
        let revoked = || ApiError::Unauthorized("this login has ended; log in again".to_owned());
        let (session, user, operator) =
            sessions::session_user(conn, &self.session_id)?.ok_or_else(revoked)?;
        if session.revoked_at.is_some() || user.disabled_at.is_some() || user.id != self.user_id {
            return Err(revoked());
        }
        let role =
            Role::parse(&user.role).ok_or_else(|| ApiError::internal("unknown role stored"))?;
        let villages = linked_villages(conn, &user, role)?;
        let actor = Actor {
            user_id: user.id,
            role,
            department_id: user.department_id,
            operator: operator == 1,
            villages: scope_for(role, villages),
        };
        Ok(Auth {
            user,
            role,
            actor,
            session_id: self.session_id,
            request_id: self.request_id,
        })
    }
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
    let claims = state.jwt.verify(&bearer(req)?)?;
    let user_id: i64 = claims
        .sub
        .parse()
        .map_err(|_| ApiError::Unauthorized("the access token is not valid".to_owned()))?;
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default();
    Ok(Bearer {
        user_id,
        session_id: claims.sid,
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
