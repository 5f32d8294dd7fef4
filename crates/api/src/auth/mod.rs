//! Authentication: access JWTs, rotating refresh tokens, argon2id passwords, and the `Auth`
//! extractor that turns a bearer token into the actor the access policy judges.

pub mod extractor;
pub mod jwt;
pub mod password;
pub mod scopes;

pub use extractor::{Auth, Bearer};

use crate::error::ApiError;
use zhucun_domain::Role;

/// A user row's role: one the database should never hold is a server fault, not the client's.
pub fn stored_role(user: &zhucun_persistence::users::UserRow) -> Result<Role, ApiError> {
    Role::parse(&user.role).ok_or_else(|| ApiError::internal("unknown role stored"))
}
