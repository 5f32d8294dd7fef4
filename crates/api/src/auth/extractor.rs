use crate::error::ApiError;
use crate::http::RequestId;
use crate::state::AppState;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpMessage, HttpRequest};
use futures_util::future::LocalBoxFuture;
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

/// The day in Asia/Shanghai (UTC+8, no daylight saving): memberships are dated in local days.
pub fn today_local() -> chrono::NaiveDate {
    let offset = chrono::FixedOffset::east_opt(8 * 3600)
        .unwrap_or_else(|| chrono::FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!()));
    chrono::Utc::now().with_timezone(&offset).date_naive()
}

/// Loads the villages a user may see today.
pub fn linked_villages(
    conn: &mut zhucun_persistence::DbConnection,
    user: &UserRow,
    role: Role,
) -> Result<Vec<i64>, ApiError> {
    Ok(match role {
        Role::Team => match user.cadre_id {
            Some(cadre) => teams::villages_of_cadre_on(conn, cadre, today_local())?,
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

impl FromRequest for Auth {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer(req);
        let request_id = req
            .extensions()
            .get::<RequestId>()
            .map(|r| r.0.clone())
            .unwrap_or_default();
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::internal("app state missing"))?;
            let claims = state.jwt.verify(&token?)?;
            let user_id: i64 = claims
                .sub
                .parse()
                .map_err(|_| ApiError::Unauthorized("the access token is not valid".to_owned()))?;
            let session_id = claims.sid;
            let sid = session_id.clone();
            let (user, role, operator, villages) = state
                .read(move |conn| {
                    let revoked =
                        || ApiError::Unauthorized("this login has ended; log in again".to_owned());
                    let (session, user, operator) =
                        sessions::session_user(conn, &sid)?.ok_or_else(revoked)?;
                    if session.revoked_at.is_some()
                        || user.disabled_at.is_some()
                        || user.id != user_id
                    {
                        return Err(revoked());
                    }
                    let role = Role::parse(&user.role)
                        .ok_or_else(|| ApiError::internal("unknown role stored"))?;
                    let villages = linked_villages(conn, &user, role)?;
                    Ok((user, role, operator == 1, villages))
                })
                .await?;
            let actor = Actor {
                user_id: user.id,
                role,
                department_id: user.department_id,
                operator,
                villages: scope_for(role, villages),
            };
            Ok(Auth {
                user,
                role,
                actor,
                session_id,
                request_id,
            })
        })
    }
}
