//! Small pieces shared by the API's request and response types.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde::{Deserialize, Deserializer};

/// Stored UTC → RFC 3339 with `Z`.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    DateTime::<Utc>::from_naive_utc_and_offset(t, Utc)
}

/// For PATCH fields that may be cleared: absent → `None`, `null` → `Some(None)`.
pub fn some<'de, T, D>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// The patched value of a clearable field.
pub fn patch<T: Clone>(patch: &Option<Option<T>>, current: &Option<T>) -> Option<T> {
    match patch {
        None => current.clone(),
        Some(v) => v.clone(),
    }
}

/// `deactivated_at` after a patch of `active`.
pub fn deactivation(active: Option<bool>, current: Option<NaiveDateTime>) -> Option<NaiveDateTime> {
    match (active, current) {
        (Some(true), _) => None,
        (Some(false), None) => Some(zhucun_persistence::now()),
        (_, current) => current,
    }
}

/// The five roles, as the API names them (documentation of `role` fields; the rules live in
/// `zhucun_domain::Role`).
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RoleName {
    Admin,
    Department,
    Team,
    VillageCommittee,
    Regional,
}
