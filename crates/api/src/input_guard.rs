//! One guard for every request: no NUL (U+0000) in any text the API reads.
//!
//! PostgreSQL cannot store NUL in text and answers such a parameter with an error (a 500 before
//! this guard); SQLite would store it and cut strings short in C-based tools. No field of the API
//! has a use for it, so a request carrying one is a 400 validation problem (naming the query
//! parameter, or `path` or `body`) before any handler runs:
//! - the path and the query string: `%00` is the only percent-encoding of NUL (a raw NUL byte
//!   cannot pass the HTTP parser);
//! - JSON bodies: JSON can only carry NUL as the escape `\u0000` (raw control characters are
//!   invalid JSON), which is found by a scan that skips other escapes, so `\\u0000` (a backslash
//!   followed by the text "u0000") is not mistaken for one. Compressed bodies are decompressed
//!   here first (and handed on decompressed) so the scan sees what the JSON extractor will.
//! - headers cannot carry NUL at all (`http` refuses such a header value).
//!
//! Text that reaches the API encoded otherwise (a cursor is base64 of JSON) is checked where it
//! is decoded.

use crate::error::ApiError;
use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{Decompress, Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpMessage, ResponseError};
use futures_util::StreamExt;

/// Whether percent-encoded `text` decodes to something containing NUL.
pub fn has_encoded_nul(text: &str) -> bool {
    text.contains("%00") || text.contains('\0')
}

/// Whether a JSON text holds a NUL: an unescaped `\u0000` escape (or a raw NUL byte).
pub fn json_has_nul(json: &[u8]) -> bool {
    let mut i = 0;
    while let Some(&b) = json.get(i) {
        match b {
            0 => return true,
            b'\\' => {
                if json.get(i + 1) == Some(&b'u') && json.get(i + 2..i + 6) == Some(&b"0000"[..]) {
                    return true;
                }
                // Skips the escaped character, so `\\` never starts another escape.
                i += 2;
            }
            _ => i += 1,
        }
    }
    false
}

/// A validation problem naming where the NUL was: the query parameter, or `path` or `body`.
fn nul_problem(field: &str) -> ApiError {
    crate::error::coded(
        field,
        "nul_character",
        "must not contain a NUL character (U+0000), which no field accepts",
    )
}

/// The name of the (first) query parameter whose name or value holds an encoded NUL.
fn nul_parameter(query: &str) -> String {
    query
        .split('&')
        .find(|pair| has_encoded_nul(pair))
        .map(|pair| pair.split('=').next().unwrap_or_default())
        .filter(|name| {
            !name.is_empty()
                && name
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
        })
        .unwrap_or("query")
        .to_owned()
}

fn is_json(req: &ServiceRequest) -> bool {
    req.mime_type()
        .ok()
        .flatten()
        .is_some_and(|m| m.subtype() == "json" || m.suffix().is_some_and(|s| s == "json"))
}

/// Reads the whole (decompressed) body, at most `limit` bytes.
async fn read_body(req: &mut ServiceRequest, limit: usize) -> Result<Bytes, ApiError> {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge);
    }
    let mut stream = Decompress::from_headers(req.take_payload(), req.headers());
    let mut body = BytesMut::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk
            .map_err(|e| ApiError::BadRequest(format!("cannot read the request body: {e}")))?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge);
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

/// The middleware: refuses NUL in the path, the query string and JSON bodies.
pub async fn refuse_nul(
    mut req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, actix_web::Error> {
    let refusal = if has_encoded_nul(req.path()) {
        Some(nul_problem("path"))
    } else if has_encoded_nul(req.query_string()) {
        Some(nul_problem(&nul_parameter(req.query_string())))
    } else if is_json(&req) {
        match read_body(&mut req, crate::app::JSON_LIMIT).await {
            Err(e) => Some(e),
            Ok(body) if json_has_nul(&body) => Some(nul_problem("body")),
            Ok(body) => {
                // Handed on as read: decompressed, with its real length.
                let headers = req.headers_mut();
                headers.remove(header::CONTENT_ENCODING);
                headers.insert(header::CONTENT_LENGTH, HeaderValue::from(body.len()));
                req.set_payload(Payload::from(body));
                None
            }
        }
    } else {
        None
    };
    match refusal {
        Some(e) => Ok(req.into_response(e.error_response()).map_into_right_body()),
        None => next
            .call(req)
            .await
            .map(ServiceResponse::map_into_left_body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encoded_nul_in_paths_and_queries() {
        assert!(has_encoded_nul("q=%00"));
        assert!(has_encoded_nul("county=a%00b"));
        assert!(has_encoded_nul("/api/v1/villages/%00"));
        assert!(has_encoded_nul("q=%%00"));
        // "%2500" is the text "%00", not a NUL.
        assert!(!has_encoded_nul("q=%2500"));
        assert!(!has_encoded_nul("q=%E9%A9%AC&county=%E5%8E%BF"));
    }

    #[test]
    fn the_parameter_holding_nul_is_named() {
        assert_eq!(nul_parameter("limit=5&county=a%00"), "county");
        assert_eq!(nul_parameter("q=%00"), "q");
        assert_eq!(nul_parameter("a%00=1"), "query");
    }

    #[test]
    fn nul_escapes_in_json() {
        assert!(json_has_nul(br#"{"username":"a\u0000"}"#));
        assert!(json_has_nul(br#"{"a\u0000":1}"#));
        assert!(json_has_nul(br#"{"a":"\\\u0000"}"#));
        assert!(json_has_nul(b"{\"a\":\"\0\"}"));
        // An escaped backslash followed by the text u0000, and other escapes, are fine.
        assert!(!json_has_nul(br#"{"a":"\\u0000"}"#));
        assert!(!json_has_nul(br#"{"a":"\\\\u0000"}"#));
        assert!(json_has_nul(br#"{"a":"\u00000"}"#));
        assert!(!json_has_nul(br#"{"a":"\u0001\u0010"}"#));
        assert!(!json_has_nul(br#"{"a":"\u0F40\n\"\u00e9"}"#));
        assert!(!json_has_nul(br#"{"a":"\u000"}"#));
        assert!(!json_has_nul(br"\"));
    }
}
