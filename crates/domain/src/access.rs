//! The access policy: may this actor do this to this row? One pure function, tested as a table.
//!
//! Order of the checks matters and is part of the contract:
//! 1. another department's row does not exist for the actor (404, never 403: tenants must not even
//!    learn which ids exist elsewhere);
//! 2. a village-scoped row outside the actor's villages also does not exist for them (404);
//! 3. then the role decides whether the action is allowed (403 when it is not).

use crate::role::Role;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resource {
    Department,
    Office,
    User,
    Cadre,
    Village,
    Round,
    Team,
    TeamMember,
    Audit,
}

impl Resource {
    pub const ALL: [Resource; 9] = [
        Resource::Department,
        Resource::Office,
        Resource::User,
        Resource::Cadre,
        Resource::Village,
        Resource::Round,
        Resource::Team,
        Resource::TeamMember,
        Resource::Audit,
    ];

    /// Rows of these belong to one village; village-bound roles see only their villages' rows.
    pub fn is_village_scoped(self) -> bool {
        matches!(
            self,
            Resource::Village | Resource::Team | Resource::TeamMember
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    Read,
    Create,
    Update,
}

/// Which villages an actor may see.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VillageScope {
    /// Every village of the actor's department.
    All,
    /// Only these (a team user's villages during their memberships, a committee user's village).
    Only(Vec<i64>),
}

impl VillageScope {
    pub fn includes(&self, village_id: i64) -> bool {
        match self {
            VillageScope::All => true,
            VillageScope::Only(ids) => ids.contains(&village_id),
        }
    }
}

/// The authenticated user as the policy sees them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub user_id: i64,
    pub role: Role,
    pub department_id: i64,
    /// The installation's operator department may create other departments (tenants).
    pub operator: bool,
    pub villages: VillageScope,
}

/// The row an action touches: its tenant and, for village-scoped rows, its village.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub department_id: i64,
    pub village_id: Option<i64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    Allow,
    /// Answer as if the row did not exist.
    NotFound,
    /// The row is visible but the role may not do this.
    Forbidden,
}

/// What a role may do to a kind of row, ignoring which row.
fn role_allows(role: Role, action: Action, resource: Resource) -> bool {
    use Action::*;
    use Resource::*;
    match role {
        Role::Admin => match resource {
            Audit => action == Read,
            _ => true,
        },
        Role::Department => action == Read && !matches!(resource, User | Audit),
        // Team and committee members read the organisation of their own villages; the names of
        // cadres reach them through team memberships, not the cadre register with its phones.
        Role::Team | Role::VillageCommittee => {
            action == Read
                && matches!(
                    resource,
                    Department | Office | Village | Round | Team | TeamMember
                )
        }
        Role::Regional => action == Read && resource == Department,
    }
}

/// The decision for one row.
pub fn decide(actor: &Actor, action: Action, resource: Resource, target: &Target) -> Decision {
    // Creating a tenant has no tenant to compare with: only the operator's admins may.
    if resource == Resource::Department && action == Action::Create {
        return if actor.role == Role::Admin && actor.operator {
            Decision::Allow
        } else {
            Decision::Forbidden
        };
    }
    if target.department_id != actor.department_id {
        return Decision::NotFound;
    }
    if resource.is_village_scoped() {
        if let Some(village_id) = target.village_id {
            if !actor.villages.includes(village_id) {
                return Decision::NotFound;
            }
        }
    }
    if role_allows(actor.role, action, resource) {
        Decision::Allow
    } else if action == Action::Read {
        // A row the role may never read is hidden, not refused.
        Decision::NotFound
    } else {
        Decision::Forbidden
    }
}

/// How a list of `resource` must be narrowed for the actor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListScope {
    pub department_id: i64,
    /// `None`: every village of the department; `Some(ids)`: only rows of these villages.
    pub villages: Option<Vec<i64>>,
}

/// Whether the actor may list `resource` at all, and the narrowing every such list query applies.
pub fn list_scope(actor: &Actor, resource: Resource) -> Result<ListScope, Decision> {
    if !role_allows(actor.role, Action::Read, resource) {
        return Err(Decision::Forbidden);
    }
    let villages = match (&actor.villages, resource.is_village_scoped()) {
        (VillageScope::Only(ids), true) => Some(ids.clone()),
        _ => None,
    };
    Ok(ListScope {
        department_id: actor.department_id,
        villages,
    })
}

/// The village scope a role has, given the villages the user is linked to today.
pub fn scope_for(role: Role, linked_villages: Vec<i64>) -> VillageScope {
    match role {
        Role::Admin | Role::Department => VillageScope::All,
        Role::Team | Role::VillageCommittee => VillageScope::Only(linked_villages),
        Role::Regional => VillageScope::Only(Vec::new()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Decision::*;

    const OWN_DEPT: i64 = 1;
    const OTHER_DEPT: i64 = 2;
    const OWN_VILLAGE: i64 = 10;
    const OTHER_VILLAGE: i64 = 11;

    fn actor(role: Role) -> Actor {
        Actor {
            user_id: 7,
            role,
            department_id: OWN_DEPT,
            operator: false,
            villages: scope_for(role, vec![OWN_VILLAGE]),
        }
    }

    fn row(department_id: i64, resource: Resource, village: i64) -> Target {
        Target {
            department_id,
            village_id: resource.is_village_scoped().then_some(village),
        }
    }

    /// Expected decisions per role for (own row, other village of own dept, other department), by
    /// action, for every resource. `R`/`W` abbreviate the read and write expectations.
    fn expected(role: Role, resource: Resource, action: Action) -> [Decision; 3] {
        use Resource::*;
        let allowed = match role {
            Role::Admin => resource != Audit || action == Action::Read,
            Role::Department => action == Action::Read && !matches!(resource, User | Audit),
            Role::Team | Role::VillageCommittee => {
                action == Action::Read
                    && matches!(
                        resource,
                        Department | Office | Village | Round | Team | TeamMember
                    )
            }
            Role::Regional => action == Action::Read && resource == Department,
        };
        let refused = if action == Action::Read {
            NotFound
        } else {
            Forbidden
        };
        // A regional user is bound to no village at all: village rows never exist for them.
        let own = if role == Role::Regional && resource.is_village_scoped() {
            NotFound
        } else if allowed {
            Allow
        } else {
            refused
        };
        let village_bound = matches!(role, Role::Team | Role::VillageCommittee | Role::Regional);
        let other_village = if resource.is_village_scoped() && village_bound {
            NotFound
        } else {
            own
        };
        [own, other_village, NotFound]
    }

    #[test]
    fn access_table_every_role_resource_action() {
        let mut checked = 0;
        for role in Role::ALL {
            let a = actor(role);
            for resource in Resource::ALL {
                if resource == Resource::Department {
                    continue; // creation of tenants is tested separately below
                }
                for action in [Action::Read, Action::Create, Action::Update] {
                    let got = [
                        decide(&a, action, resource, &row(OWN_DEPT, resource, OWN_VILLAGE)),
                        decide(
                            &a,
                            action,
                            resource,
                            &row(OWN_DEPT, resource, OTHER_VILLAGE),
                        ),
                        decide(
                            &a,
                            action,
                            resource,
                            &row(OTHER_DEPT, resource, OWN_VILLAGE),
                        ),
                    ];
                    assert_eq!(
                        got,
                        expected(role, resource, action),
                        "{role:?} {action:?} {resource:?}"
                    );
                    checked += 1;
                }
            }
        }
        assert_eq!(checked, 5 * 8 * 3);
    }

    #[test]
    fn spot_checks_of_the_table() {
        // Spelled out, so the table above cannot silently agree with a wrong policy.
        let team = actor(Role::Team);
        let own = row(OWN_DEPT, Resource::Village, OWN_VILLAGE);
        let other = row(OWN_DEPT, Resource::Village, OTHER_VILLAGE);
        assert_eq!(decide(&team, Action::Read, Resource::Village, &own), Allow);
        assert_eq!(
            decide(&team, Action::Read, Resource::Village, &other),
            NotFound
        );
        assert_eq!(
            decide(&team, Action::Update, Resource::Village, &own),
            Forbidden
        );
        let admin = actor(Role::Admin);
        assert_eq!(
            decide(&admin, Action::Update, Resource::Village, &other),
            Allow
        );
        assert_eq!(
            decide(&admin, Action::Update, Resource::Audit, &own),
            Forbidden
        );
        let foreign = row(OTHER_DEPT, Resource::Village, OWN_VILLAGE);
        assert_eq!(
            decide(&admin, Action::Read, Resource::Village, &foreign),
            NotFound
        );
        let dept = actor(Role::Department);
        assert_eq!(decide(&dept, Action::Read, Resource::User, &own), NotFound);
        assert_eq!(
            decide(&dept, Action::Create, Resource::Village, &own),
            Forbidden
        );
    }

    #[test]
    fn only_operator_admins_create_departments() {
        let t = Target {
            department_id: 99,
            village_id: None,
        };
        let mut admin = actor(Role::Admin);
        assert_eq!(
            decide(&admin, Action::Create, Resource::Department, &t),
            Forbidden
        );
        admin.operator = true;
        assert_eq!(
            decide(&admin, Action::Create, Resource::Department, &t),
            Allow
        );
        let mut dept = actor(Role::Department);
        dept.operator = true;
        assert_eq!(
            decide(&dept, Action::Create, Resource::Department, &t),
            Forbidden
        );
        // Reading and updating a department follow tenancy like every other row.
        assert_eq!(
            decide(&admin, Action::Update, Resource::Department, &t),
            NotFound
        );
        let own = Target {
            department_id: OWN_DEPT,
            village_id: None,
        };
        assert_eq!(
            decide(&admin, Action::Update, Resource::Department, &own),
            Allow
        );
        assert_eq!(
            decide(
                &actor(Role::Regional),
                Action::Read,
                Resource::Department,
                &own
            ),
            Allow
        );
    }

    #[test]
    fn list_scopes() {
        let team = actor(Role::Team);
        assert_eq!(
            list_scope(&team, Resource::Village),
            Ok(ListScope {
                department_id: OWN_DEPT,
                villages: Some(vec![OWN_VILLAGE])
            })
        );
        assert_eq!(
            list_scope(&team, Resource::Round).map(|s| s.villages),
            Ok(None)
        );
        assert_eq!(list_scope(&team, Resource::User), Err(Forbidden));
        assert_eq!(list_scope(&team, Resource::Cadre), Err(Forbidden));
        assert_eq!(
            list_scope(&actor(Role::Admin), Resource::Village).map(|s| s.villages),
            Ok(None)
        );
        assert_eq!(
            list_scope(&actor(Role::Regional), Resource::Village),
            Err(Forbidden)
        );
        assert_eq!(
            list_scope(&actor(Role::Department), Resource::Audit),
            Err(Forbidden)
        );
        assert_eq!(
            list_scope(&actor(Role::Admin), Resource::Audit).map(|s| s.villages),
            Ok(None)
        );
    }
}
