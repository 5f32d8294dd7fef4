//! The unique constraints a request can run into, by name, with the request field each one is
//! about. PostgreSQL reports the violated constraint's name; SQLite reports only the table and
//! columns (`UNIQUE constraint failed: rounds.department_id, rounds.number`), so each rule also
//! names those. A duplicate is then a 409 that points at the field, without reading prose.
//!
//! The names are PostgreSQL's defaults for the `UNIQUE (…)` clauses in the migrations
//! (`<table>_<columns>_key`); a test checks each against the live catalogue.

use diesel::result::DatabaseErrorInformation;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct UniqueRule {
    pub constraint: &'static str,
    pub table: &'static str,
    pub columns: &'static [&'static str],
    /// The request field the duplicate is about.
    pub field: &'static str,
    /// What is duplicated, for a person.
    pub message: &'static str,
}

pub const UNIQUE: &[UniqueRule] = &[
    UniqueRule {
        constraint: "decision_steps_decision_id_step_key",
        table: "decision_steps",
        columns: &["decision_id", "step"],
        field: "step",
        message: "this step of the decision is already recorded",
    },
    UniqueRule {
        constraint: "cooperatives_village_id_name_key",
        table: "cooperatives",
        columns: &["village_id", "name"],
        field: "name",
        message: "the village already has a cooperative with this name",
    },
    UniqueRule {
        constraint: "cooperative_members_cooperative_id_name_key",
        table: "cooperative_members",
        columns: &["cooperative_id", "name"],
        field: "name",
        message: "the cooperative already has a member with this name",
    },
    UniqueRule {
        constraint: "cooperative_distributions_cooperative_id_year_key",
        table: "cooperative_distributions",
        columns: &["cooperative_id", "year"],
        field: "year",
        message: "the cooperative already has a distribution for this year",
    },
    UniqueRule {
        constraint: "donors_department_id_name_key",
        table: "donors",
        columns: &["department_id", "name"],
        field: "name",
        message: "the department already has a donor with this name",
    },
    UniqueRule {
        constraint: "household_checks_household_id_year_key",
        table: "household_checks",
        columns: &["household_id", "year"],
        field: "year",
        message: "this household already has a checklist for this year",
    },
    UniqueRule {
        constraint: "departments_name_key",
        table: "departments",
        columns: &["name"],
        field: "name",
        message: "another department already has this name",
    },
    UniqueRule {
        constraint: "offices_department_id_name_key",
        table: "offices",
        columns: &["department_id", "name"],
        field: "name",
        message: "another office of the department already has this name",
    },
    UniqueRule {
        constraint: "villages_department_id_code_key",
        table: "villages",
        columns: &["department_id", "code"],
        field: "code",
        message: "another village of the department already has this administrative code",
    },
    UniqueRule {
        constraint: "rounds_department_id_number_key",
        table: "rounds",
        columns: &["department_id", "number"],
        field: "number",
        message: "the department already has a round with this number",
    },
    UniqueRule {
        constraint: "teams_round_id_village_id_key",
        table: "teams",
        columns: &["round_id", "village_id"],
        field: "village_id",
        message: "this village already has a team in this round",
    },
    UniqueRule {
        constraint: "users_username_key",
        table: "users",
        columns: &["username"],
        field: "username",
        message: "this username is taken (usernames are unique across the installation)",
    },
    UniqueRule {
        constraint: "village_surveys_village_id_year_key",
        table: "village_surveys",
        columns: &["village_id", "year"],
        field: "year",
        message: "this village already has a survey for this year; change that one instead",
    },
    UniqueRule {
        constraint: "pairings_household_id_cadre_id_year_key",
        table: "pairings",
        columns: &["household_id", "cadre_id", "year"],
        field: "cadre_id",
        message: "this cadre is already paired with this household for this year",
    },
    UniqueRule {
        constraint: "presence_days_cadre_id_day_key",
        table: "presence_days",
        columns: &["cadre_id", "day"],
        field: "from",
        message: "this cadre already has a record for this day",
    },
    UniqueRule {
        constraint: "handovers_outgoing_team_id_key",
        table: "handovers",
        columns: &["outgoing_team_id"],
        field: "team_id",
        message: "this team already has a handover",
    },
];

/// The rule a unique violation broke, if it is one a request can run into.
pub fn unique_rule(info: &dyn DatabaseErrorInformation) -> Option<&'static UniqueRule> {
    if let Some(name) = info.constraint_name() {
        return UNIQUE.iter().find(|r| r.constraint == name);
    }
    let columns = info.message().strip_prefix("UNIQUE constraint failed: ")?;
    let named: Vec<(&str, &str)> = columns
        .split(", ")
        .map(|c| c.split_once('.'))
        .collect::<Option<_>>()?;
    UNIQUE.iter().find(|r| {
        named.len() == r.columns.len()
            && named
                .iter()
                .zip(r.columns)
                .all(|((t, c), want)| *t == r.table && c == want)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Info(&'static str, Option<&'static str>);
    impl DatabaseErrorInformation for Info {
        fn message(&self) -> &str {
            self.0
        }
        fn details(&self) -> Option<&str> {
            None
        }
        fn hint(&self) -> Option<&str> {
            None
        }
        fn table_name(&self) -> Option<&str> {
            None
        }
        fn column_name(&self) -> Option<&str> {
            None
        }
        fn constraint_name(&self) -> Option<&str> {
            self.1
        }
        fn statement_position(&self) -> Option<i32> {
            None
        }
    }

    #[test]
    fn rules_are_found_by_name_or_by_sqlite_columns() {
        let pg = Info("duplicate key", Some("rounds_department_id_number_key"));
        assert_eq!(unique_rule(&pg).map(|r| r.field), Some("number"));
        let sqlite = Info(
            "UNIQUE constraint failed: teams.round_id, teams.village_id",
            None,
        );
        assert_eq!(unique_rule(&sqlite).map(|r| r.field), Some("village_id"));
        // Columns of another table, a subset, or a constraint not listed: no rule.
        assert!(unique_rule(&Info("UNIQUE constraint failed: teams.round_id", None)).is_none());
        assert!(unique_rule(&Info("UNIQUE constraint failed: x.name", None)).is_none());
        assert!(unique_rule(&Info("whatever", Some("other_key"))).is_none());
    }
}
