//! Idempotent creates: a client that lost the answer to a create (a phone on a weak link) sends the
//! same request again with the same `Idempotency-Key` and gets the first answer back instead of a
//! second row. The key is scoped to the user; the endpoint (method and route pattern) and the body
//! are hashed, so the same key reused for another request is a 422.

use super::etag::etag;
use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use futures_util::future::{ready, Ready};
use serde::Serialize;
use sha2::{Digest, Sha256};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};
use zhucun_persistence::idempotency::{self, StoredResponse};
use zhucun_persistence::DbConnection;

/// The `Idempotency-Key` of a create and the endpoint it was sent to.
#[derive(Debug, Clone)]
pub struct Idempotency {
    pub key: Option<String>,
    /// `POST /api/v1/teams/7/members`: the method and the concrete path, so the same key sent to
    /// another endpoint (or for another team's members) is another request.
    endpoint: String,
}

impl Idempotency {
    /// For creates not reached through HTTP (tests, demo data).
    pub fn none(endpoint: &str) -> Self {
        Self {
            key: None,
            endpoint: endpoint.to_owned(),
        }
    }
}

impl FromRequest for Idempotency {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        // The concrete path: a key reused for a member of another team is another request.
        let endpoint = format!("{} {}", req.method(), req.path());
        let key = match req.headers().get("idempotency-key") {
            None => Ok(None),
            Some(v) => match v.to_str() {
                Ok(s)
                    if (1..=255).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_graphic()) =>
                {
                    Ok(Some(s.to_owned()))
                }
                _ => Err(crate::error::coded(
                    "Idempotency-Key",
                    "idempotency_key_syntax",
                    "must be 1 to 255 visible ASCII characters",
                )),
            },
        };
        ready(key.map(|key| Idempotency { key, endpoint }))
    }
}

impl utoipa::IntoParams for Idempotency {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("Idempotency-Key")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "Repeat a create safely: the same key and body answer the first response again \
                 (with `Idempotent-Replayed: true`); the same key with another request is a 422",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^[!-~]{1,255}$"))
                    .examples(["3f1c9a7e-5b2d-4f8e-9c61-0d2a7b4e8f10"]),
            ))
            .build()]
    }
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
/// on another endpoint is a 422.
pub fn create_once<T, F>(
    conn: &mut DbConnection,
    user_id: i64,
    idem: &Idempotency,
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
        h.update(idem.endpoint.as_bytes());
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
