use serde::{Deserialize, Serialize};

/// The five roles of PRODUCT.md. Stored and sent as their snake_case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The department's system administrator.
    Admin,
    /// Staff of the department's offices and its 驻村办.
    Department,
    /// A member of a work team (leaders are `team` with the leader flag on their membership).
    Team,
    /// A member of a village committee (村"两委").
    VillageCommittee,
    /// The regional strengthening office: aggregates only.
    Regional,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Department,
        Role::Team,
        Role::VillageCommittee,
        Role::Regional,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Department => "department",
            Role::Team => "team",
            Role::VillageCommittee => "village_committee",
            Role::Regional => "regional",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Some(role));
        }
        assert_eq!(Role::parse("root"), None);
        assert_eq!(Role::parse("Admin"), None);
    }
}
