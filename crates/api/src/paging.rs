//! List requests: opaque cursors over (sort value, id), page bounds, and the list envelope.

use crate::error::ApiError;
use base64::Engine;
use serde::{Deserialize, Serialize};
use zhucun_persistence::keyset::After;

#[derive(Serialize, Deserialize)]
struct CursorData {
    /// Which sort the cursor belongs to; a cursor of another sort is rejected.
    s: String,
    v: String,
    i: i64,
}

pub fn encode_cursor(sort: &str, value: &str, id: i64) -> String {
    let data = CursorData {
        s: sort.to_owned(),
        v: value.to_owned(),
        i: id,
    };
    let json = serde_json::to_vec(&data).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

pub fn decode_cursor(raw: Option<&str>, sort: &str) -> Result<After<String>, ApiError> {
    let Some(raw) = raw.filter(|s| !s.is_empty()) else {
        return Ok(After::Start);
    };
    let bad = || {
        ApiError::field(
            "cursor",
            "is not a cursor of this list with this sort; start again without it",
        )
    };
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .map_err(|_| bad())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| bad())?;
    if data.s != sort || data.v.contains('\0') {
        return Err(bad());
    }
    Ok(After::Row(data.v, data.i))
}

pub fn after_id(after: After<String>) -> Option<i64> {
    match after {
        After::Row(_, id) => Some(id),
        After::Start => None,
    }
}

/// Declares the list envelope of a resource, so each list has its own named schema.
#[macro_export]
macro_rules! list_type {
    ($name:ident, $item:ty) => {
        #[derive(Debug, serde::Serialize, utoipa::ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Pass as `cursor` to get the next page; `null` on the last page.
            pub next_cursor: Option<String>,
        }
    };
}

/// The name of a sort as clients write it: `field`, or `-field` for descending.
pub fn sort_name(descending: bool, name: &str) -> String {
    if descending {
        format!("-{name}")
    } else {
        name.to_owned()
    }
}

/// The parsed common list parameters of a resource sorted by fields of type `F`.
pub struct ListRequest<F> {
    pub limit: i64,
    pub field: F,
    pub descending: bool,
    pub sort_key: String,
    pub after: After<String>,
}

impl<F: Copy + PartialEq> ListRequest<F> {
    pub fn parse(
        limit: Option<i64>,
        sort: Option<&str>,
        cursor: Option<&str>,
        allowed: &[(&str, F)],
        default: F,
    ) -> Result<Self, ApiError> {
        let limit = zhucun_domain::paging::limit(limit)?;
        let s = zhucun_domain::paging::sort(sort, allowed, default)?;
        let name = allowed
            .iter()
            .find(|(_, f)| *f == s.field)
            .map(|(n, _)| *n)
            .unwrap_or("id");
        let sort_key = sort_name(s.descending, name);
        let after = decode_cursor(cursor, &sort_key)?;
        Ok(Self {
            limit,
            field: s.field,
            descending: s.descending,
            sort_key,
            after,
        })
    }

    /// The cursor after `last` when more rows follow.
    pub fn next<T>(
        &self,
        has_more: bool,
        last: Option<&T>,
        key: impl Fn(&T) -> (String, i64),
    ) -> Option<String> {
        if !has_more {
            return None;
        }
        last.map(|row| {
            let (value, id) = key(row);
            encode_cursor(&self.sort_key, &value, id)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_foreign_sorts() {
        let c = encode_cursor("name", "马格达村", 4);
        assert_eq!(
            decode_cursor(Some(&c), "name").ok(),
            Some(After::Row("马格达村".to_owned(), 4))
        );
        assert!(decode_cursor(Some(&c), "-name").is_err());
        assert!(decode_cursor(Some("garbage!"), "name").is_err());
        assert_eq!(decode_cursor(None, "name").ok(), Some(After::Start));
    }
}
