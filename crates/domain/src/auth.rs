//! Rules of logging in: what usernames and passwords look like, and the failed-login throttle.

use crate::validation::{field_error, FieldError};
use chrono::{Duration, NaiveDateTime};

pub const PASSWORD_MIN: usize = 10;
/// Bounds the work argon2 does for one request.
pub const PASSWORD_MAX: usize = 256;

/// Usernames are lower-case ASCII letters, digits, `.`, `_`, `-`; 3 to 64 of them.
pub fn username(raw: &str) -> Result<String, FieldError> {
    let v = raw.trim().to_ascii_lowercase();
    let ok = (3..=64).contains(&v.len())
        && v.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'.' | b'_' | b'-')
        });
    if ok {
        Ok(v)
    } else {
        Err(field_error(
            "username",
            "must be 3 to 64 characters: lower-case letters, digits, '.', '_' or '-'",
        )
        .coded("username_format", Vec::new()))
    }
}

/// A new password: long enough, not absurdly long, not the username.
pub fn new_password(field: &str, password: &str, username: &str) -> Result<(), FieldError> {
    let n = password.chars().count();
    if n < PASSWORD_MIN {
        return Err(crate::validation::too_short(field, PASSWORD_MIN));
    }
    if n > PASSWORD_MAX {
        return Err(crate::validation::too_long(field, PASSWORD_MAX));
    }
    if password.trim().eq_ignore_ascii_case(username.trim()) {
        return Err(field_error(field, "must not be the username")
            .coded("password_is_username", Vec::new()));
    }
    Ok(())
}

/// Failed logins allowed in a window before the username is locked for a while.
pub const FREE_FAILURES: i32 = 5;
pub const WINDOW_MINUTES: i64 = 15;
pub const MAX_LOCK_MINUTES: i64 = 60;

/// The throttle state of one username.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Throttle {
    pub failures: i32,
    pub window_started_at: NaiveDateTime,
    pub locked_until: Option<NaiveDateTime>,
}

/// Seconds until the username may try again, or `None` when it may now.
pub fn locked_for(state: Option<&Throttle>, now: NaiveDateTime) -> Option<u64> {
    let until = state?.locked_until?;
    if until > now {
        let secs = (until - now).num_seconds().max(1);
        u64::try_from(secs).ok()
    } else {
        None
    }
}

/// The state after one more failed login. From the sixth failure in a window on, each failure
/// locks the username for twice as long as the last (1, 2, 4 … minutes, at most an hour).
pub fn after_failure(state: Option<&Throttle>, now: NaiveDateTime) -> Throttle {
    let fresh = Throttle {
        failures: 1,
        window_started_at: now,
        locked_until: None,
    };
    let Some(s) = state else { return fresh };
    if is_spent(s, now) {
        return fresh;
    }
    let failures = s.failures.saturating_add(1);
    let locked_until = if failures > FREE_FAILURES {
        let exp = u32::try_from((failures - FREE_FAILURES - 1).min(6)).unwrap_or(6);
        let minutes = 2i64.pow(exp).min(MAX_LOCK_MINUTES);
        Some(now + Duration::minutes(minutes))
    } else {
        None
    };
    Throttle {
        failures,
        window_started_at: s.window_started_at,
        locked_until,
    }
}

/// One more guess at a password, counted *before* the password is checked so that parallel guesses
/// cannot all slip through: `Err(seconds)` while the username is locked (nothing is counted),
/// otherwise the state to store if the guess turns out wrong — which is stored at once. A right
/// guess then clears the state, as a successful login always has. At most `FREE_FAILURES + 1`
/// passwords are thus checked in a burst, then one per lock.
pub fn claim(state: Option<&Throttle>, now: NaiveDateTime) -> Result<Throttle, u64> {
    match locked_for(state, now) {
        Some(secs) => Err(secs),
        None => Ok(after_failure(state, now)),
    }
}

/// Whether the state no longer matters: its window is over and any lock has passed, so the next
/// failure starts afresh exactly as if there were no state (it may be deleted).
pub fn is_spent(state: &Throttle, now: NaiveDateTime) -> bool {
    now - state.window_started_at > Duration::minutes(WINDOW_MINUTES)
        && state.locked_until.is_none_or(|u| u <= now)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> NaiveDateTime {
        chrono::DateTime::from_timestamp(1_700_000_000, 0)
            .map(|d| d.naive_utc())
            .unwrap_or_default()
    }

    #[test]
    fn usernames() {
        assert_eq!(username(" Team_Magada "), Ok("team_magada".to_owned()));
        assert!(username("ab").is_err());
        assert!(username("马格达").is_err());
        assert!(username("a b c").is_err());
    }

    #[test]
    fn passwords() {
        assert!(new_password("p", "short", "u").is_err());
        assert!(new_password("p", "team_magada", "team_magada").is_err());
        assert!(new_password("p", "a long enough one", "u").is_ok());
        assert!(new_password("p", &"x".repeat(257), "u").is_err());
    }

    #[test]
    fn five_failures_are_free_then_locks_grow() {
        let now = t0();
        let mut s: Option<Throttle> = None;
        for _ in 0..FREE_FAILURES {
            s = Some(after_failure(s.as_ref(), now));
            assert_eq!(locked_for(s.as_ref(), now), None);
        }
        s = Some(after_failure(s.as_ref(), now));
        assert_eq!(locked_for(s.as_ref(), now), Some(60));
        s = Some(after_failure(s.as_ref(), now));
        assert_eq!(locked_for(s.as_ref(), now), Some(120));
        for _ in 0..20 {
            s = Some(after_failure(s.as_ref(), now));
        }
        assert_eq!(locked_for(s.as_ref(), now), Some(3600));
        // After the lock and the window pass, counting starts again.
        let later = now + Duration::hours(2);
        assert_eq!(locked_for(s.as_ref(), later), None);
        assert_eq!(after_failure(s.as_ref(), later).failures, 1);
    }

    #[test]
    fn claims_count_before_the_check_and_stop_at_the_lock() {
        let now = t0();
        let mut s: Option<Throttle> = None;
        let mut checked = 0;
        for _ in 0..24 {
            if let Ok(next) = claim(s.as_ref(), now) {
                checked += 1;
                s = Some(next);
            }
        }
        assert_eq!(checked, FREE_FAILURES + 1);
        assert_eq!(claim(s.as_ref(), now), Err(60));
        // The lock passes: one more guess, then a longer lock.
        let later = now + Duration::seconds(61);
        let next = claim(s.as_ref(), later);
        assert!(next.is_ok());
        assert_eq!(claim(next.ok().as_ref(), later), Err(120));
    }

    #[test]
    fn state_is_spent_when_window_and_lock_are_over() {
        let now = t0();
        let s = after_failure(None, now);
        assert!(!is_spent(&s, now + Duration::minutes(WINDOW_MINUTES)));
        assert!(is_spent(&s, now + Duration::minutes(WINDOW_MINUTES + 1)));
        let locked = Throttle {
            failures: 30,
            window_started_at: now,
            locked_until: Some(now + Duration::minutes(MAX_LOCK_MINUTES)),
        };
        assert!(!is_spent(
            &locked,
            now + Duration::minutes(WINDOW_MINUTES + 1)
        ));
        assert!(is_spent(&locked, now + Duration::minutes(MAX_LOCK_MINUTES)));
    }
}

/// What a user of each role must be linked to: a team user to their cadre record (their
/// memberships decide their villages), a committee user to their village.
pub fn role_links(
    role: crate::Role,
    village_id: Option<i64>,
    cadre_id: Option<i64>,
) -> Vec<FieldError> {
    use crate::Role;
    let mut errors = Vec::new();
    match role {
        Role::Team if cadre_id.is_none() => errors.push(
            field_error(
                "cadre_id",
                "is required for team users (their memberships decide their villages)",
            )
            .coded("required_for_team", Vec::new()),
        ),
        Role::VillageCommittee if village_id.is_none() => errors.push(
            field_error("village_id", "is required for village committee users")
                .coded("required_for_committee", Vec::new()),
        ),
        _ => {}
    }
    if village_id.is_some() && role != Role::VillageCommittee {
        errors.push(
            field_error(
                "village_id",
                "only village committee users are linked to a village",
            )
            .coded("only_committee_village", Vec::new()),
        );
    }
    errors
}

#[cfg(test)]
mod role_link_tests {
    use super::*;
    use crate::Role;

    #[test]
    fn links_by_role() {
        assert!(role_links(Role::Team, None, Some(1)).is_empty());
        assert_eq!(role_links(Role::Team, None, None).len(), 1);
        assert!(role_links(Role::VillageCommittee, Some(3), None).is_empty());
        assert_eq!(role_links(Role::VillageCommittee, None, None).len(), 1);
        assert_eq!(role_links(Role::Admin, Some(3), None).len(), 1);
        assert!(role_links(Role::Department, None, Some(2)).is_empty());
    }
}
