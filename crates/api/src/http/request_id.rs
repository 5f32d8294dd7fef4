//! Every request gets an id: the client's `X-Request-Id` when it is sane, else a new UUID. It is
//! echoed in the response, logged, written to audit entries and quoted in problems.

use actix_web::{HttpMessage, HttpRequest};

pub const REQUEST_ID: &str = "x-request-id";

/// The id of this request, stored in the request's extensions by the app's middleware.
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

pub fn request_id(req: &HttpRequest) -> String {
    req.extensions()
        .get::<RequestId>()
        .map(|r| r.0.clone())
        .unwrap_or_default()
}
