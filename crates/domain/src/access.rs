//! The access policy: may this actor do this to this row? One pure function, tested as a table.
//!
//! Order of the checks matters and is part of the contract:
//! 1. another department's row does not exist for the actor (404, never 403: tenants must not even
//!    learn which ids exist elsewhere);
//! 2. a village-scoped row outside the actor's villages also does not exist for them (404);
//! 3. then the role decides: a write the role may not make is a 403; a row of a kind the role may
//!    never read is hidden like a missing one (404), so ids cannot be probed. A *list* of such a
//!    kind is a 403 (`list_scope`): there is no id to hide, and the client learns it has no access.

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
    /// 村情调研: a village's figures for a year.
    Survey,
    /// 农牧户 with their category history and yearly checklist (personal data).
    Household,
    /// 结对认亲: a cadre paired with a household for a year.
    Pairing,
    /// 帮扶: what a cadre gave a household.
    Assistance,
    /// 驻村项目: a village's project and its stage pipeline.
    Project,
    /// 资金台账: an immutable entry of money or goods reaching or leaving a village.
    LedgerEntry,
    /// 捐赠方: a donor of the department, reused across ledger entries.
    Donor,
    /// 活动: a briefing, training, clinic, visit … a team held in its village.
    Activity,
    /// 群众诉求: a difficulty residents raised, and where it stands.
    Need,
    /// 合作社: a village's cooperative with its members, accounts and distributions.
    Cooperative,
    /// 四议两公开: a village matter and its six recorded steps.
    Decision,
    /// 村务公开: a village's disclosure (draft, published, withdrawn).
    Disclosure,
    /// 驻村考勤: a cadre's day in the village or away (one per cadre per day).
    Presence,
    /// 请假: a cadre's leave request and its approval.
    Leave,
    /// 交接: an outgoing team's handover document, signed by the incoming team's leader.
    Handover,
    /// API 客户端: a program reading with a client-credentials token (admins manage them).
    ApiClient,
    /// 区域统计 (`/stats/*`): aggregates of every department, no personal data.
    Statistics,
}

impl Resource {
    pub const ALL: [Resource; 26] = [
        Resource::Department,
        Resource::Office,
        Resource::User,
        Resource::Cadre,
        Resource::Village,
        Resource::Round,
        Resource::Team,
        Resource::TeamMember,
        Resource::Audit,
        Resource::Survey,
        Resource::Household,
        Resource::Pairing,
        Resource::Assistance,
        Resource::Project,
        Resource::LedgerEntry,
        Resource::Donor,
        Resource::Activity,
        Resource::Need,
        Resource::Cooperative,
        Resource::Decision,
        Resource::Disclosure,
        Resource::Presence,
        Resource::Leave,
        Resource::Handover,
        Resource::ApiClient,
        Resource::Statistics,
    ];

    /// Rows of these belong to one village; village-bound roles see only their villages' rows.
    pub fn is_village_scoped(self) -> bool {
        matches!(
            self,
            Resource::Village
                | Resource::Team
                | Resource::TeamMember
                | Resource::Survey
                | Resource::Household
                | Resource::Pairing
                | Resource::Assistance
                | Resource::Project
                | Resource::LedgerEntry
                | Resource::Activity
                | Resource::Need
                | Resource::Cooperative
                | Resource::Decision
                | Resource::Disclosure
                | Resource::Presence
                | Resource::Leave
                | Resource::Handover
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
    // Village work: teams record it for their villages, the department reads it all and may
    // correct it, the administrator only reads. The committee reads its village's surveys,
    // households, projects and activities (it is their village), not who of the department helps
    // whom with how much.
    // The ledger is public money: the committee reads its village's entries (and confirms their
    // receipt, a separate rule); entries are never changed, only reversed by a new entry (a
    // create). Donors are the department's, read by everyone who reads entries, added by those
    // who record donations, corrected by the department.
    if resource == LedgerEntry {
        return match role {
            Role::Team | Role::Department => action != Update,
            Role::Admin | Role::VillageCommittee => action == Read,
            Role::Regional => false,
        };
    }
    if resource == Donor {
        return match role {
            Role::Department => true,
            Role::Team => action != Update,
            Role::Admin | Role::VillageCommittee => action == Read,
            Role::Regional => false,
        };
    }
    // Needs are raised by the village's people: the committee raises and moves them as the team
    // does; the department sees every village's and may correct them.
    if resource == Need {
        return match role {
            Role::Team | Role::Department | Role::VillageCommittee => true,
            Role::Admin => action == Read,
            Role::Regional => false,
        };
    }
    // 四议两公开 and 村务公开 are the village's own self-government: the committee records the
    // steps and publishes; the team may help (enter a matter, correct its text, draft a
    // disclosure) — recording a step, publishing and withdrawing stay the committee's (a separate
    // rule in the handlers, 403 `committee_only`); the department and the administrator read.
    if matches!(resource, Decision | Disclosure) {
        return match role {
            Role::VillageCommittee | Role::Team => true,
            Role::Department | Role::Admin => action == Read,
            Role::Regional => false,
        };
    }
    // Days in the village and leave are the team's own record of itself: the team records them
    // (which cadre may record or decide what is a finer rule of the handlers: a cadre their own
    // days, a leader their team's; a leader approves short leave), the department reads them and
    // decides leave (longer leave only it), the administrator reads. The village committee does
    // not see them: they are the department's affair with its cadres, not the village's.
    if resource == Presence {
        return match role {
            Role::Team => true,
            Role::Department | Role::Admin => action == Read,
            Role::VillageCommittee | Role::Regional => false,
        };
    }
    if resource == Leave {
        return match role {
            Role::Team => true,
            Role::Department => action != Create,
            Role::Admin => action == Read,
            Role::VillageCommittee | Role::Regional => false,
        };
    }
    // The handover is the teams' and the department's document (the department may draft it
    // for a team); only the incoming team's leader signs it (a rule of the handler).
    if resource == Handover {
        return match role {
            Role::Team | Role::Department => true,
            Role::Admin => action == Read,
            Role::VillageCommittee | Role::Regional => false,
        };
    }
    // Region-wide statistics are the regional office's (and its `stats:read` API clients'): the
    // aggregates of every department. PRODUCT.md gives them to `regional` only; a department reads
    // its own figures in the annual report.
    if resource == Statistics {
        return role == Role::Regional && action == Read;
    }
    if is_village_work(resource) {
        return match role {
            Role::Team | Role::Department => true,
            Role::Admin => action == Read,
            Role::VillageCommittee => {
                action == Read
                    && matches!(
                        resource,
                        Survey | Household | Project | Activity | Cooperative
                    )
            }
            Role::Regional => false,
        };
    }
    match role {
        Role::Admin => match resource {
            Audit => action == Read,
            _ => true,
        },
        Role::Department => action == Read && !matches!(resource, User | Audit | ApiClient),
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

/// The records of the teams' work in villages (as opposed to the organisation that sends them).
fn is_village_work(resource: Resource) -> bool {
    matches!(
        resource,
        Resource::Survey
            | Resource::Household
            | Resource::Pairing
            | Resource::Assistance
            | Resource::Project
            | Resource::Activity
            | Resource::Cooperative
    )
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
    use super::Decision;
    use super::*;
    use Action::{Create, Read, Update};
    use Decision::*;
    use Resource::*;

    const OWN_DEPT: i64 = 1;
    const OTHER_DEPT: i64 = 2;
    const OWN_VILLAGE: i64 = 10;
    const OTHER_VILLAGE: i64 = 11;

    /// A user of `OWN_DEPT` linked to `OWN_VILLAGE`; not of the operator department.
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

    const A: Decision = Allow;
    const N: Decision = NotFound;
    const F: Decision = Forbidden;
    const ADMIN: Role = Role::Admin;
    const DEPT: Role = Role::Department;
    const TEAM: Role = Role::Team;
    const CMTE: Role = Role::VillageCommittee;
    const REGL: Role = Role::Regional;

    /// The access policy written out as data, from PRODUCT.md "Users and roles" and the module
    /// doc, not computed: for each role × resource × action the decisions for a row
    /// `[of the actor's own village, of another village of the actor's department, of another
    /// department]`. For resources that are not village-scoped the first two columns are the
    /// same row (a row of the own department); a `Create` targets the row to be created.
    ///
    /// Reading the spec: `admin` sees everything of its department and writes the organisation
    /// (offices, users, cadres, villages, rounds, teams and their members, its department);
    /// `department` sees every village but no user accounts and no audit, and writes nothing
    /// here; `team` / `village_committee` see only their own villages' village-scoped rows and
    /// the department-wide office/round lists, never the cadre register (phones) nor users;
    /// `regional` has no village and reads only its department row; nobody writes audit
    /// entries. Another department's rows never exist (`N`); a row the role may not read is
    /// hidden (`N`), a visible row the role may not write is refused (`F`).
    ///
    /// `Department/Create` (a new tenant) has no tenant to hide, so it is `F` in every column:
    /// these actors are not of the operator department. The operator's admins, the one case that
    /// is allowed, stay in `only_operator_admins_create_departments` below rather than widening
    /// every row of this grid with an operator column that would differ in a single row.
    #[rustfmt::skip]
    const GRID: &[(Role, Resource, Action, [Decision; 3])] = &[
        // role   resource     action   own village / other village / other department
        (ADMIN, Department, Read,   [A, A, N]),
        (ADMIN, Department, Create, [F, F, F]),
        (ADMIN, Department, Update, [A, A, N]),
        (ADMIN, Office,     Read,   [A, A, N]),
        (ADMIN, Office,     Create, [A, A, N]),
        (ADMIN, Office,     Update, [A, A, N]),
        (ADMIN, User,       Read,   [A, A, N]),
        (ADMIN, User,       Create, [A, A, N]),
        (ADMIN, User,       Update, [A, A, N]),
        (ADMIN, Cadre,      Read,   [A, A, N]),
        (ADMIN, Cadre,      Create, [A, A, N]),
        (ADMIN, Cadre,      Update, [A, A, N]),
        (ADMIN, Village,    Read,   [A, A, N]),
        (ADMIN, Village,    Create, [A, A, N]),
        (ADMIN, Village,    Update, [A, A, N]),
        (ADMIN, Round,      Read,   [A, A, N]),
        (ADMIN, Round,      Create, [A, A, N]),
        (ADMIN, Round,      Update, [A, A, N]),
        (ADMIN, Team,       Read,   [A, A, N]),
        (ADMIN, Team,       Create, [A, A, N]),
        (ADMIN, Team,       Update, [A, A, N]),
        (ADMIN, TeamMember, Read,   [A, A, N]),
        (ADMIN, TeamMember, Create, [A, A, N]),
        (ADMIN, TeamMember, Update, [A, A, N]),
        (ADMIN, Audit,      Read,   [A, A, N]),
        (ADMIN, Audit,      Create, [F, F, N]),
        (ADMIN, Audit,      Update, [F, F, N]),
        (ADMIN, Survey,     Read,   [A, A, N]),
        (ADMIN, Survey,     Create, [F, F, N]),
        (ADMIN, Survey,     Update, [F, F, N]),
        (ADMIN, Household,  Read,   [A, A, N]),
        (ADMIN, Household,  Create, [F, F, N]),
        (ADMIN, Household,  Update, [F, F, N]),
        (ADMIN, Pairing,    Read,   [A, A, N]),
        (ADMIN, Pairing,    Create, [F, F, N]),
        (ADMIN, Pairing,    Update, [F, F, N]),
        (ADMIN, Assistance, Read,   [A, A, N]),
        (ADMIN, Assistance, Create, [F, F, N]),
        (ADMIN, Assistance, Update, [F, F, N]),
        (ADMIN, Project,    Read,   [A, A, N]),
        (ADMIN, Project,    Create, [F, F, N]),
        (ADMIN, Project,    Update, [F, F, N]),
        (ADMIN, LedgerEntry, Read,  [A, A, N]),
        (ADMIN, LedgerEntry, Create,[F, F, N]),
        (ADMIN, LedgerEntry, Update,[F, F, N]),
        (ADMIN, Donor,      Read,   [A, A, N]),
        (ADMIN, Donor,      Create, [F, F, N]),
        (ADMIN, Donor,      Update, [F, F, N]),
        (ADMIN, Activity,   Read,   [A, A, N]),
        (ADMIN, Activity,   Create, [F, F, N]),
        (ADMIN, Activity,   Update, [F, F, N]),
        (ADMIN, Need,       Read,   [A, A, N]),
        (ADMIN, Need,       Create, [F, F, N]),
        (ADMIN, Need,       Update, [F, F, N]),
        (ADMIN, Cooperative, Read,   [A, A, N]),
        (ADMIN, Cooperative, Create, [F, F, N]),
        (ADMIN, Cooperative, Update, [F, F, N]),
        (ADMIN, Resource::Decision,Read,   [A, A, N]),
        (ADMIN, Resource::Decision,Create, [F, F, N]),
        (ADMIN, Resource::Decision,Update, [F, F, N]),
        (ADMIN, Disclosure, Read,   [A, A, N]),
        (ADMIN, Disclosure, Create, [F, F, N]),
        (ADMIN, Disclosure, Update, [F, F, N]),
        (ADMIN, Presence,   Read,   [A, A, N]),
        (ADMIN, Presence,   Create, [F, F, N]),
        (ADMIN, Presence,   Update, [F, F, N]),
        (ADMIN, Leave,      Read,   [A, A, N]),
        (ADMIN, Leave,      Create, [F, F, N]),
        (ADMIN, Leave,      Update, [F, F, N]),
        (ADMIN, Handover,   Read,   [A, A, N]),
        (ADMIN, Handover,   Create, [F, F, N]),
        (ADMIN, Handover,   Update, [F, F, N]),

        (DEPT,  Department, Read,   [A, A, N]),
        (DEPT,  Department, Create, [F, F, F]),
        (DEPT,  Department, Update, [F, F, N]),
        (DEPT,  Office,     Read,   [A, A, N]),
        (DEPT,  Office,     Create, [F, F, N]),
        (DEPT,  Office,     Update, [F, F, N]),
        (DEPT,  User,       Read,   [N, N, N]),
        (DEPT,  User,       Create, [F, F, N]),
        (DEPT,  User,       Update, [F, F, N]),
        (DEPT,  Cadre,      Read,   [A, A, N]),
        (DEPT,  Cadre,      Create, [F, F, N]),
        (DEPT,  Cadre,      Update, [F, F, N]),
        (DEPT,  Village,    Read,   [A, A, N]),
        (DEPT,  Village,    Create, [F, F, N]),
        (DEPT,  Village,    Update, [F, F, N]),
        (DEPT,  Round,      Read,   [A, A, N]),
        (DEPT,  Round,      Create, [F, F, N]),
        (DEPT,  Round,      Update, [F, F, N]),
        (DEPT,  Team,       Read,   [A, A, N]),
        (DEPT,  Team,       Create, [F, F, N]),
        (DEPT,  Team,       Update, [F, F, N]),
        (DEPT,  TeamMember, Read,   [A, A, N]),
        (DEPT,  TeamMember, Create, [F, F, N]),
        (DEPT,  TeamMember, Update, [F, F, N]),
        (DEPT,  Audit,      Read,   [N, N, N]),
        (DEPT,  Audit,      Create, [F, F, N]),
        (DEPT,  Audit,      Update, [F, F, N]),
        (DEPT,  Survey,     Read,   [A, A, N]),
        (DEPT,  Survey,     Create, [A, A, N]),
        (DEPT,  Survey,     Update, [A, A, N]),
        (DEPT,  Household,  Read,   [A, A, N]),
        (DEPT,  Household,  Create, [A, A, N]),
        (DEPT,  Household,  Update, [A, A, N]),
        (DEPT,  Pairing,    Read,   [A, A, N]),
        (DEPT,  Pairing,    Create, [A, A, N]),
        (DEPT,  Pairing,    Update, [A, A, N]),
        (DEPT,  Assistance, Read,   [A, A, N]),
        (DEPT,  Assistance, Create, [A, A, N]),
        (DEPT,  Assistance, Update, [A, A, N]),
        (DEPT,  Project,    Read,   [A, A, N]),
        (DEPT,  Project,    Create, [A, A, N]),
        (DEPT,  Project,    Update, [A, A, N]),
        (DEPT,  LedgerEntry, Read,  [A, A, N]),
        (DEPT,  LedgerEntry, Create,[A, A, N]),
        (DEPT,  LedgerEntry, Update,[F, F, N]),
        (DEPT,  Donor,      Read,   [A, A, N]),
        (DEPT,  Donor,      Create, [A, A, N]),
        (DEPT,  Donor,      Update, [A, A, N]),
        (DEPT,  Activity,   Read,   [A, A, N]),
        (DEPT,  Activity,   Create, [A, A, N]),
        (DEPT,  Activity,   Update, [A, A, N]),
        (DEPT,  Need,       Read,   [A, A, N]),
        (DEPT,  Need,       Create, [A, A, N]),
        (DEPT,  Need,       Update, [A, A, N]),
        (DEPT,  Cooperative, Read,   [A, A, N]),
        (DEPT,  Cooperative, Create, [A, A, N]),
        (DEPT,  Cooperative, Update, [A, A, N]),
        (DEPT,  Resource::Decision,Read,   [A, A, N]),
        (DEPT,  Resource::Decision,Create, [F, F, N]),
        (DEPT,  Resource::Decision,Update, [F, F, N]),
        (DEPT,  Disclosure, Read,   [A, A, N]),
        (DEPT,  Disclosure, Create, [F, F, N]),
        (DEPT,  Disclosure, Update, [F, F, N]),
        (DEPT,  Presence,   Read,   [A, A, N]),
        (DEPT,  Presence,   Create, [F, F, N]),
        (DEPT,  Presence,   Update, [F, F, N]),
        (DEPT,  Leave,      Read,   [A, A, N]),
        (DEPT,  Leave,      Create, [F, F, N]),
        (DEPT,  Leave,      Update, [A, A, N]),
        (DEPT,  Handover,   Read,   [A, A, N]),
        (DEPT,  Handover,   Create, [A, A, N]),
        (DEPT,  Handover,   Update, [A, A, N]),

        (TEAM,  Department, Read,   [A, A, N]),
        (TEAM,  Department, Create, [F, F, F]),
        (TEAM,  Department, Update, [F, F, N]),
        (TEAM,  Office,     Read,   [A, A, N]),
        (TEAM,  Office,     Create, [F, F, N]),
        (TEAM,  Office,     Update, [F, F, N]),
        (TEAM,  User,       Read,   [N, N, N]),
        (TEAM,  User,       Create, [F, F, N]),
        (TEAM,  User,       Update, [F, F, N]),
        (TEAM,  Cadre,      Read,   [N, N, N]),
        (TEAM,  Cadre,      Create, [F, F, N]),
        (TEAM,  Cadre,      Update, [F, F, N]),
        (TEAM,  Village,    Read,   [A, N, N]),
        (TEAM,  Village,    Create, [F, N, N]),
        (TEAM,  Village,    Update, [F, N, N]),
        (TEAM,  Round,      Read,   [A, A, N]),
        (TEAM,  Round,      Create, [F, F, N]),
        (TEAM,  Round,      Update, [F, F, N]),
        (TEAM,  Team,       Read,   [A, N, N]),
        (TEAM,  Team,       Create, [F, N, N]),
        (TEAM,  Team,       Update, [F, N, N]),
        (TEAM,  TeamMember, Read,   [A, N, N]),
        (TEAM,  TeamMember, Create, [F, N, N]),
        (TEAM,  TeamMember, Update, [F, N, N]),
        (TEAM,  Audit,      Read,   [N, N, N]),
        (TEAM,  Audit,      Create, [F, F, N]),
        (TEAM,  Audit,      Update, [F, F, N]),
        (TEAM,  Survey,     Read,   [A, N, N]),
        (TEAM,  Survey,     Create, [A, N, N]),
        (TEAM,  Survey,     Update, [A, N, N]),
        (TEAM,  Household,  Read,   [A, N, N]),
        (TEAM,  Household,  Create, [A, N, N]),
        (TEAM,  Household,  Update, [A, N, N]),
        (TEAM,  Pairing,    Read,   [A, N, N]),
        (TEAM,  Pairing,    Create, [A, N, N]),
        (TEAM,  Pairing,    Update, [A, N, N]),
        (TEAM,  Assistance, Read,   [A, N, N]),
        (TEAM,  Assistance, Create, [A, N, N]),
        (TEAM,  Assistance, Update, [A, N, N]),
        (TEAM,  Project,    Read,   [A, N, N]),
        (TEAM,  Project,    Create, [A, N, N]),
        (TEAM,  Project,    Update, [A, N, N]),
        (TEAM,  LedgerEntry, Read,  [A, N, N]),
        (TEAM,  LedgerEntry, Create,[A, N, N]),
        (TEAM,  LedgerEntry, Update,[F, N, N]),
        (TEAM,  Donor,      Read,   [A, A, N]),
        (TEAM,  Donor,      Create, [A, A, N]),
        (TEAM,  Donor,      Update, [F, F, N]),
        (TEAM,  Activity,   Read,   [A, N, N]),
        (TEAM,  Activity,   Create, [A, N, N]),
        (TEAM,  Activity,   Update, [A, N, N]),
        (TEAM,  Need,       Read,   [A, N, N]),
        (TEAM,  Need,       Create, [A, N, N]),
        (TEAM,  Need,       Update, [A, N, N]),
        (TEAM,  Cooperative, Read,   [A, N, N]),
        (TEAM,  Cooperative, Create, [A, N, N]),
        (TEAM,  Cooperative, Update, [A, N, N]),
        (TEAM,  Resource::Decision,Read,   [A, N, N]),
        (TEAM,  Resource::Decision,Create, [A, N, N]),
        (TEAM,  Resource::Decision,Update, [A, N, N]),
        (TEAM,  Disclosure, Read,   [A, N, N]),
        (TEAM,  Disclosure, Create, [A, N, N]),
        (TEAM,  Disclosure, Update, [A, N, N]),
        (TEAM,  Presence,   Read,   [A, N, N]),
        (TEAM,  Presence,   Create, [A, N, N]),
        (TEAM,  Presence,   Update, [A, N, N]),
        (TEAM,  Leave,      Read,   [A, N, N]),
        (TEAM,  Leave,      Create, [A, N, N]),
        (TEAM,  Leave,      Update, [A, N, N]),
        (TEAM,  Handover,   Read,   [A, N, N]),
        (TEAM,  Handover,   Create, [A, N, N]),
        (TEAM,  Handover,   Update, [A, N, N]),

        (CMTE,  Department, Read,   [A, A, N]),
        (CMTE,  Department, Create, [F, F, F]),
        (CMTE,  Department, Update, [F, F, N]),
        (CMTE,  Office,     Read,   [A, A, N]),
        (CMTE,  Office,     Create, [F, F, N]),
        (CMTE,  Office,     Update, [F, F, N]),
        (CMTE,  User,       Read,   [N, N, N]),
        (CMTE,  User,       Create, [F, F, N]),
        (CMTE,  User,       Update, [F, F, N]),
        (CMTE,  Cadre,      Read,   [N, N, N]),
        (CMTE,  Cadre,      Create, [F, F, N]),
        (CMTE,  Cadre,      Update, [F, F, N]),
        (CMTE,  Village,    Read,   [A, N, N]),
        (CMTE,  Village,    Create, [F, N, N]),
        (CMTE,  Village,    Update, [F, N, N]),
        (CMTE,  Round,      Read,   [A, A, N]),
        (CMTE,  Round,      Create, [F, F, N]),
        (CMTE,  Round,      Update, [F, F, N]),
        (CMTE,  Team,       Read,   [A, N, N]),
        (CMTE,  Team,       Create, [F, N, N]),
        (CMTE,  Team,       Update, [F, N, N]),
        (CMTE,  TeamMember, Read,   [A, N, N]),
        (CMTE,  TeamMember, Create, [F, N, N]),
        (CMTE,  TeamMember, Update, [F, N, N]),
        (CMTE,  Audit,      Read,   [N, N, N]),
        (CMTE,  Audit,      Create, [F, F, N]),
        (CMTE,  Audit,      Update, [F, F, N]),
        (CMTE,  Survey,     Read,   [A, N, N]),
        (CMTE,  Survey,     Create, [F, N, N]),
        (CMTE,  Survey,     Update, [F, N, N]),
        (CMTE,  Household,  Read,   [A, N, N]),
        (CMTE,  Household,  Create, [F, N, N]),
        (CMTE,  Household,  Update, [F, N, N]),
        (CMTE,  Pairing,    Read,   [N, N, N]),
        (CMTE,  Pairing,    Create, [F, N, N]),
        (CMTE,  Pairing,    Update, [F, N, N]),
        (CMTE,  Assistance, Read,   [N, N, N]),
        (CMTE,  Assistance, Create, [F, N, N]),
        (CMTE,  Assistance, Update, [F, N, N]),
        (CMTE,  Project,    Read,   [A, N, N]),
        (CMTE,  Project,    Create, [F, N, N]),
        (CMTE,  Project,    Update, [F, N, N]),
        (CMTE,  LedgerEntry, Read,  [A, N, N]),
        (CMTE,  LedgerEntry, Create,[F, N, N]),
        (CMTE,  LedgerEntry, Update,[F, N, N]),
        (CMTE,  Donor,      Read,   [A, A, N]),
        (CMTE,  Donor,      Create, [F, F, N]),
        (CMTE,  Donor,      Update, [F, F, N]),
        (CMTE,  Activity,   Read,   [A, N, N]),
        (CMTE,  Activity,   Create, [F, N, N]),
        (CMTE,  Activity,   Update, [F, N, N]),
        (CMTE,  Need,       Read,   [A, N, N]),
        (CMTE,  Need,       Create, [A, N, N]),
        (CMTE,  Need,       Update, [A, N, N]),
        (CMTE,  Cooperative, Read,   [A, N, N]),
        (CMTE,  Cooperative, Create, [F, N, N]),
        (CMTE,  Cooperative, Update, [F, N, N]),
        (CMTE,  Resource::Decision,Read,   [A, N, N]),
        (CMTE,  Resource::Decision,Create, [A, N, N]),
        (CMTE,  Resource::Decision,Update, [A, N, N]),
        (CMTE,  Disclosure, Read,   [A, N, N]),
        (CMTE,  Disclosure, Create, [A, N, N]),
        (CMTE,  Disclosure, Update, [A, N, N]),
        (CMTE,  Presence,   Read,   [N, N, N]),
        (CMTE,  Presence,   Create, [F, N, N]),
        (CMTE,  Presence,   Update, [F, N, N]),
        (CMTE,  Leave,      Read,   [N, N, N]),
        (CMTE,  Leave,      Create, [F, N, N]),
        (CMTE,  Leave,      Update, [F, N, N]),
        (CMTE,  Handover,   Read,   [N, N, N]),
        (CMTE,  Handover,   Create, [F, N, N]),
        (CMTE,  Handover,   Update, [F, N, N]),

        (REGL,  Department, Read,   [A, A, N]),
        (REGL,  Department, Create, [F, F, F]),
        (REGL,  Department, Update, [F, F, N]),
        (REGL,  Office,     Read,   [N, N, N]),
        (REGL,  Office,     Create, [F, F, N]),
        (REGL,  Office,     Update, [F, F, N]),
        (REGL,  User,       Read,   [N, N, N]),
        (REGL,  User,       Create, [F, F, N]),
        (REGL,  User,       Update, [F, F, N]),
        (REGL,  Cadre,      Read,   [N, N, N]),
        (REGL,  Cadre,      Create, [F, F, N]),
        (REGL,  Cadre,      Update, [F, F, N]),
        (REGL,  Village,    Read,   [N, N, N]),
        (REGL,  Village,    Create, [N, N, N]),
        (REGL,  Village,    Update, [N, N, N]),
        (REGL,  Round,      Read,   [N, N, N]),
        (REGL,  Round,      Create, [F, F, N]),
        (REGL,  Round,      Update, [F, F, N]),
        (REGL,  Team,       Read,   [N, N, N]),
        (REGL,  Team,       Create, [N, N, N]),
        (REGL,  Team,       Update, [N, N, N]),
        (REGL,  TeamMember, Read,   [N, N, N]),
        (REGL,  TeamMember, Create, [N, N, N]),
        (REGL,  TeamMember, Update, [N, N, N]),
        (REGL,  Audit,      Read,   [N, N, N]),
        (REGL,  Audit,      Create, [F, F, N]),
        (REGL,  Audit,      Update, [F, F, N]),
        (REGL,  Survey,     Read,   [N, N, N]),
        (REGL,  Survey,     Create, [N, N, N]),
        (REGL,  Survey,     Update, [N, N, N]),
        (REGL,  Household,  Read,   [N, N, N]),
        (REGL,  Household,  Create, [N, N, N]),
        (REGL,  Household,  Update, [N, N, N]),
        (REGL,  Pairing,    Read,   [N, N, N]),
        (REGL,  Pairing,    Create, [N, N, N]),
        (REGL,  Pairing,    Update, [N, N, N]),
        (REGL,  Assistance, Read,   [N, N, N]),
        (REGL,  Assistance, Create, [N, N, N]),
        (REGL,  Assistance, Update, [N, N, N]),
        (REGL,  Project,    Read,   [N, N, N]),
        (REGL,  Project,    Create, [N, N, N]),
        (REGL,  Project,    Update, [N, N, N]),
        (REGL,  LedgerEntry, Read,  [N, N, N]),
        (REGL,  LedgerEntry, Create,[N, N, N]),
        (REGL,  LedgerEntry, Update,[N, N, N]),
        (REGL,  Donor,      Read,   [N, N, N]),
        (REGL,  Donor,      Create, [F, F, N]),
        (REGL,  Donor,      Update, [F, F, N]),
        (REGL,  Activity,   Read,   [N, N, N]),
        (REGL,  Activity,   Create, [N, N, N]),
        (REGL,  Activity,   Update, [N, N, N]),
        (REGL,  Need,       Read,   [N, N, N]),
        (REGL,  Need,       Create, [N, N, N]),
        (REGL,  Need,       Update, [N, N, N]),
        (REGL,  Cooperative, Read,   [N, N, N]),
        (REGL,  Cooperative, Create, [N, N, N]),
        (REGL,  Cooperative, Update, [N, N, N]),
        (REGL,  Resource::Decision,Read,   [N, N, N]),
        (REGL,  Resource::Decision,Create, [N, N, N]),
        (REGL,  Resource::Decision,Update, [N, N, N]),
        (REGL,  Disclosure, Read,   [N, N, N]),
        (REGL,  Disclosure, Create, [N, N, N]),
        (REGL,  Disclosure, Update, [N, N, N]),
        (REGL,  Presence,   Read,   [N, N, N]),
        (REGL,  Presence,   Create, [N, N, N]),
        (REGL,  Presence,   Update, [N, N, N]),
        (REGL,  Leave,      Read,   [N, N, N]),
        (REGL,  Leave,      Create, [N, N, N]),
        (REGL,  Leave,      Update, [N, N, N]),
        (REGL,  Handover,   Read,   [N, N, N]),
        (REGL,  Handover,   Create, [N, N, N]),
        (REGL,  Handover,   Update, [N, N, N]),
        // API clients: only the department's admins manage them (regional ones: the operator's
        // admins, a rule of the handler); nobody else sees them.
        (ADMIN, ApiClient,  Read,   [A, A, N]),
        (ADMIN, ApiClient,  Create, [A, A, N]),
        (ADMIN, ApiClient,  Update, [A, A, N]),
        (DEPT,  ApiClient,  Read,   [N, N, N]),
        (DEPT,  ApiClient,  Create, [F, F, N]),
        (DEPT,  ApiClient,  Update, [F, F, N]),
        (TEAM,  ApiClient,  Read,   [N, N, N]),
        (TEAM,  ApiClient,  Create, [F, F, N]),
        (TEAM,  ApiClient,  Update, [F, F, N]),
        (CMTE,  ApiClient,  Read,   [N, N, N]),
        (CMTE,  ApiClient,  Create, [F, F, N]),
        (CMTE,  ApiClient,  Update, [F, F, N]),
        (REGL,  ApiClient,  Read,   [N, N, N]),
        (REGL,  ApiClient,  Create, [F, F, N]),
        (REGL,  ApiClient,  Update, [F, F, N]),
        // Statistics: regional only (a list is a 403 for the others, see `list_scope`).
        (ADMIN, Statistics, Read,   [N, N, N]),
        (ADMIN, Statistics, Create, [F, F, N]),
        (ADMIN, Statistics, Update, [F, F, N]),
        (DEPT,  Statistics, Read,   [N, N, N]),
        (DEPT,  Statistics, Create, [F, F, N]),
        (DEPT,  Statistics, Update, [F, F, N]),
        (TEAM,  Statistics, Read,   [N, N, N]),
        (TEAM,  Statistics, Create, [F, F, N]),
        (TEAM,  Statistics, Update, [F, F, N]),
        (CMTE,  Statistics, Read,   [N, N, N]),
        (CMTE,  Statistics, Create, [F, F, N]),
        (CMTE,  Statistics, Update, [F, F, N]),
        (REGL,  Statistics, Read,   [A, A, N]),
        (REGL,  Statistics, Create, [F, F, N]),
        (REGL,  Statistics, Update, [F, F, N]),
    ];

    const ACTIONS: [Action; 3] = [Read, Create, Update];

    #[test]
    fn access_grid_matches_decide() {
        let mut wrong = Vec::new();
        for &(role, resource, action, expected) in GRID {
            let a = actor(role);
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
            if got != expected {
                wrong.push(format!(
                    "{role:?} {resource:?} {action:?}: expected {expected:?}, decide says {got:?}"
                ));
            }
        }
        assert!(
            wrong.is_empty(),
            "{} grid rows disagree with the policy:\n{}",
            wrong.len(),
            wrong.join("\n")
        );
    }

    #[test]
    fn access_grid_covers_every_role_resource_action_once() {
        let mut missing = Vec::new();
        let mut repeated = Vec::new();
        for role in Role::ALL {
            for resource in Resource::ALL {
                for action in ACTIONS {
                    let rows = GRID
                        .iter()
                        .filter(|&&(r, res, act, _)| (r, res, act) == (role, resource, action))
                        .count();
                    let name = format!("{role:?} {resource:?} {action:?}");
                    match rows {
                        0 => missing.push(name),
                        1 => {}
                        n => repeated.push(format!("{name} ({n} rows)")),
                    }
                }
            }
        }
        assert!(
            missing.is_empty() && repeated.is_empty(),
            "the access grid must have exactly one row per role × resource × action;\n\
             missing: {missing:?}\nrepeated: {repeated:?}"
        );
        assert_eq!(
            GRID.len(),
            Role::ALL.len() * Resource::ALL.len() * ACTIONS.len()
        );
    }

    /// `Resource::ALL` and `Role::ALL` are what the grid is checked against. These matches are
    /// exhaustive on purpose (no `_` arm): a new variant does not compile until it is named here,
    /// which is the reminder to add it to `ALL` (and so to the grid).
    #[test]
    fn the_all_lists_name_every_variant_once() {
        let resources = Resource::ALL.map(|r| match r {
            Department
            | Office
            | User
            | Cadre
            | Village
            | Round
            | Team
            | TeamMember
            | Audit
            | Survey
            | Household
            | Pairing
            | Assistance
            | Project
            | LedgerEntry
            | Donor
            | Activity
            | Need
            | Cooperative
            | Resource::Decision
            | Disclosure
            | Presence
            | Leave
            | Handover
            | ApiClient
            | Statistics => r,
        });
        let roles = Role::ALL.map(|r| match r {
            Role::Admin
            | Role::Department
            | Role::Team
            | Role::VillageCommittee
            | Role::Regional => r,
        });
        for (i, r) in resources.iter().enumerate() {
            assert!(!resources[..i].contains(r), "{r:?} twice in Resource::ALL");
        }
        for (i, r) in roles.iter().enumerate() {
            assert!(!roles[..i].contains(r), "{r:?} twice in Role::ALL");
        }
    }

    #[test]
    fn only_operator_admins_create_departments() {
        let t = Target {
            department_id: 99,
            village_id: None,
        };
        let mut admin = actor(Role::Admin);
        assert_eq!(decide(&admin, Create, Department, &t), Forbidden);
        admin.operator = true;
        assert_eq!(decide(&admin, Create, Department, &t), Allow);
        // Even for a target in its own department (the grid's columns).
        let own = row(OWN_DEPT, Department, OWN_VILLAGE);
        assert_eq!(decide(&admin, Create, Department, &own), Allow);
        for role in [
            Role::Department,
            Role::Team,
            Role::VillageCommittee,
            Role::Regional,
        ] {
            let mut other = actor(role);
            other.operator = true;
            assert_eq!(
                decide(&other, Create, Department, &t),
                Forbidden,
                "{role:?}"
            );
        }
        // Being the operator widens nothing else: other tenants' rows still do not exist.
        assert_eq!(decide(&admin, Update, Department, &t), NotFound);
        assert_eq!(decide(&admin, Read, Department, &t), NotFound);
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
        assert!(list_scope(&actor(Role::Regional), Resource::Statistics).is_ok());
        for role in [
            Role::Admin,
            Role::Department,
            Role::Team,
            Role::VillageCommittee,
        ] {
            assert_eq!(
                list_scope(&actor(role), Resource::Statistics),
                Err(Forbidden),
                "{role:?}"
            );
        }
    }
}
