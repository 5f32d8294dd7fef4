//! Authentication: access JWTs, rotating refresh tokens, argon2id passwords, and the `Auth`
//! extractor that turns a bearer token into the actor the access policy judges.

pub mod extractor;
pub mod jwt;
pub mod password;
pub mod scopes;

pub use extractor::{Auth, Bearer};
