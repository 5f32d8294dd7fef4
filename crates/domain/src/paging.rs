//! Bounds of list requests: every list is paginated and no page is larger than [`MAX_LIMIT`].

use crate::validation::{field_error, FieldError};

pub const DEFAULT_LIMIT: i64 = 50;
pub const MAX_LIMIT: i64 = 500;

/// The page size a client asked for, or the default. Zero, negative and over-maximum are errors.
pub fn limit(requested: Option<i64>) -> Result<i64, FieldError> {
    match requested {
        None => Ok(DEFAULT_LIMIT),
        Some(n) if (1..=MAX_LIMIT).contains(&n) => Ok(n),
        Some(_) => Err(crate::validation::between("limit", 1, MAX_LIMIT)),
    }
}

/// Sort order requested as `field` or `-field`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sort<F> {
    pub field: F,
    pub descending: bool,
}

/// Parses `sort` against the fields a resource allows.
pub fn sort<F: Copy>(
    raw: Option<&str>,
    allowed: &[(&str, F)],
    default: F,
) -> Result<Sort<F>, FieldError> {
    let Some(raw) = raw.map(str::trim).filter(|s| !s.is_empty()) else {
        return Ok(Sort {
            field: default,
            descending: false,
        });
    };
    let (descending, name) = match raw.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, raw),
    };
    allowed
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, f)| Sort {
            field: *f,
            descending,
        })
        .ok_or_else(|| {
            let names: Vec<&str> = allowed.iter().map(|(n, _)| *n).collect();
            field_error(
                "sort",
                format!(
                    "must be one of {} (prefix with - for descending)",
                    names.join(", ")
                ),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limit_bounds() {
        assert_eq!(limit(None), Ok(50));
        assert_eq!(limit(Some(1)), Ok(1));
        assert_eq!(limit(Some(500)), Ok(500));
        assert!(limit(Some(501)).is_err());
        assert!(limit(Some(0)).is_err());
        assert!(limit(Some(-3)).is_err());
    }

    #[test]
    fn sort_parses_direction_and_rejects_unknown() {
        let allowed = [("name", 1), ("county", 2)];
        assert_eq!(
            sort(None, &allowed, 1).map(|s| (s.field, s.descending)),
            Ok((1, false))
        );
        assert_eq!(
            sort(Some("-county"), &allowed, 1).map(|s| (s.field, s.descending)),
            Ok((2, true))
        );
        assert!(sort(Some("password"), &allowed, 1).is_err());
    }
}
