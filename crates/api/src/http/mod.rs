//! HTTP conventions shared by every resource, one concern per file: request ids, versions as
//! `ETag` with `If-Match`, idempotent creates, and the SPA's precompressed assets. Each extractor
//! documents itself in OpenAPI (`params(IfMatch)`, `params(Idempotency)`), so a handler names it
//! once.

pub mod assets;
mod etag;
mod idempotency;
pub mod raw_url;
mod request_id;

pub use etag::{etag, json_with_etag, IfMatch};
pub use idempotency::{create_once, Created, Idempotency};
pub use request_id::{request_id, request_id_for, RequestId, REQUEST_ID};
