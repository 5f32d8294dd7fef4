use crate::error::ApiError;
use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;

pub const ISSUER: &str = "zhucun";
pub const AUDIENCE: &str = "zhucun-api";
/// Access tokens live 15 minutes; the refresh token keeps a login going.
pub const ACCESS_TTL_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub sid: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    /// Not before: checked when present (tokens issued here carry it, equal to `iat`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    pub exp: i64,
}

/// Seconds a token's clock may be ahead of or behind this instance's.
pub const LEEWAY_SECS: u64 = 5;

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    client_validation: Validation,
    verified: Mutex<HashMap<Box<str>, Verified>>,
}

/// A token whose signature and claims passed, with its claims: a user's or an API client's.
#[derive(Debug, Clone)]
enum Verified {
    User(Claims),
    Client(ClientClaims),
}

/// How many verified access tokens [`JwtKeys::verify_at`] and [`JwtKeys::verify_client_at`]
/// remember before they start afresh: a few MB at most, far more than the logins and clients
/// active within one token's lifetime.
const VERIFIED_CAPACITY: usize = 10_000;

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("ZHUCUN_JWT_SECRET must be at least 32 bytes")]
    TooShort,
    #[error("cannot read or write the JWT key file {0}: {1}")]
    File(String, std::io::Error),
    #[error("invalid key: {0}")]
    Invalid(String),
}

impl JwtKeys {
    pub fn from_secret(secret: &[u8]) -> Result<Self, KeyError> {
        if secret.len() < 32 {
            return Err(KeyError::TooShort);
        }
        // Pinned to HS256: tokens with any other `alg` (including `none`) fail validation.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.set_issuer(&[ISSUER]);
        validation.set_audience(&[AUDIENCE]);
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        validation.leeway = LEEWAY_SECS;
        validation.validate_exp = true;
        // `nbf` is checked when present; `iat` is required by `Claims` and checked in `verify`.
        validation.validate_nbf = true;
        // API clients' tokens differ by audience: a user token never passes as a client token
        // and a client token never passes as a user token (see `ClientClaims`).
        let mut client_validation = validation.clone();
        client_validation.set_audience(&[CLIENT_AUDIENCE]);
        client_validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
        Ok(Self {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
            client_validation,
            verified: Mutex::new(HashMap::new()),
        })
    }

    /// The key from `ZHUCUN_JWT_SECRET`, else from `<data>/jwt.key`, created with mode 0600 at
    /// first start. Several instances behind a load balancer must share the environment secret.
    pub fn load(env_secret: Option<&str>, data_dir: &Path) -> Result<Self, KeyError> {
        if let Some(secret) = env_secret.filter(|s| !s.is_empty()) {
            return Self::from_secret(secret.as_bytes());
        }
        let path = data_dir.join("jwt.key");
        let shown = path.display().to_string();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(text.trim())
                    .map_err(|e| KeyError::Invalid(e.to_string()))?;
                Self::from_secret(&bytes)
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                std::fs::create_dir_all(data_dir).map_err(|e| KeyError::File(shown.clone(), e))?;
                let secret = crate::auth::password::random_bytes::<48>();
                let text = base64::engine::general_purpose::STANDARD.encode(secret);
                write_private(&path, &text).map_err(|e| KeyError::File(shown.clone(), e))?;
                tracing::info!(path = %shown, "generated a new JWT signing key");
                Self::from_secret(&secret)
            }
            Err(e) => Err(KeyError::File(shown, e)),
        }
    }

    pub fn issue(&self, user_id: i64, session_id: &str, now: i64) -> Result<String, ApiError> {
        let claims = Claims {
            sub: user_id.to_string(),
            sid: session_id.to_owned(),
            iss: ISSUER.to_owned(),
            aud: AUDIENCE.to_owned(),
            iat: now,
            nbf: Some(now),
            exp: now + ACCESS_TTL_SECS,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        self.verify_at(token, chrono::Utc::now().timestamp())
    }

    /// Like [`verify`](Self::verify), with `now` given. A token issued in the future (beyond the
    /// leeway) is refused: only a wrong clock or a forger makes one.
    ///
    /// A token that passed is remembered with its claims (the very same string, with this
    /// process's key, always verifies the same way), so the next request carrying it skips the
    /// signature and the JSON; its times are checked again on every request, and a token that
    /// no longer passes them goes the whole way (which says why).
    ///
    /// An API client's token that passed as one ([`verify_client_at`](Self::verify_client_at))
    /// is refused here at once, as the whole way would refuse it (its audience is not a user's).
    pub fn verify_at(&self, token: &str, now: i64) -> Result<Claims, ApiError> {
        let leeway = i64::try_from(LEEWAY_SECS).unwrap_or(0);
        match self.remembered(token, now, leeway) {
            Some(Verified::User(c)) => return Ok(c),
            Some(Verified::Client(_)) => return Err(not_valid()),
            None => {}
        }
        let claims = self.verify_signed(token, now, leeway)?;
        self.remember(token, Verified::User(claims.clone()));
        Ok(claims)
    }

    /// The claims of `token` if it passed before and its times still pass at `now` (a token
    /// that no longer passes them goes the whole way, which says why).
    fn remembered(&self, token: &str, now: i64, leeway: i64) -> Option<Verified> {
        let verified = self.verified.lock().ok()?;
        let (exp, iat, nbf, claims) = match verified.get(token)? {
            v @ Verified::User(c) => (c.exp, c.iat, c.nbf, v),
            v @ Verified::Client(c) => (c.exp, c.iat, c.nbf, v),
        };
        timely(exp, iat, nbf, now, leeway).ok()?;
        Some(claims.clone())
    }

    fn remember(&self, token: &str, claims: Verified) {
        if let Ok(mut verified) = self.verified.lock() {
            if verified.len() >= VERIFIED_CAPACITY {
                verified.clear();
            }
            verified.insert(token.into(), claims);
        }
    }

    fn verify_signed(&self, token: &str, now: i64, leeway: i64) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .and_then(|c| timely(c.exp, c.iat, c.nbf, now, leeway).map(|()| c))
            .map_err(refused)
    }
}

/// The answer to a token that failed: expired, or not valid (whatever else was wrong with it).
fn refused(e: jsonwebtoken::errors::Error) -> ApiError {
    match e.kind() {
        jsonwebtoken::errors::ErrorKind::ExpiredSignature => {
            ApiError::Unauthorized("the access token has expired".to_owned())
        }
        _ => not_valid(),
    }
}

fn not_valid() -> ApiError {
    ApiError::Unauthorized("the access token is not valid".to_owned())
}

/// A token's times seen at `now` (the library checks `exp` and `nbf` against the system clock;
/// this also checks `iat`, and all three against the `now` given).
fn timely(
    exp: i64,
    iat: i64,
    nbf: Option<i64>,
    now: i64,
    leeway: i64,
) -> Result<(), jsonwebtoken::errors::Error> {
    use jsonwebtoken::errors::ErrorKind;
    if exp < now - leeway {
        return Err(ErrorKind::ExpiredSignature.into());
    }
    if iat > now + leeway || nbf.is_some_and(|nbf| nbf > now + leeway) {
        return Err(ErrorKind::ImmatureSignature.into());
    }
    Ok(())
}

/// The audience of API clients' tokens (OAuth 2.0 client credentials), distinct from
/// [`AUDIENCE`] so neither kind of token is accepted as the other.
pub const CLIENT_AUDIENCE: &str = "zhucun-api-client";
/// The token type claim of API clients' tokens.
pub const CLIENT_TOKEN_TYPE: &str = "client";

/// An API client's access token: which client, the scopes granted, and the rotation the
/// client's secret was at (a rotation invalidates the tokens issued before it).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClientClaims {
    /// `client:<id>` (never a user id).
    pub sub: String,
    /// The client row's id.
    pub cid: i64,
    /// Always [`CLIENT_TOKEN_TYPE`].
    pub typ: String,
    /// Space-separated scopes granted.
    pub scope: String,
    /// Microseconds of the client's `rotated_at` when issued (0: never rotated).
    pub rot: i64,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    pub exp: i64,
}

impl JwtKeys {
    /// A client token for `ttl_secs`, issued at `now`.
    pub fn issue_client(
        &self,
        client_row_id: i64,
        scope: &str,
        rot: i64,
        now: i64,
        ttl_secs: i64,
    ) -> Result<String, ApiError> {
        let claims = ClientClaims {
            sub: format!("client:{client_row_id}"),
            cid: client_row_id,
            typ: CLIENT_TOKEN_TYPE.to_owned(),
            scope: scope.to_owned(),
            rot,
            iss: ISSUER.to_owned(),
            aud: CLIENT_AUDIENCE.to_owned(),
            iat: now,
            nbf: Some(now),
            exp: now + ttl_secs,
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
            .map_err(ApiError::internal)
    }

    /// Verifies a client token (signature, audience, time, type).
    pub fn verify_client(&self, token: &str) -> Result<ClientClaims, ApiError> {
        self.verify_client_at(token, chrono::Utc::now().timestamp())
    }

    /// Like [`verify_client`](Self::verify_client), with `now` given; a token that passed is
    /// remembered as [`verify_at`](Self::verify_at) remembers users' tokens, and its times are
    /// checked again on every request. (Whether the client still exists, is active and has not
    /// rotated its secret since is the database's to say, on every request.)
    pub fn verify_client_at(&self, token: &str, now: i64) -> Result<ClientClaims, ApiError> {
        let leeway = i64::try_from(LEEWAY_SECS).unwrap_or(0);
        match self.remembered(token, now, leeway) {
            Some(Verified::Client(c)) => return Ok(c),
            Some(Verified::User(_)) => return Err(not_valid()),
            None => {}
        }
        let claims =
            jsonwebtoken::decode::<ClientClaims>(token, &self.decoding, &self.client_validation)
                .map(|d| d.claims)
                .and_then(|c| timely(c.exp, c.iat, c.nbf, now, leeway).map(|()| c))
                .map_err(refused)?;
        if claims.typ != CLIENT_TOKEN_TYPE {
            return Err(not_valid());
        }
        self.remember(token, Verified::Client(claims.clone()));
        Ok(claims)
    }
}

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)?;
    f.write_all(text.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> std::io::Result<()> {
    std::fs::write(path, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> JwtKeys {
        JwtKeys::from_secret(&[7u8; 32]).unwrap_or_else(|_| unreachable!())
    }

    #[test]
    fn issued_tokens_verify() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let t = k.issue(5, "s1", now).unwrap_or_default();
        let c = k.verify(&t).ok();
        assert_eq!(
            c.map(|c| (c.sub, c.sid)),
            Some(("5".to_owned(), "s1".to_owned()))
        );
    }

    #[test]
    fn expired_foreign_and_unsigned_tokens_fail() {
        let k = keys();
        let old = chrono::Utc::now().timestamp() - 3600;
        let t = k.issue(5, "s1", old).unwrap_or_default();
        assert!(k.verify(&t).is_err());
        let other = JwtKeys::from_secret(&[8u8; 32]).unwrap_or_else(|_| unreachable!());
        let t = other
            .issue(5, "s1", chrono::Utc::now().timestamp())
            .unwrap_or_default();
        assert!(k.verify(&t).is_err());
        // alg=none
        let unsigned = "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.eyJzdWIiOiI1Iiwic2lkIjoiczEiLCJpc3MiOiJ6aHVjdW4iLCJhdWQiOiJ6aHVjdW4tYXBpIiwiaWF0IjoxLCJleHAiOjk5OTk5OTk5OTl9.";
        assert!(k.verify(unsigned).is_err());
        assert!(JwtKeys::from_secret(b"short").is_err());
    }

    fn sign(claims: &serde_json::Value) -> String {
        let key = EncodingKey::from_secret(&[7u8; 32]);
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), claims, &key).unwrap_or_default()
    }

    #[test]
    fn tokens_from_the_future_fail() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let base = serde_json::json!({
            "sub": "5", "sid": "s1", "iss": ISSUER, "aud": AUDIENCE, "iat": now, "exp": now + 900,
        });
        assert!(k.verify(&sign(&base)).is_ok(), "no nbf is fine");
        let mut nbf_ahead = base.clone();
        nbf_ahead["nbf"] = serde_json::json!(now + 600);
        assert!(k.verify(&sign(&nbf_ahead)).is_err());
        let mut nbf_now = base.clone();
        nbf_now["nbf"] = serde_json::json!(now + 2);
        assert!(k.verify(&sign(&nbf_now)).is_ok(), "within the leeway");
        let mut iat_ahead = base.clone();
        iat_ahead["iat"] = serde_json::json!(now + 600);
        assert!(k.verify(&sign(&iat_ahead)).is_err());
        let mut no_iat = base.clone();
        if let Some(o) = no_iat.as_object_mut() {
            o.remove("iat");
        }
        assert!(k.verify(&sign(&no_iat)).is_err());
        // A token issued here carries nbf = iat.
        let t = k.issue(5, "s1", now).unwrap_or_default();
        assert!(k.verify(&t).map(|c| c.nbf == Some(now)).unwrap_or(false));
        assert!(
            k.verify_at(&t, now - 60).is_err(),
            "seen from a clock a minute behind"
        );
    }

    #[test]
    fn a_remembered_token_is_still_checked_for_its_times() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let t = k.issue(5, "s1", now).unwrap_or_default();
        assert_eq!(
            k.verify_at(&t, now).map(|c| c.sid).ok().as_deref(),
            Some("s1")
        );
        assert!(k
            .verified
            .lock()
            .map(|v| v.contains_key(t.as_str()))
            .unwrap_or(false));
        // Remembered, and still refused once expired or when seen from a clock behind.
        let late = now + ACCESS_TTL_SECS + 60;
        let expired = k.verify_at(&t, late).err().map(|e| e.to_string());
        assert!(
            expired.is_some_and(|e| e.contains("expired")),
            "expired at {late}"
        );
        assert!(k.verify_at(&t, now - 60).is_err());
        assert!(k.verify_at(&t, now).is_ok());
        // Another string is verified on its own: the same token with its signature changed fails.
        let at = t.len() - 10;
        let swapped = if t[at..].starts_with('A') { "B" } else { "A" };
        let forged = format!("{}{swapped}{}", &t[..at], &t[at + 1..]);
        assert!(k.verify_at(&forged, now).is_err());
        // Bounded: the memory starts afresh when full.
        for i in 0..(VERIFIED_CAPACITY as i64 + 10) {
            let t = k.issue(i, "s", now).unwrap_or_default();
            assert!(k.verify_at(&t, now).is_ok());
        }
        assert!(k
            .verified
            .lock()
            .map(|v| v.len() <= VERIFIED_CAPACITY)
            .unwrap_or(false));
    }

    #[test]
    fn a_remembered_client_token_is_still_checked_and_never_taken_for_a_user_s() {
        let k = keys();
        let now = chrono::Utc::now().timestamp();
        let client = k
            .issue_client(9, "villages:read", 0, now, 600)
            .unwrap_or_default();
        let user = k.issue(5, "s1", now).unwrap_or_default();
        assert_eq!(
            k.verify_client_at(&client, now).map(|c| c.cid).ok(),
            Some(9)
        );
        assert!(matches!(
            k.remembered(&client, now, 0),
            Some(Verified::Client(_))
        ));
        // Remembered: still refused as a user's token, and once expired or seen from behind.
        assert!(k.verify_at(&client, now).is_err());
        let expired = k
            .verify_client_at(&client, now + 660)
            .err()
            .map(|e| e.to_string());
        assert!(expired.is_some_and(|e| e.contains("expired")));
        assert!(k.verify_client_at(&client, now - 60).is_err());
        assert!(k.verify_client_at(&client, now).is_ok());
        // A user's token, remembered as one, never passes as a client's (nor the other way).
        assert!(k.verify_at(&user, now).is_ok());
        assert!(k.verify_client_at(&user, now).is_err());
        assert!(k.verify_at(&client, now).is_err());
        // A client token with another type is refused, and not remembered.
        let odd = sign(&serde_json::json!({
            "sub": "client:9", "cid": 9, "typ": "other", "scope": "villages:read", "rot": 0,
            "iss": ISSUER, "aud": CLIENT_AUDIENCE, "iat": now, "exp": now + 600,
        }));
        assert!(k.verify_client_at(&odd, now).is_err());
        assert!(k.remembered(&odd, now, 0).is_none());
    }

    #[test]
    fn generated_key_file_is_private_and_reused() {
        let dir = std::env::temp_dir().join(format!("zhucun-jwt-{}", uuid::Uuid::new_v4()));
        let a = JwtKeys::load(None, &dir).unwrap_or_else(|_| unreachable!());
        let t = a
            .issue(1, "s", chrono::Utc::now().timestamp())
            .unwrap_or_default();
        let b = JwtKeys::load(None, &dir).unwrap_or_else(|_| unreachable!());
        assert!(b.verify(&t).is_ok(), "second start must reuse the key");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("jwt.key"))
                .map(|m| m.permissions().mode() & 0o777)
                .unwrap_or(0);
            assert_eq!(mode, 0o600);
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}
