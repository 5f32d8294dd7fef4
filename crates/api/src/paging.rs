//! List requests: opaque cursors over (typed sort key, id), page bounds, and the list envelope.
//! The sorts themselves (names, key kinds, keys of rows) live beside their queries in
//! `zhucun_persistence` (`SortBy`); this only parses and encodes.

use crate::error::ApiError;
use base64::Engine;
use serde::{Deserialize, Serialize};
use zhucun_persistence::keyset::{After, Key, PageRequest, SortBy};

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct CursorData {
    /// Which list the cursor belongs to (a short digest of the list's sort type).
    l: String,
    /// Which sort (with direction) the cursor belongs to; a cursor of another sort is rejected.
    s: String,
    k: Key,
    i: i64,
}

/// A short name of the list sorted by `S`, so a cursor of one list is refused by another that
/// happens to have a sort of the same name and kind.
fn list_tag<S: SortBy>() -> String {
    // FNV-1a over the type's name: stable within a build, which is all a cursor needs.
    let mut h: u32 = 0x811c_9dc5;
    for b in std::any::type_name::<S>().bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    format!("{h:08x}")
}

fn encode_cursor<S: SortBy>(sort: &str, key: Key, id: i64) -> String {
    let data = CursorData {
        l: list_tag::<S>(),
        s: sort.to_owned(),
        k: key,
        i: id,
    };
    let json = serde_json::to_vec(&data).unwrap_or_default();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json)
}

fn bad_cursor() -> ApiError {
    crate::error::coded(
        "cursor",
        "bad_cursor",
        "is not a cursor of this list with this sort; start again without it",
    )
}

fn decode_cursor<S: SortBy>(
    raw: Option<&str>,
    sort_key: &str,
    sort: S,
) -> Result<After<Key>, ApiError> {
    let Some(raw) = raw else {
        return Ok(After::Start);
    };
    if raw.is_empty() || raw.len() > 4096 {
        return Err(bad_cursor());
    }
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(raw)
        .map_err(|_| bad_cursor())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| bad_cursor())?;
    if data.l != list_tag::<S>() || data.s != sort_key || data.k.kind() != sort.kind() {
        return Err(bad_cursor());
    }
    if let Key::Text(t) = &data.k {
        // A forged cursor must not smuggle what text fields refuse (NUL breaks PostgreSQL).
        // Pinyin sort keys of 100-character names run to about 1000 bytes.
        if t.contains('\0') || t.len() > 2000 {
            return Err(bad_cursor());
        }
    }
    Ok(After::Row(data.k, data.i))
}

/// How many items a list has in all (with its filters): exact up to 1000, else "more than 1000".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[schema(example = json!({"count": 12, "exact": true}))]
pub struct ListTotal {
    /// The number of items; with `exact: false`, a lower bound (1000).
    #[schema(example = 12)]
    pub count: i64,
    /// False when the list has more than `count` items.
    pub exact: bool,
}

impl From<zhucun_persistence::total::Total> for ListTotal {
    fn from(t: zhucun_persistence::total::Total) -> Self {
        Self {
            count: t.count,
            exact: t.exact,
        }
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
            /// The list's total with the same filters, on the first page (without `cursor`);
            /// `null` on later pages.
            pub total: Option<$crate::paging::ListTotal>,
        }

        impl $crate::export::Envelope for $name {
            type Item = $item;
            fn new(
                items: Vec<$item>,
                next_cursor: Option<String>,
                total: Option<$crate::paging::ListTotal>,
            ) -> Self {
                Self {
                    items,
                    next_cursor,
                    total,
                }
            }
        }
    };
}

/// The parsed common list parameters of a list sorted by `S`.
pub struct ListRequest<S: SortBy> {
    pub page: PageRequest<S>,
    /// `name` or `-name`: the sort as the client wrote it, stored in cursors.
    sort_key: String,
}

impl<S: SortBy> ListRequest<S> {
    pub fn parse(
        limit: Option<i64>,
        sort: Option<&str>,
        cursor: Option<&str>,
    ) -> Result<Self, ApiError> {
        let limit = zhucun_domain::paging::limit(limit)?;
        let (default_name, default) = S::NAMES
            .first()
            .copied()
            .ok_or_else(|| ApiError::internal("a list without sorts"))?;
        let (name, field, descending) = match sort.map(str::trim).filter(|s| !s.is_empty()) {
            None => (default_name, default, S::DEFAULT_DESCENDING),
            Some(raw) => {
                let (descending, wanted) = match raw.strip_prefix('-') {
                    Some(rest) => (true, rest),
                    None => (false, raw),
                };
                let (name, field) = S::NAMES
                    .iter()
                    .copied()
                    .find(|(n, _)| *n == wanted)
                    .ok_or_else(|| {
                        let names: Vec<&str> = S::NAMES.iter().map(|(n, _)| *n).collect();
                        ApiError::from(zhucun_domain::validation::one_of("sort", &names))
                    })?;
                (name, field, descending)
            }
        };
        let sort_key = if descending {
            format!("-{name}")
        } else {
            name.to_owned()
        };
        let after = decode_cursor(cursor, &sort_key, field)?;
        Ok(Self {
            page: PageRequest {
                sort: field,
                descending,
                after,
                limit,
            },
            sort_key,
        })
    }

    /// The cursor after the page's last row when more rows follow.
    pub fn next_cursor(&self, has_more: bool, last: Option<&S::Row>) -> Option<String> {
        if !has_more {
            return None;
        }
        last.map(|row| encode_cursor::<S>(&self.sort_key, self.page.sort.key(row), S::row_id(row)))
    }

    /// The list envelope's parts: the items as the API shows them, the next cursor and the
    /// total (first page only).
    pub fn finish<T: From<S::Row>>(
        &self,
        page: zhucun_persistence::Page<S::Row>,
    ) -> (Vec<T>, Option<String>, Option<ListTotal>) {
        let next = self.next_cursor(page.has_more, page.items.last());
        let total = page.total.map(ListTotal::from);
        (page.items.into_iter().map(T::from).collect(), next, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zhucun_persistence::keyset::KeyKind;

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum S {
        Name,
        Number,
    }
    impl SortBy for S {
        type Row = (String, i64, i64);
        const NAMES: &'static [(&'static str, Self)] = &[("name", S::Name), ("number", S::Number)];
        fn kind(self) -> KeyKind {
            match self {
                S::Name => KeyKind::Text,
                S::Number => KeyKind::Int,
            }
        }
        fn key(self, row: &Self::Row) -> Key {
            match self {
                S::Name => Key::Text(row.0.clone()),
                S::Number => Key::Int(row.1),
            }
        }
        fn row_id(row: &Self::Row) -> i64 {
            row.2
        }
    }

    fn cursor_after(sort: Option<&str>, row: (String, i64, i64)) -> Option<String> {
        let req = ListRequest::<S>::parse(Some(1), sort, None).ok()?;
        req.next_cursor(true, Some(&row))
    }

    #[test]
    fn cursors_round_trip_and_reject_foreign_sorts() {
        let c = cursor_after(None, ("马格达村".into(), 3, 4));
        let back = ListRequest::<S>::parse(Some(1), None, c.as_deref()).map(|r| r.page.after);
        assert_eq!(back.ok(), Some(After::Row(Key::Text("马格达村".into()), 4)));
        assert!(ListRequest::<S>::parse(Some(1), Some("-name"), c.as_deref()).is_err());
        assert!(ListRequest::<S>::parse(Some(1), Some("number"), c.as_deref()).is_err());
        assert!(ListRequest::<S>::parse(Some(1), None, Some("garbage!")).is_err());
        assert!(ListRequest::<S>::parse(Some(1), None, Some("")).is_err());
        assert!(ListRequest::<S>::parse(Some(1), Some("password"), None).is_err());
    }

    #[test]
    fn forged_cursors_are_refused() {
        let forge = |json: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(json);
        // The right sort name with a key of the wrong kind.
        let tag = list_tag::<S>();
        let wrong_kind = forge(&format!(
            r#"{{"l":"{tag}","s":"number","k":{{"Text":"x"}},"i":1}}"#
        ));
        assert!(ListRequest::<S>::parse(Some(1), Some("number"), Some(&wrong_kind)).is_err());
        let nul = forge(&format!(
            r#"{{"l":"{tag}","s":"name","k":{{"Text":"a\u0000"}},"i":1}}"#
        ));
        assert!(ListRequest::<S>::parse(Some(1), None, Some(&nul)).is_err());
        let ok = forge(&format!(
            r#"{{"l":"{tag}","s":"number","k":{{"Int":7}},"i":1}}"#
        ));
        assert!(ListRequest::<S>::parse(Some(1), Some("number"), Some(&ok)).is_ok());
        let other_list = forge(r#"{"l":"00000000","s":"number","k":{"Int":7},"i":1}"#);
        assert!(ListRequest::<S>::parse(Some(1), Some("number"), Some(&other_list)).is_err());
    }
}
