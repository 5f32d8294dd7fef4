//! Field errors with stable codes: a client shows them in its own language by `code` (with
//! `params`), and `message` is the English fallback.

use serde::Serialize;

/// One problem with one field of a request, shown next to that field in forms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    /// Stable, snake_case: what a client translates (`too_long`, `between`, …).
    pub code: &'static str,
    /// Values the message names (`max`, `min`, `allowed`, …), for the translation.
    pub params: Vec<(&'static str, String)>,
    /// English, for people reading raw responses.
    pub message: String,
}

impl FieldError {
    /// The same error with a stable code and its parameters.
    pub fn coded(mut self, code: &'static str, params: Vec<(&'static str, String)>) -> Self {
        self.code = code;
        self.params = params;
        self
    }
}

/// `field` is missing.
pub fn required(field: &str) -> FieldError {
    field_error(field, "is required").coded("required", Vec::new())
}

/// `field` is empty where something is needed.
pub fn empty(field: &str) -> FieldError {
    field_error(field, "must not be empty").coded("empty", Vec::new())
}

/// `field` is longer than `max` characters.
pub fn too_long(field: &str, max: usize) -> FieldError {
    field_error(field, format!("must be at most {max} characters"))
        .coded("too_long", vec![("max", max.to_string())])
}

/// `field` is shorter than `min` characters.
pub fn too_short(field: &str, min: usize) -> FieldError {
    field_error(field, format!("must be at least {min} characters"))
        .coded("too_short", vec![("min", min.to_string())])
}

/// `field` is outside `min..=max`.
pub fn between(field: &str, min: impl ToString, max: impl ToString) -> FieldError {
    let (min, max) = (min.to_string(), max.to_string());
    field_error(field, format!("must be between {min} and {max}"))
        .coded("between", vec![("min", min), ("max", max)])
}

/// `field` is none of `allowed`.
pub fn one_of(field: &str, allowed: &[&str]) -> FieldError {
    let allowed = allowed.join(", ");
    field_error(field, format!("must be one of {allowed}"))
        .coded("one_of", vec![("allowed", allowed)])
}

/// `field` names no row of the caller's department that may be used here.
pub fn no_such(field: &str, entity: &str, active_only: bool) -> FieldError {
    let (code, message) = if active_only {
        (
            "no_such_active",
            format!("no such active {entity} in your department"),
        )
    } else {
        ("no_such", format!("no such {entity} in your department"))
    };
    field_error(field, message).coded(code, vec![("entity", entity.to_owned())])
}

/// Every field problem of a request, collected before anything is written.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Invalid {
    pub errors: Vec<FieldError>,
}

impl Invalid {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut v = Self::new();
        v.add(field, message);
        v
    }

    /// Adds a ready error (with its code).
    pub fn push(&mut self, e: FieldError) {
        self.errors.push(e);
    }

    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(field_error(field, message));
    }

    /// Keeps the value when it parsed, records the error otherwise.
    pub fn check<T>(&mut self, result: Result<T, FieldError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// `Ok(())` when nothing was wrong.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
}

impl std::fmt::Display for Invalid {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let parts: Vec<String> = self
            .errors
            .iter()
            .map(|e| format!("{}: {}", e.field, e.message))
            .collect();
        f.write_str(&parts.join("; "))
    }
}

impl std::error::Error for Invalid {}

/// An error without a specific code (`invalid`): give it one with [`FieldError::coded`] or use
/// the constructors above, so clients can show it in their language.
pub fn field_error(field: &str, message: impl Into<String>) -> FieldError {
    FieldError {
        field: field.to_owned(),
        code: "invalid",
        params: Vec::new(),
        message: message.into(),
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for FieldError {}
