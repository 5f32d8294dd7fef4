//! HTTP conventions shared by every resource: request ids, versions as ETags with `If-Match`,
//! idempotent creates, and JSON answers.

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse};
use futures_util::future::{ready, Ready};
use serde::Serialize;
use sha2::{Digest, Sha256};
use zhucun_persistence::idempotency::{self, StoredResponse};
use zhucun_persistence::DbConnection;

pub const REQUEST_ID: &str = "x-request-id";

/// The id of this request: the client's `X-Request-Id` when it is sane, else a new UUID.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

pub fn request_id_for(req: &actix_web::dev::ServiceRequest) -> String {
    req.headers()
        .get(REQUEST_ID)
        .and_then(|v| v.to_str().ok())
        .filter(|v| {
            !v.is_empty()
                && v.len() <= 64
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
        .map(str::to_owned)
        .unwrap_or_else(|| uuid::Uuid::new_v4().to_string())
}

pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
}

/// The versions an `If-Match` header accepts; absent means "any".
#[derive(Debug, Clone, Default)]
pub struct IfMatch(Option<Vec<i32>>);

impl IfMatch {
    /// Fails with 412 when the client edited an older version than `current`.
    pub fn check(&self, current: i32) -> Result<(), ApiError> {
        match &self.0 {
            None => Ok(()),
            Some(versions) if versions.contains(&current) => Ok(()),
            Some(_) => Err(ApiError::PreconditionFailed),
        }
    }

    pub fn parse(raw: &str) -> Result<IfMatch, ApiError> {
        let raw = raw.trim();
        if raw == "*" {
            return Ok(IfMatch(None));
        }
        let mut versions = Vec::new();
        for part in raw.split(',') {
            let tag = part.trim().trim_start_matches("W/").trim_matches('"');
            let v = tag.parse::<i32>().map_err(|_| {
                ApiError::field("If-Match", "must be an ETag of this API, e.g. \"3\"")
            })?;
            versions.push(v);
        }
        Ok(IfMatch(Some(versions)))
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(match req.headers().get(header::IF_MATCH) {
            None => Ok(IfMatch(None)),
            Some(v) => v
                .to_str()
                .map_err(|_| ApiError::field("If-Match", "is not readable"))
                .and_then(IfMatch::parse),
        })
    }
}

/// The `Idempotency-Key` of a create, with the request id for the audit trail.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: Option<String>,
}

impl FromRequest for Idempotency {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let key = match req.headers().get("idempotency-key") {
            None => Ok(None),
            Some(v) => match v.to_str() {
                Ok(s)
                    if (1..=255).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) =>
                {
                    Ok(Some(s.to_owned()))
                }
                _ => Err(ApiError::field(
                    "Idempotency-Key",
                    "must be 1 to 255 visible ASCII characters",
                )),
            },
        };
        ready(key.map(|key| Idempotency { key }))
    }
}

pub fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}

/// A JSON answer with the row's version as `ETag`.
pub fn json_with_etag<T: Serialize>(
    status: StatusCode,
    body: &T,
    version: i32,
) -> Result<HttpResponse, ApiError> {
    let text = serde_json::to_string(body).map_err(ApiError::internal)?;
    Ok(HttpResponse::build(status)
        .insert_header((header::CONTENT_TYPE, "application/json"))
        .insert_header((header::ETAG, etag(version)))
        .body(text))
}

/// What a create produced, or the stored first answer to the same request.
pub struct Created {
    status: u16,
    body: String,
    etag: Option<String>,
    replayed: bool,
}

impl Created {
    pub fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::CREATED);
        let mut res = HttpResponse::build(status);
        res.insert_header((header::CONTENT_TYPE, "application/json"));
        if let Some(tag) = self.etag.and_then(|t| HeaderValue::from_str(&t).ok()) {
            res.insert_header((header::ETAG, tag));
        }
        if self.replayed {
            res.insert_header(("idempotent-replayed", "true"));
        }
        res.body(self.body)
    }
}

/// Runs a create inside the caller's transaction, honouring `Idempotency-Key`: the same key and
/// body from the same user answers the first response again; the same key with another body or
/// on another endpoint is a 422. `what` names the endpoint and is part of the request's hash.
pub fn create_once<T, F>(
    conn: &mut DbConnection,
    user_id: i64,
    idem: &Idempotency,
    what: &str,
    request: &impl Serialize,
    create: F,
) -> Result<Created, ApiError>
where
    T: Serialize,
    F: FnOnce(&mut DbConnection) -> Result<(T, i32), ApiError>,
{
    let hash = {
        let body = serde_json::to_string(request).map_err(ApiError::internal)?;
        let mut h = Sha256::new();
        h.update(what.as_bytes());
        h.update([0]);
        h.update(body.as_bytes());
        format!("{:x}", h.finalize())
    };
    if let Some(key) = &idem.key {
        if let Some(stored) = idempotency::find(conn, user_id, key)? {
            if stored.request_hash != hash {
                return Err(ApiError::Unprocessable(
                    "this Idempotency-Key was used for a different request; use a new key"
                        .to_owned(),
                ));
            }
            return Ok(Created {
                status: u16::try_from(stored.status).unwrap_or(201),
                body: stored.body,
                etag: stored.etag,
                replayed: true,
            });
        }
    }
    let (dto, version) = create(conn)?;
    let body = serde_json::to_string(&dto).map_err(ApiError::internal)?;
    let tag = etag(version);
    if let Some(key) = &idem.key {
        idempotency::store(
            conn,
            &StoredResponse {
                user_id,
                idem_key: key.clone(),
                request_hash: hash,
                status: 201,
                body: body.clone(),
                etag: Some(tag.clone()),
                created_at: zhucun_persistence::now(),
            },
        )?;
    }
    Ok(Created {
        status: 201,
        body,
        etag: Some(tag),
        replayed: false,
    })
}

/// Whether two views of a row show the same content (ignoring the version and update time).
pub fn same_content<T: Serialize>(a: &T, b: &T) -> bool {
    let strip = |v: &T| {
        let mut j = serde_json::to_value(v).unwrap_or_default();
        if let Some(o) = j.as_object_mut() {
            o.remove("version");
            o.remove("updated_at");
        }
        j
    };
    strip(a) == strip(b)
}

/// Runs an update in a savepoint and keeps it only when it changed what clients see: saving a
/// form without changes neither bumps the version (which would give other editors a needless
/// 412) nor writes an audit entry. `None` means nothing changed.
pub fn update_if_changed<T, F>(
    conn: &mut DbConnection,
    before: &T,
    update: F,
) -> Result<Option<T>, ApiError>
where
    T: Serialize,
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError>,
{
    use diesel::Connection;
    let mut unchanged = false;
    let result = conn.transaction::<T, ApiError, _>(|c| {
        let after = update(c)?;
        if same_content(before, &after) {
            unchanged = true;
            // Rolls the savepoint back; the outer transaction goes on.
            return Err(ApiError::Conflict("unchanged".to_owned()));
        }
        Ok(after)
    });
    match result {
        Ok(after) => Ok(Some(after)),
        Err(_) if unchanged => Ok(None),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn if_match_forms() {
        assert!(IfMatch::parse("\"3\"")
            .map(|m| m.check(3).is_ok())
            .unwrap_or(false));
        assert!(IfMatch::parse("W/\"3\"")
            .map(|m| m.check(3).is_ok())
            .unwrap_or(false));
        assert!(IfMatch::parse("\"2\", \"3\"")
            .map(|m| m.check(3).is_ok())
            .unwrap_or(false));
        assert!(IfMatch::parse("\"2\"")
            .map(|m| m.check(3).is_err())
            .unwrap_or(false));
        assert!(IfMatch::parse("*")
            .map(|m| m.check(9).is_ok())
            .unwrap_or(false));
        assert!(IfMatch::parse("abc").is_err());
        assert!(IfMatch::default().check(1).is_ok());
    }
}
