//! Versions as entity tags: every versioned row answers with `ETag: "<version>"`, and an update
//! takes `If-Match` so two people editing the same row cannot silently overwrite each other.
//!
//! `If-Match` follows RFC 9110 §13.1.1: `*` matches any existing row; otherwise the header is a
//! list of entity-tags compared strongly, so a weak tag (`W/"3"`) never matches and a well-formed
//! tag of another version (or not of this API at all, `"abc"`) is a 412. Only a header that is not
//! a list of entity-tags is a 400. Absent means the client takes no precaution (curl users).

use crate::error::ApiError;
use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{FromRequest, HttpRequest, HttpResponse};
use futures_util::future::{ready, Ready};
use serde::Serialize;
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::{ObjectBuilder, Required, Type};

pub fn etag(version: i32) -> String {
    format!("\"{version}\"")
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

/// The `If-Match` precondition of an update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum IfMatch {
    /// No header: no precondition.
    #[default]
    Absent,
    /// `*`: any current version.
    Any,
    /// The strong tags the client sent (weak ones are dropped: they never match).
    Tags(Vec<String>),
}

impl IfMatch {
    /// Fails with 412 unless the row's `current` version is one the client names.
    pub fn check(&self, current: i32) -> Result<(), ApiError> {
        match self {
            IfMatch::Absent | IfMatch::Any => Ok(()),
            IfMatch::Tags(tags) => {
                let current = current.to_string();
                if tags.contains(&current) {
                    Ok(())
                } else {
                    Err(ApiError::PreconditionFailed)
                }
            }
        }
    }

    /// Parses the header value: `*` or `1#entity-tag` (RFC 9110 §8.8.3).
    pub fn parse(raw: &str) -> Result<IfMatch, ApiError> {
        let broken = || {
            crate::error::coded(
                "If-Match",
                "if_match_syntax",
                "must be * or a list of entity tags in quotes, e.g. \"3\"",
            )
        };
        let raw = raw.trim_matches([' ', '\t']);
        if raw == "*" {
            return Ok(IfMatch::Any);
        }
        let mut tags = Vec::new();
        let mut rest = raw;
        let mut seen = 0;
        loop {
            rest = rest.trim_start_matches([' ', '\t', ',']);
            if rest.is_empty() {
                break;
            }
            let (weak, tail) = match rest.strip_prefix("W/") {
                Some(t) => (true, t),
                None => (false, rest),
            };
            let tail = tail.strip_prefix('"').ok_or_else(broken)?;
            let end = tail.find('"').ok_or_else(broken)?;
            let opaque = &tail[..end];
            // etagc = %x21 / %x23-7E / obs-text
            if !opaque
                .bytes()
                .all(|b| b == 0x21 || (0x23..=0x7e).contains(&b) || b >= 0x80)
            {
                return Err(broken());
            }
            if !weak {
                tags.push(opaque.to_owned());
            }
            seen += 1;
            rest = tail[end + 1..].trim_start_matches([' ', '\t']);
            if !(rest.is_empty() || rest.starts_with(',')) {
                return Err(broken());
            }
        }
        if seen == 0 {
            return Err(broken());
        }
        Ok(IfMatch::Tags(tags))
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let mut values = req.headers().get_all(header::IF_MATCH).peekable();
        if values.peek().is_none() {
            return ready(Ok(IfMatch::Absent));
        }
        // Several header lines are one list (RFC 9110 §5.3).
        let mut joined = String::new();
        for v in values {
            let Ok(s) = v.to_str() else {
                return ready(Err(crate::error::coded(
                    "If-Match",
                    "header_unreadable",
                    "is not readable",
                )));
            };
            if !joined.is_empty() {
                joined.push(',');
            }
            joined.push_str(s);
        }
        ready(IfMatch::parse(&joined))
    }
}

impl utoipa::IntoParams for IfMatch {
    fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
        vec![ParameterBuilder::new()
            .name("If-Match")
            .parameter_in(ParameterIn::Header)
            .required(Required::False)
            .description(Some(
                "The `ETag` you loaded (e.g. `\"3\"`); a stale or foreign tag is a 412, `*` matches any version",
            ))
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .max_length(Some(1000))
                    .examples(["\"1\""]),
            ))
            .build()]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(raw: &str, version: i32) -> Option<bool> {
        IfMatch::parse(raw).ok().map(|m| m.check(version).is_ok())
    }

    #[test]
    fn if_match_follows_rfc_9110() {
        assert_eq!(matches("\"3\"", 3), Some(true));
        assert_eq!(matches("\"2\", \"3\"", 3), Some(true));
        assert_eq!(matches("\"2\",\"3\"", 3), Some(true));
        assert_eq!(matches("*", 9), Some(true));
        // Well-formed but not this version: 412, not 400.
        assert_eq!(matches("\"2\"", 3), Some(false));
        assert_eq!(matches("\"abc\"", 3), Some(false));
        assert_eq!(matches("\"a,b\"", 3), Some(false));
        // Weak tags never match for If-Match.
        assert_eq!(matches("W/\"3\"", 3), Some(false));
        assert_eq!(matches("W/\"3\", \"3\"", 3), Some(true));
        // Syntax errors: 400.
        for broken in ["abc", "3", "\"3", "\"3\" \"4\"", "", ",", "W/3", "\"3\"x"] {
            assert_eq!(matches(broken, 3), None, "{broken:?}");
        }
        assert!(IfMatch::Absent.check(1).is_ok());
    }
}
