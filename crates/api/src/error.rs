//! One error type for every handler, answered as RFC 9457 `application/problem+json`.
//!
//! Layers: domain rules return `Invalid` (400 with field messages); the access policy returns a
//! `Decision` (404/403); diesel errors map here (not found → 404, unique → 409, locked → 503);
//! anything unexpected is logged with its cause and answered as a bare 500 without internals.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use std::collections::BTreeMap;
use utoipa::ToSchema;
use zhucun_domain::{Decision, FieldError, Invalid};

/// Base of every problem `type`; the last segment is the stable code.
pub const PROBLEM_BASE: &str = "https://zhucun.example/problems/";

/// A problem detail (RFC 9457).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "https://zhucun.example/problems/validation",
    "code": "validation",
    "title": "Invalid request",
    "status": 400,
    "detail": "name: must not be empty; code: must be 6 to 12 digits",
    "errors": [
        {"field": "name", "message": "must not be empty", "code": "empty"},
        {"field": "code", "message": "must be 6 to 12 digits", "code": "digits", "params": {"min": "6", "max": "12"}}
    ]
}))]
pub struct Problem {
    /// Stable identifier of the kind of problem.
    #[serde(rename = "type")]
    pub kind: String,
    /// Stable, snake_case: what a client translates (the kind of problem, or a more specific
    /// code such as `last_admin`).
    #[schema(example = "validation")]
    pub code: String,
    /// Values the detail names (e.g. `seconds`), for the translation.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
    pub title: String,
    pub status: u16,
    /// What went wrong, for a person.
    pub detail: String,
    /// The stages the caller may move the project to now (an `illegal_transition` problem).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = json!(["mature", "cancelled"]))]
    pub allowed: Option<Vec<String>>,
    /// Field-level messages of a validation problem.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<ProblemField>,
    /// The request's id (also in the `X-Request-Id` header): quote it when reporting a problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "6f1d2c5e-8a0b-4a51-9a3e-2b7c1d0e4f55")]
    pub request_id: Option<String>,
}

tokio::task_local! {
    /// The id of the request being answered, set around every request by the app's middleware.
    pub static CURRENT_REQUEST_ID: String;
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ProblemField {
    /// The request field, dotted for nested fields (`settings.min_team_size`).
    #[schema(example = "name")]
    pub field: String,
    #[schema(example = "must not be empty")]
    pub message: String,
    /// Stable, snake_case: what a client translates (`required`, `too_long`, `between`, …).
    #[schema(example = "empty")]
    pub code: String,
    /// Values the message names (`max`, `min`, `allowed`, `entity`, …).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, String>,
}

impl From<FieldError> for ProblemField {
    fn from(e: FieldError) -> Self {
        let params: BTreeMap<String, String> = e
            .params
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        let message = match crate::i18n::current() {
            crate::i18n::Lang::Zh => {
                crate::i18n::field_message_zh(e.code, &params).unwrap_or(e.message)
            }
            crate::i18n::Lang::En => e.message,
        };
        Self {
            field: e.field,
            message,
            code: e.code.to_owned(),
            params,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{0}")]
    Validation(Invalid),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthorized(String),
    #[error("you may not do this")]
    Forbidden,
    /// The role may act on this row but not in this way (403), with a code clients translate
    /// (a department user recording an expenditure).
    #[error("{message}")]
    ForbiddenBecause { code: &'static str, message: String },
    #[error("not found")]
    NotFound,
    #[error("method not allowed")]
    MethodNotAllowed(String),
    #[error("{0}")]
    Conflict(String),
    /// A rule of the product refuses the change (409), with a code clients translate.
    #[error("{message}")]
    Refused { code: &'static str, message: String },
    /// A rule of the product refuses the change (409), with a code clients translate and the
    /// values it names (a decision's step out of order names the step that comes next).
    #[error("{message}")]
    RefusedWith {
        code: &'static str,
        message: String,
        params: Vec<(&'static str, String)>,
    },
    /// A move of a project's stage this caller may not make now (409 `illegal_transition`), with
    /// the moves they may make.
    #[error("{message}")]
    IllegalTransition {
        allowed: Vec<&'static str>,
        message: String,
    },
    /// A unique constraint: which field repeats which other row's value.
    #[error("{message}")]
    Duplicate {
        field: &'static str,
        message: &'static str,
    },
    #[error("the record was changed by someone else since you loaded it; reload and try again")]
    PreconditionFailed,
    #[error("the request body is larger than allowed")]
    PayloadTooLarge,
    #[error("{0}")]
    UnsupportedMediaType(String),
    #[error("{0}")]
    Unprocessable(String),
    /// A rule of the product the request's numbers do not meet (422), with a code clients
    /// translate and the figures it names (the 60 % rule's shortfall).
    #[error("{message}")]
    RuleNotMet {
        code: &'static str,
        message: String,
        params: Vec<(&'static str, String)>,
    },
    #[error("too many attempts; try again in {0} seconds")]
    TooManyRequests(u64),
    #[error("{0}")]
    Unavailable(String),
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    pub fn field(field: &str, message: impl Into<String>) -> Self {
        ApiError::Validation(Invalid::single(field, message))
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "validation",
            ApiError::BadRequest(_) => "bad-request",
            ApiError::Unauthorized(_) => "unauthorized",
            ApiError::Forbidden | ApiError::ForbiddenBecause { .. } => "forbidden",
            ApiError::NotFound => "not-found",
            ApiError::MethodNotAllowed(_) => "method-not-allowed",
            ApiError::Conflict(_)
            | ApiError::Duplicate { .. }
            | ApiError::Refused { .. }
            | ApiError::RefusedWith { .. }
            | ApiError::IllegalTransition { .. } => "conflict",
            ApiError::PreconditionFailed => "precondition-failed",
            ApiError::PayloadTooLarge => "payload-too-large",
            ApiError::UnsupportedMediaType(_) => "unsupported-media-type",
            ApiError::Unprocessable(_) | ApiError::RuleNotMet { .. } => "unprocessable",
            ApiError::TooManyRequests(_) => "too-many-requests",
            ApiError::Unavailable(_) => "unavailable",
            ApiError::Internal(_) => "internal",
        }
    }

    /// The code clients translate: the kind's code in snake_case, or a more specific one.
    fn specific_code(&self) -> String {
        match self {
            ApiError::Refused { code, .. }
            | ApiError::RefusedWith { code, .. }
            | ApiError::ForbiddenBecause { code, .. }
            | ApiError::RuleNotMet { code, .. } => (*code).to_owned(),
            ApiError::IllegalTransition { .. } => "illegal_transition".to_owned(),
            ApiError::Unprocessable(_) => "idempotency_key_reused".to_owned(),
            other => other.code().replace('-', "_"),
        }
    }

    fn title(&self) -> &'static str {
        match self {
            ApiError::Validation(_) => "Invalid request",
            ApiError::BadRequest(_) => "Bad request",
            ApiError::Unauthorized(_) => "Not authenticated",
            ApiError::Forbidden | ApiError::ForbiddenBecause { .. } => "Forbidden",
            ApiError::NotFound => "Not found",
            ApiError::MethodNotAllowed(_) => "Method not allowed",
            ApiError::Conflict(_)
            | ApiError::Duplicate { .. }
            | ApiError::Refused { .. }
            | ApiError::RefusedWith { .. }
            | ApiError::IllegalTransition { .. } => "Conflict",
            ApiError::PreconditionFailed => "Precondition failed",
            ApiError::PayloadTooLarge => "Payload too large",
            ApiError::UnsupportedMediaType(_) => "Unsupported media type",
            ApiError::Unprocessable(_) | ApiError::RuleNotMet { .. } => "Unprocessable request",
            ApiError::TooManyRequests(_) => "Too many requests",
            ApiError::Unavailable(_) => "Service unavailable",
            ApiError::Internal(_) => "Internal error",
        }
    }

    pub fn problem(&self) -> Problem {
        let errors = match self {
            ApiError::Validation(invalid) => invalid
                .errors
                .iter()
                .cloned()
                .map(ProblemField::from)
                .collect(),
            ApiError::Duplicate { field, message } => vec![ProblemField::from(
                zhucun_domain::validation::field_error(field, *message)
                    .coded("duplicate", Vec::new()),
            )],
            _ => Vec::new(),
        };
        let detail = match self {
            ApiError::Internal(_) => "an unexpected error occurred; it has been logged".to_owned(),
            ApiError::MethodNotAllowed(allow) => format!("this resource allows {allow}"),
            ApiError::NotFound => "no such resource".to_owned(),
            other => other.to_string(),
        };
        let code = self.specific_code();
        let mut params = BTreeMap::new();
        if let ApiError::TooManyRequests(secs) = self {
            params.insert("seconds".to_owned(), secs.to_string());
        }
        if let ApiError::RuleNotMet { params: named, .. }
        | ApiError::RefusedWith { params: named, .. } = self
        {
            for (k, v) in named {
                params.insert((*k).to_owned(), v.clone());
            }
        }
        let allowed = match self {
            ApiError::IllegalTransition { allowed, .. } => {
                params.insert("allowed".to_owned(), allowed.join(", "));
                Some(allowed.iter().map(|s| (*s).to_owned()).collect())
            }
            _ => None,
        };
        let detail = match crate::i18n::current() {
            crate::i18n::Lang::Zh => crate::i18n::problem_zh(&code, &params).unwrap_or(detail),
            crate::i18n::Lang::En => detail,
        };
        Problem {
            kind: format!("{PROBLEM_BASE}{}", self.code()),
            code,
            params,
            title: self.title().to_owned(),
            status: self.status_code().as_u16(),
            detail,
            allowed,
            errors,
            request_id: CURRENT_REQUEST_ID.try_with(Clone::clone).ok(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::Validation(_) | ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::ForbiddenBecause { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict(_)
            | ApiError::Duplicate { .. }
            | ApiError::Refused { .. }
            | ApiError::RefusedWith { .. }
            | ApiError::IllegalTransition { .. } => StatusCode::CONFLICT,
            ApiError::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            ApiError::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::Unprocessable(_) | ApiError::RuleNotMet { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::TooManyRequests(_) => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        if let ApiError::Internal(cause) = self {
            let request_id = CURRENT_REQUEST_ID
                .try_with(Clone::clone)
                .unwrap_or_default();
            tracing::error!(cause = %cause, request_id = %request_id, "internal error");
        }
        let mut res = HttpResponse::build(self.status_code());
        res.insert_header((header::CONTENT_TYPE, "application/problem+json"));
        match self {
            ApiError::TooManyRequests(secs) => {
                res.insert_header((header::RETRY_AFTER, secs.to_string()));
            }
            ApiError::Unavailable(_) => {
                res.insert_header((header::RETRY_AFTER, "2"));
            }
            ApiError::MethodNotAllowed(allow) => {
                if let Ok(v) = HeaderValue::from_str(allow) {
                    res.insert_header((header::ALLOW, v));
                }
            }
            ApiError::Unauthorized(_) => {
                res.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        let body = serde_json::to_string(&self.problem()).unwrap_or_else(|_| "{}".to_owned());
        res.body(body)
    }
}

/// A validation error on one field with a stable code (no parameters).
pub fn coded(field: &str, code: &'static str, message: impl Into<String>) -> ApiError {
    zhucun_domain::validation::field_error(field, message)
        .coded(code, Vec::new())
        .into()
}

impl From<Invalid> for ApiError {
    fn from(v: Invalid) -> Self {
        ApiError::Validation(v)
    }
}

impl From<FieldError> for ApiError {
    fn from(e: FieldError) -> Self {
        ApiError::Validation(Invalid { errors: vec![e] })
    }
}

impl From<Decision> for ApiError {
    fn from(d: Decision) -> Self {
        match d {
            Decision::Forbidden => ApiError::Forbidden,
            Decision::NotFound | Decision::Allow => ApiError::NotFound,
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind as K, Error as E};
        if zhucun_persistence::connection_lost(&e) {
            tracing::warn!(error = %e, "database connection lost");
            return ApiError::Unavailable("the database connection was lost; try again".to_owned());
        }
        match e {
            E::NotFound => ApiError::NotFound,
            E::DatabaseError(K::UniqueViolation, info) => {
                match zhucun_persistence::constraints::unique_rule(info.as_ref()) {
                    Some(rule) => ApiError::Duplicate {
                        field: rule.field,
                        message: rule.message,
                    },
                    None => {
                        tracing::warn!(constraint = ?info.constraint_name(), "unique violation without a rule");
                        ApiError::Conflict(
                            "another record with the same values already exists".to_owned(),
                        )
                    }
                }
            }
            E::DatabaseError(K::ForeignKeyViolation, _) => ApiError::Conflict(
                "the record refers to a row that does not exist, or is still referred to"
                    .to_owned(),
            ),
            E::DatabaseError(_, info) if is_busy(info.message()) => {
                ApiError::Unavailable("the database is busy; try again".to_owned())
            }
            other => ApiError::internal(format!("database: {other}")),
        }
    }
}

fn is_busy(message: &str) -> bool {
    message.contains("database is locked") || message.contains("database is busy")
}

impl From<zhucun_persistence::DbError> for ApiError {
    fn from(e: zhucun_persistence::DbError) -> Self {
        ApiError::internal(e)
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        tracing::warn!(error = %e, "database pool exhausted");
        ApiError::Unavailable("the database is busy; try again".to_owned())
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::internal(format!("blocking pool: {e}"))
    }
}

/// actix's own extractor errors (bad JSON, wrong content type, oversized body, bad path or query),
/// answered as problems with the field named where serde tells it.
pub fn json_error(err: actix_web::error::JsonPayloadError) -> ApiError {
    use actix_web::error::JsonPayloadError as J;
    match err {
        J::ContentType => {
            ApiError::UnsupportedMediaType("send the body as application/json".to_owned())
        }
        J::Overflow { .. } | J::OverflowKnownLength { .. } => ApiError::PayloadTooLarge,
        J::Deserialize(e) => serde_error(&e.to_string(), e.is_data()),
        other => ApiError::BadRequest(format!("cannot read the request body: {other}")),
    }
}

/// Turns serde's message into a field error when it names a field.
pub fn serde_error(message: &str, is_data: bool) -> ApiError {
    let clean = message
        .split(" at line ")
        .next()
        .unwrap_or(message)
        .to_owned();
    let quoted = |prefix: &str| {
        clean
            .strip_prefix(prefix)
            .and_then(|rest| rest.split('`').nth(1))
            .map(str::to_owned)
    };
    if let Some(field) = quoted("missing field ") {
        return zhucun_domain::validation::required(&field).into();
    }
    if let Some(field) = quoted("unknown field ") {
        return coded(&field, "unknown_field", "is not a field of this request");
    }
    if is_data {
        coded("body", "wrong_type", clean)
    } else {
        ApiError::BadRequest(format!("the body is not valid JSON: {clean}"))
    }
}

pub fn query_error(err: actix_web::error::QueryPayloadError) -> ApiError {
    let msg = err.to_string();
    let detail = msg
        .strip_prefix("Query deserialize error: ")
        .unwrap_or(&msg);
    if let Some(field) = detail
        .strip_prefix("unknown field `")
        .and_then(|r| r.split('`').next())
    {
        return coded(
            field,
            "unknown_parameter",
            "is not a parameter of this list",
        );
    }
    ApiError::BadRequest(format!("invalid query parameters: {detail}"))
}

pub fn path_error(err: actix_web::error::PathError) -> ApiError {
    let _ = err;
    ApiError::NotFound
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_become_field_errors() {
        let e = serde_error("missing field `name` at line 1 column 2", true);
        assert!(matches!(e, ApiError::Validation(ref v) if v.errors[0].field == "name"));
        let e = serde_error("unknown field `nmae`, expected one of `name`", true);
        assert!(matches!(e, ApiError::Validation(ref v) if v.errors[0].field == "nmae"));
        let e = serde_error("expected value at line 1 column 1", false);
        assert!(matches!(e, ApiError::BadRequest(_)));
    }

    #[test]
    fn internal_errors_hide_their_cause() {
        let p = ApiError::internal("secret table xyz").problem();
        assert!(!p.detail.contains("xyz"));
        assert_eq!(p.status, 500);
        assert_eq!(p.kind, format!("{PROBLEM_BASE}internal"));
    }
}
