//! The access grid over HTTP, written as data: for every demo user and every organisation resource,
//! the status of reading, updating and creating a row of their own village (马格达村), of another
//! village of the same department (亚卡亚村) and of the other department (交通运输厅's 德吉村), and
//! what the resource's list shows them. One driver walks the grid; a new resource is one more
//! `Grid` (how to find its rows) with one row per user.

use crate::both_backends;
use crate::common::*;
use serde_json::{json, Value};
use std::collections::{BTreeSet, HashMap};

/// Every demo user, with the admin of their department (who sees all of its rows).
const USERS: [(&str, &str); 6] = [
    ("admin", "admin"),
    ("office_staff", "admin"),
    ("team_magada", "admin"),
    ("committee_magada", "admin"),
    ("regional", "admin"),
    ("jt_admin", "jt_admin"),
];

/// The three places a row can be at, seen from 财政厅's users (the columns of the grid).
const PLACES: [&str; 3] = [
    "own village (马格达村)",
    "other village (亚卡亚村)",
    "other department (德吉村)",
];

/// Who looks the rows of each place up: the admin of the place's department.
const PLACE_ADMIN: [&str; 3] = ["admin", "admin", "jt_admin"];

/// What a resource's list shows one user.
#[derive(Debug, Clone, Copy)]
enum L {
    /// 200; per place, whether that place's row is in it. Every item is one the user's department
    /// admin sees too; without the other village's row, every item is of the own village.
    Sees(&'static [bool]),
    /// Refused with this status.
    No(u16),
    /// The resource has no list of its own (team members: their GET is the team's list).
    Unlisted,
}

const Y: bool = true;
const N: bool = false;

/// One user's expectations: (user, GET per place, PATCH per place, POST per create attempt, list).
type Row = (
    &'static str,
    &'static [u16],
    &'static [u16],
    &'static [u16],
    L,
);

/// Ids the create bodies refer to, per place.
struct Fixtures {
    village: [i64; 3],
    /// The running team of the place's village.
    team: [i64; 3],
    /// The first day of that team's round.
    team_start: [String; 3],
    /// A round of the place's department in which its village has no team yet.
    free_round: [i64; 3],
    /// A cadre of the place's department in no team.
    spare_cadre: [i64; 3],
    /// A household of the place's village (inserted by `fixtures::household`).
    household: [i64; 3],
    /// The demo cooperative of the place's village.
    cooperative: [i64; 3],
}

/// The create attempts of a resource for one acting user: (path, body).
type Creates = fn(&Fixtures, &str) -> Vec<(String, Value)>;

struct Grid {
    /// The collection; a row is `{path}/{id}`.
    path: &'static str,
    /// The field that names a row, and the row's name at each place (empty: no rows, list only).
    key: &'static str,
    at: &'static [&'static str],
    /// The field a PATCH sets to its current value (a real write that changes nothing).
    field: &'static str,
    /// The row is the first member of the found team (`{path}/{id}/members[/{member_id}]`).
    members: bool,
    /// The list's field with an item's village, for the check of village-bound users.
    village: Option<&'static str>,
    creates: Creates,
    rows: &'static [Row],
}

const PASSWORD: &str = "long enough password";

/// The grid. Columns of GET/PATCH: [own village, other village, other department]; rows of
/// resources that have no village (offices, users, cadres, rounds, departments) are at the first
/// two places two rows of 财政厅. Derived from PRODUCT.md "Users and roles": only admins write the
/// organisation, `department` staff read all of it except user accounts, `team` / committee users
/// read their villages and the department-wide offices and rounds but neither the cadre register
/// nor users, `regional` reads only its department; another department's rows never exist (404).
/// A reference to another department's row in a create body is a validation error (400).
#[rustfmt::skip]
fn grids() -> Vec<Grid> {
    vec![
        Grid {
            path: "/api/v1/departments", key: "name", field: "name", members: false, village: None,
            at: &["西藏自治区财政厅", "西藏自治区财政厅", "西藏自治区交通运输厅"],
            // Only the operator department's admin creates tenants.
            creates: |_, user| vec![("/api/v1/departments".into(), json!({"name": format!("新部门{user}"),
                "admin_username": format!("first_{user}"), "admin_display_name": "管理员", "admin_password": PASSWORD}))],
            rows: &[
                // user              GET               PATCH             POST    list
                ("admin",            &[200, 200, 404], &[200, 200, 404], &[201], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("committee_magada", &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("regional",         &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 200], &[403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            path: "/api/v1/offices", key: "name", field: "name", members: false, village: None,
            at: &["驻村工作办公室", "预算处", "驻村工作办公室"],
            creates: |_, user| vec![("/api/v1/offices".into(), json!({"name": format!("新处室{user}")}))],
            rows: &[
                ("admin",            &[200, 200, 404], &[200, 200, 404], &[201], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("committee_magada", &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("regional",         &[404, 404, 404], &[403, 403, 404], &[403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 200], &[201], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            path: "/api/v1/users", key: "username", field: "display_name", members: false, village: None,
            at: &["committee_magada", "committee_yakaya", "jt_admin"],
            // A committee user of each place's village.
            creates: |f, user| (0..3).map(|p| ("/api/v1/users".into(), json!({"username": format!("new_{user}_{p}"),
                "display_name": "新村委会", "role": "village_committee", "password": PASSWORD, "village_id": f.village[p]}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[200, 200, 404], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[404, 404, 404], &[403, 403, 404], &[403, 403, 403], L::No(403)),
                ("team_magada",      &[404, 404, 404], &[403, 403, 404], &[403, 403, 403], L::No(403)),
                ("committee_magada", &[404, 404, 404], &[403, 403, 404], &[403, 403, 403], L::No(403)),
                ("regional",         &[404, 404, 404], &[403, 403, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 200], &[400, 400, 201], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            path: "/api/v1/cadres", key: "name", field: "name", members: false, village: None,
            // The leaders of the running teams of the three villages.
            at: &["次仁多吉", "达瓦", "顿珠"],
            creates: |_, user| vec![("/api/v1/cadres".into(), json!({"name": format!("新干部{user}")}))],
            rows: &[
                ("admin",            &[200, 200, 404], &[200, 200, 404], &[201], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[404, 404, 404], &[403, 403, 404], &[403], L::No(403)),
                ("committee_magada", &[404, 404, 404], &[403, 403, 404], &[403], L::No(403)),
                ("regional",         &[404, 404, 404], &[403, 403, 404], &[403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 200], &[201], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            path: "/api/v1/villages", key: "name", field: "name", members: false, village: Some("id"),
            at: &["马格达村", "亚卡亚村", "德吉村"],
            creates: |_, user| vec![("/api/v1/villages".into(), json!({"name": format!("新村{user}"),
                "prefecture": "拉萨市", "county": "城关区"}))],
            rows: &[
                ("admin",            &[200, 200, 404], &[200, 200, 404], &[201], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[403, 404, 404], &[403], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 200], &[201], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            path: "/api/v1/rounds", key: "name", field: "name", members: false, village: None,
            at: &["第8批", "第1批", "第1批"],
            creates: |_, _| vec![("/api/v1/rounds".into(), json!({"number": 90, "starts_on": "2011-10-01", "ends_on": "2012-09-30"}))],
            rows: &[
                ("admin",            &[200, 200, 404], &[200, 200, 404], &[201], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("committee_magada", &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("regional",         &[404, 404, 404], &[403, 403, 404], &[403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 200], &[201], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            path: "/api/v1/teams", key: "name", field: "name", members: false, village: Some("village_id"),
            at: &["驻马格达村工作队", "驻亚卡亚村工作队", "驻德吉村工作队"],
            // A team for each place's village in a round it has none in. The handler checks the
            // role before it looks at the village: village-bound users get 403 for any village.
            creates: |f, _| (0..3).map(|p| ("/api/v1/teams".into(),
                json!({"round_id": f.free_round[p], "village_id": f.village[p]}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[200, 200, 404], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[403, 404, 404], &[403, 403, 403], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403, 403, 403], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 200], &[400, 400, 201], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // GET is the team's member list, PATCH its first member.
            path: "/api/v1/teams", key: "name", field: "is_leader", members: true, village: None,
            at: &["驻马格达村工作队", "驻亚卡亚村工作队", "驻德吉村工作队"],
            creates: |f, _| (0..3).map(|p| (format!("/api/v1/teams/{}/members", f.team[p]),
                json!({"cadre_id": f.spare_cadre[p], "from_date": f.team_start[p]}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[200, 200, 404], &[201, 201, 404], L::Unlisted),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403, 403, 404], L::Unlisted),
                ("team_magada",      &[200, 404, 404], &[403, 404, 404], &[403, 404, 404], L::Unlisted),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403, 404, 404], L::Unlisted),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[404, 404, 404], L::Unlisted),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 200], &[404, 404, 201], L::Unlisted),
            ],
        },
        Grid {
            // Village work: the team of the village and the department write, the committee and
            // the admin read, `regional` gets aggregates elsewhere. Each user creates in a year
            // of its own (one survey per village per year).
            path: "/api/v1/surveys", key: "village_name", field: "population", members: false, village: Some("village_id"),
            at: &["马格达村", "亚卡亚村", "德吉村"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/surveys".into(), json!({"village_id": f.village[p],
                "year": survey_year(user), "population": 900, "households": 200, "poor_households": 0,
                "marginal_households": 4, "pasture_mu": "30000", "cultivated_mu": "800",
                "per_capita_income_fen": 1500000, "collective_income_fen": 30000000}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403, 403, 403], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // Households: village work like surveys. Personal data aside (tested in
            // households.rs), the same cells: the team of the village and the department write,
            // the committee and the admin read, `regional` gets nothing.
            path: "/api/v1/households", key: "head_name", field: "members", members: false, village: Some("village_id"),
            at: &["扎西次仁", "扎西多吉", "边巴次仁"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/households".into(), json!({"village_id": f.village[p],
                "head_name": format!("新户{user}"), "members": 3, "category": "poor",
                "category_since": "2016-01-01", "causes": ["illness"]}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403, 403, 403], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // The checklists of the villages one sees (the department's unmet list): list only;
            // a household's checklists are its sub-resource (COVERED_ELSEWHERE).
            path: "/api/v1/household-checks", key: "", field: "", members: false, village: None,
            at: &[],
            creates: |_, _| Vec::new(),
            rows: &[
                ("admin",            &[], &[], &[], L::Sees(&[])),
                ("office_staff",     &[], &[], &[], L::Sees(&[])),
                ("team_magada",      &[], &[], &[], L::Sees(&[])),
                ("committee_magada", &[], &[], &[], L::Sees(&[])),
                ("regional",         &[], &[], &[], L::No(403)),
                ("jt_admin",         &[], &[], &[], L::Sees(&[])),
            ],
        },
        Grid {
            // 结对认亲 and 帮扶 are village work whose names are personal data: the committee of the
            // village gets nothing (404 on reads, 403 on writes to its own village) and `regional`
            // nothing. A household of another department or of a village outside a team user's
            // villages in a create body is a 404 like a missing row (not a 400).
            path: "/api/v1/pairings", key: "household_name", field: "note", members: false, village: Some("village_id"),
            at: &["网格户马格达", "网格户亚卡亚", "网格户德吉"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/pairings".into(), json!({"household_id": f.household[p],
                "cadre_id": f.spare_cadre[p], "year": survey_year(user)}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 404], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 404], L::Sees(&[Y, N, N])),
                ("committee_magada", &[404, 404, 404], &[403, 404, 404], &[403, 403, 403], L::No(403)),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            path: "/api/v1/assistance", key: "household_name", field: "description", members: false, village: Some("village_id"),
            at: &["网格户马格达", "网格户亚卡亚", "网格户德吉"],
            creates: |f, _| (0..3).map(|p| ("/api/v1/assistance".into(), json!({"household_id": f.household[p],
                "cadre_id": f.spare_cadre[p], "given_on": "2019-05-01", "kind": "cash", "amount_fen": 10000,
                "description": "慰问金"}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 404], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 404], L::Sees(&[Y, N, N])),
                ("committee_magada", &[404, 404, 404], &[403, 404, 404], &[403, 403, 403], L::No(403)),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // 驻村项目: village work like surveys (the committee reads its village's projects).
            // The rows are demo projects the team and the department may still edit (proposed in
            // 马格达村, declared in 亚卡亚村). Stage moves are tested in projects.rs.
            path: "/api/v1/projects", key: "title", field: "budget_fen", members: false, village: Some("village_id"),
            at: &["马格达村饮水管网延伸工程", "亚卡亚村牦牛育肥基地", "德吉村通村公路维修"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/projects".into(), json!({"village_id": f.village[p],
                "year": 2019, "title": format!("新项目{user}"), "category": "infrastructure",
                "budget_fen": 10000000}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403, 403, 403], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // 资金台账: the committee reads its village's entries (confirming them is tested in
            // ledger.rs); entries are never changed (PATCH is 405 for everyone, before access).
            // The department creates allocations, the team expenditures (the kind decides who:
            // ledger.rs); a village of another department in the body is a 400.
            path: "/api/v1/ledger", key: "evidence", field: "evidence", members: false, village: Some("village_id"),
            at: &["财厅驻村〔2019〕21号", "藏财农〔2019〕45号", "交通厅驻村经费"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/ledger".into(), json!({"village_id": f.village[p],
                "date": "2020-03-01", "kind": if user.starts_with("team") { "expenditure" } else { "allocation" },
                "source": "finance", "amount_fen": 100}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[405, 405, 405], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[405, 405, 405], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[405, 405, 405], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[405, 405, 405], &[403, 403, 403], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[405, 405, 405], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[405, 405, 405], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // 捐赠方: the department's, read by everyone who reads the ledger, added by those who
            // record donations (department, team), corrected by the department.
            path: "/api/v1/donors", key: "name", field: "notes", members: false, village: None,
            at: &["西藏自治区红十字会", "镇江市民政局", "西藏交通建设爱心基金"],
            creates: |_, user| vec![("/api/v1/donors".into(), json!({"name": format!("捐赠方{user}"), "kind": "ngo"}))],
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 200, 404], &[403, 403, 404], &[201], L::Sees(&[Y, Y, N])),
                ("committee_magada", &[200, 200, 404], &[403, 403, 404], &[403], L::Sees(&[Y, Y, N])),
                ("regional",         &[404, 404, 404], &[403, 403, 404], &[403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // 合作社: village work like projects (the committee reads its village's).
            path: "/api/v1/cooperatives", key: "name", field: "notes", members: false, village: Some("village_id"),
            at: &["马格达村民族手工艺合作社", "亚卡亚村养殖专业合作社", "德吉村运输合作社"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/cooperatives".into(), json!({"village_id": f.village[p],
                "name": format!("新合作社{user}"), "kind": "other", "founded_on": "2020-01-01"}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403, 403, 403], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // GET is the cooperative's member list, PATCH its first member; a member is added
            // under the cooperative (another village's or department's is a 404).
            path: "/api/v1/cooperatives", key: "name", field: "note", members: true, village: None,
            at: &["马格达村民族手工艺合作社", "亚卡亚村养殖专业合作社", "德吉村运输合作社"],
            creates: |f, user| (0..3).map(|p| (format!("/api/v1/cooperatives/{}/members", f.cooperative[p]),
                json!({"name": format!("新成员{user}"), "joined_on": "2024-06-01", "cash_fen": 1000}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 404], L::Unlisted),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 404], L::Unlisted),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 404], L::Unlisted),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403, 404, 404], L::Unlisted),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[404, 404, 404], L::Unlisted),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[404, 404, 403], L::Unlisted),
            ],
        },
        Grid {
            // 活动: village work like projects (the committee reads its village's activities).
            path: "/api/v1/activities", key: "title", field: "participants", members: false, village: Some("village_id"),
            at: &["旺果节大学生就业政策宣讲", "电焊技能培训", "德吉村交通安全宣讲"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/activities".into(), json!({"village_id": f.village[p],
                "date": "2020-05-01", "kind": "meeting", "title": format!("新活动{user}"),
                "organiser": "驻村工作队", "participants": 10}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[403, 404, 404], &[403, 403, 403], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // 群众诉求: the village's team AND committee raise and correct them (the people come to
            // the committee); the department reads and corrects every village's; the admin reads;
            // `regional` gets nothing. Moves are tested in needs.rs.
            path: "/api/v1/needs", key: "description", field: "description", members: false, village: Some("village_id"),
            at: &["通村道路雨季塌方，车辆通行困难", "夏季牧场无电，希望安装太阳能发电设备", "村道路灯损坏，夜间出行不便"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/needs".into(), json!({"village_id": f.village[p],
                "raised_by": format!("村民{user}"), "raised_on": "2020-05-01", "category": "water",
                "description": "水管冻裂"}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[200, 200, 404], &[201, 201, 400], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // 四议两公开: the village's committee AND team put matters on record and correct them
            // (recording a step is the committee's: decisions.rs); the department and the admin
            // read; `regional` gets nothing.
            path: "/api/v1/decisions", key: "title", field: "title", members: false, village: Some("village_id"),
            at: &["通村道路养护分工", "夏季牧场轮牧方案", "村口便桥维修"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/decisions".into(), json!({"village_id": f.village[p],
                "title": format!("新事项{user}"), "description": "测试事项", "raised_on": "2020-05-01"}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // 村务公开: drafted by the village's committee or team (publishing and withdrawing are
            // the committee's: disclosures.rs); the department and the admin read; `regional` gets
            // nothing. The rows are the demo's drafts (only drafts are edited).
            path: "/api/v1/disclosures", key: "title", field: "title", members: false, village: Some("village_id"),
            at: &["马格达村村务公开草稿", "亚卡亚村村务公开草稿", "德吉村村务公开草稿"],
            creates: |f, user| (0..3).map(|p| ("/api/v1/disclosures".into(), json!({"village_id": f.village[p],
                "category": "general", "title": format!("新公开{user}"), "body": "测试公开内容",
                "period_from": "2020-01-01", "period_to": "2020-03-31"}))).collect(),
            rows: &[
                ("admin",            &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("office_staff",     &[200, 200, 404], &[403, 403, 404], &[403, 403, 403], L::Sees(&[Y, Y, N])),
                ("team_magada",      &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("committee_magada", &[200, 404, 404], &[200, 404, 404], &[201, 404, 400], L::Sees(&[Y, N, N])),
                ("regional",         &[404, 404, 404], &[404, 404, 404], &[403, 403, 403], L::No(403)),
                ("jt_admin",         &[404, 404, 200], &[404, 404, 403], &[403, 403, 403], L::Sees(&[N, N, Y])),
            ],
        },
        Grid {
            // Audit entries have no GET by id and no writes: the list only.
            path: "/api/v1/audit", key: "", field: "", members: false, village: None,
            at: &[],
            creates: |_, _| Vec::new(),
            rows: &[
                ("admin",            &[], &[], &[], L::Sees(&[])),
                ("office_staff",     &[], &[], &[], L::No(403)),
                ("team_magada",      &[], &[], &[], L::No(403)),
                ("committee_magada", &[], &[], &[], L::No(403)),
                ("regional",         &[], &[], &[], L::No(403)),
                ("jt_admin",         &[], &[], &[], L::Sees(&[])),
            ],
        },
    ]
}

/// A year no demo survey has, one per acting user.
fn survey_year(user: &str) -> i32 {
    2012 + USERS
        .iter()
        .position(|(u, _)| *u == user)
        .map_or(0, |p| p as i32)
}

/// Endpoints of one row that are not a resource's own `{id}` path, with the test that covers
/// their access.
const COVERED_ELSEWHERE: &[(&str, &str)] = &[
    (
        "/api/v1/imports/{kind}/template get",
        "imports::access_follows_the_create_rules",
    ),
    (
        "/api/v1/api-clients/{id} get",
        "api_clients::only_admins_manage_clients_and_regional_is_the_operators",
    ),
    (
        "/api/v1/api-clients/{id} patch",
        "api_clients::only_admins_manage_clients_and_regional_is_the_operators",
    ),
    (
        "/api/v1/public/villages/{id}/disclosures get",
        "disclosures::the_public_board_shows_nothing_unpublished_or_personal",
    ),
    (
        "/api/v1/public/disclosures/{id} get",
        "disclosures::the_public_board_shows_nothing_unpublished_or_personal",
    ),
    (
        "/api/v1/villages/{id}/surveys/compare get",
        "surveys::comparison_follows_access",
    ),
    (
        "/api/v1/households/{id}/categories get",
        "households::sub_resources_follow_access",
    ),
    (
        "/api/v1/households/{id}/checks get",
        "households::sub_resources_follow_access",
    ),
    (
        "/api/v1/projects/{id}/transitions post",
        "projects::the_stage_machine_over_http",
    ),
    (
        "/api/v1/projects/{id}/events get",
        "projects::events_follow_access",
    ),
    (
        "/api/v1/projects/{id}/transitions get",
        "projects::the_stage_machine_over_http",
    ),
    (
        "/api/v1/cooperatives/{id}/years get",
        "cooperatives::sub_resources_follow_access",
    ),
    (
        "/api/v1/cooperatives/{id}/distributions get",
        "cooperatives::sub_resources_follow_access",
    ),
    (
        "/api/v1/ledger/{id}/reversal post",
        "ledger::reversals_once_and_never_of_a_reversal",
    ),
    (
        "/api/v1/ledger/{id}/confirmation post",
        "ledger::only_the_villages_committee_confirms",
    ),
    (
        "/api/v1/needs/{id}/transitions post",
        "needs::the_needs_machine_over_http",
    ),
    // Days in the village, leave and the handover: per-user tables in their own files.
    (
        "/api/v1/leave/{id} get",
        "presence::who_records_and_who_sees",
    ),
    (
        "/api/v1/teams/{id}/handover get",
        "handovers::the_demo_handover_and_access",
    ),
    (
        "/api/v1/teams/{id}/handover patch",
        "handovers::the_demo_handover_and_access",
    ),
    (
        "/api/v1/teams/{id}/handover post",
        "handovers::the_demo_handover_and_access",
    ),
    (
        "/api/v1/teams/{id}/handover/sign post",
        "handovers::draft_sign_and_immutability",
    ),
    (
        "/api/v1/leave/{id}/approval post",
        "presence::leave_approval_limits_by_role",
    ),
    (
        "/api/v1/leave/{id}/refusal post",
        "presence::leave_approval_limits_by_role",
    ),
];

/// A row at one place: its id, where to read it, where to patch it, and a patch that keeps it.
struct At {
    id: i64,
    read: String,
    patch: String,
    body: Value,
}

/// The item of `list` whose `key` is `value`, as `token`'s user sees it.
async fn item(app: &TestApp, list: &str, token: &str, key: &str, value: &str) -> Value {
    let r = app.get(&format!("{list}?limit=500"), token).await;
    assert_eq!(r.status, 200, "{list}: {}", r.text());
    r.json()["items"]
        .as_array()
        .and_then(|items| items.iter().find(|i| i[key] == value))
        .cloned()
        .unwrap_or_else(|| panic!("no {key} = {value} in {list}"))
}

/// The ids of a list as `token`'s user gets it (an empty set unless 200).
async fn list_ids(app: &TestApp, path: &str, token: &str) -> (u16, BTreeSet<i64>, Vec<Value>) {
    let r = app.get(&format!("{path}?limit=500"), token).await;
    let items = r.json()["items"].as_array().cloned().unwrap_or_default();
    let ids = items.iter().filter_map(|i| i["id"].as_i64()).collect();
    (r.status.as_u16(), ids, items)
}

/// Sets `field` to the value it has in `row`.
fn keep(row: &Value, field: &str) -> Value {
    let mut body = serde_json::Map::new();
    body.insert(field.to_owned(), row[field].clone());
    Value::Object(body)
}

async fn locate(app: &TestApp, tokens: &HashMap<&str, String>, g: &Grid, place: usize) -> At {
    let token = &tokens[PLACE_ADMIN[place]];
    let row = item(app, g.path, token, g.key, g.at[place]).await;
    let id = row["id"].as_i64().unwrap();
    if g.members {
        let members = format!("{}/{id}/members", g.path);
        let r = app.get(&members, token).await;
        let first = r.json()["items"][0].clone();
        let member = first["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{members}: {}", r.text()));
        At {
            id: member,
            read: members.clone(),
            patch: format!("{members}/{member}"),
            body: keep(&first, g.field),
        }
    } else {
        let path = format!("{}/{id}", g.path);
        At {
            id,
            read: path.clone(),
            patch: path,
            body: keep(&row, g.field),
        }
    }
}

async fn created(app: &TestApp, token: &str, path: &str, body: Value) -> i64 {
    let r = app.post(path, token, &body).await;
    assert_eq!(r.status, 201, "setup POST {path}: {}", r.text());
    r.json()["id"].as_i64().unwrap()
}

/// Gives 交通运输厅 what the demo data leaves out (rounds, cadres, a team with a member) and each
/// department cadres in no team, then finds the ids the create bodies refer to.
async fn fixtures(app: &TestApp, tokens: &HashMap<&str, String>) -> Fixtures {
    let (fin, jt) = (&tokens["admin"], &tokens["jt_admin"]);
    let jt_round = created(
        app,
        jt,
        "/api/v1/rounds",
        json!({"number": 1, "name": "第1批", "starts_on": "2020-10-01", "ends_on": "2021-09-30"}),
    )
    .await;
    created(
        app,
        jt,
        "/api/v1/rounds",
        json!({"number": 2, "name": "第2批", "starts_on": "2021-10-01", "ends_on": "2022-09-30"}),
    )
    .await;
    let deji = item(app, "/api/v1/villages", jt, "name", "德吉村").await["id"].clone();
    let dunzhu = created(app, jt, "/api/v1/cadres", json!({"name": "顿珠"})).await;
    let jt_team = created(
        app,
        jt,
        "/api/v1/teams",
        json!({"round_id": jt_round, "village_id": deji, "name": "驻德吉村工作队"}),
    )
    .await;
    created(
        app,
        jt,
        &format!("/api/v1/teams/{jt_team}/members"),
        json!({"cadre_id": dunzhu, "is_leader": true, "from_date": "2020-10-01"}),
    )
    .await;
    let spare_cadre = [
        created(app, fin, "/api/v1/cadres", json!({"name": "候补甲"})).await,
        created(app, fin, "/api/v1/cadres", json!({"name": "候补乙"})).await,
        created(app, jt, "/api/v1/cadres", json!({"name": "候补丙"})).await,
    ];

    let mut village = [0; 3];
    let mut team = [0; 3];
    let mut team_start: [String; 3] = Default::default();
    let mut free_round = [0; 3];
    let team_names = ["驻马格达村工作队", "驻亚卡亚村工作队", "驻德吉村工作队"];
    let village_names = ["马格达村", "亚卡亚村", "德吉村"];
    for p in 0..3 {
        let token = &tokens[PLACE_ADMIN[p]];
        village[p] = app
            .find_id("/api/v1/villages", token, "name", village_names[p])
            .await;
        let t = item(app, "/api/v1/teams", token, "name", team_names[p]).await;
        team[p] = t["id"].as_i64().unwrap();
        let round = app
            .get(&format!("/api/v1/rounds/{}", t["round_id"]), token)
            .await
            .json();
        team_start[p] = round["starts_on"].as_str().unwrap().to_owned();
        let free = if p < 2 { "第1批" } else { "第2批" };
        free_round[p] = app.find_id("/api/v1/rounds", token, "name", free).await;
    }
    // A household with a pairing and an assistance record at each place, written as rows: the
    // households resource is another branch's (see `fixtures`), and 交通运输厅 has no user who may
    // create pairings through the API.
    let mut household = [0; 3];
    let mut conn = crate::fixtures::connect(app);
    let this_year = chrono::Datelike::year(&chrono::Utc::now().date_naive());
    for p in 0..3 {
        let name = ["网格户马格达", "网格户亚卡亚", "网格户德吉"][p];
        household[p] =
            crate::fixtures::household_in(&mut conn, village[p], name, &[("poor", "2016-01-01")]);
        crate::fixtures::pairing_row(&mut conn, household[p], spare_cadre[p], this_year);
        crate::fixtures::assistance_row(
            &mut conn,
            household[p],
            spare_cadre[p],
            "2025-12-01",
            20000,
        );
    }
    let mut cooperative = [0; 3];
    let cooperative_names = [
        "马格达村民族手工艺合作社",
        "亚卡亚村养殖专业合作社",
        "德吉村运输合作社",
    ];
    for p in 0..3 {
        cooperative[p] = app
            .find_id(
                "/api/v1/cooperatives",
                &tokens[PLACE_ADMIN[p]],
                "name",
                cooperative_names[p],
            )
            .await;
    }
    Fixtures {
        village,
        team,
        team_start,
        free_round,
        spare_cadre,
        household,
        cooperative,
    }
}

fn status_check(failures: &mut Vec<String>, what: String, expected: u16, r: &Resp) {
    if r.status.as_u16() != expected {
        failures.push(format!(
            "{what}: expected {expected}, got {}: {}",
            r.status.as_u16(),
            r.text()
        ));
    }
}

both_backends!(access_grid, |app: TestApp| async move {
    let mut tokens = HashMap::new();
    for (user, _) in USERS {
        tokens.insert(user, app.login(user).await);
    }
    let f = fixtures(&app, &tokens).await;
    let grids = grids();
    let mut at = Vec::new();
    for g in &grids {
        let mut rows = Vec::new();
        for place in 0..g.at.len() {
            rows.push(locate(&app, &tokens, g, place).await);
        }
        at.push(rows);
    }
    let mut failures = Vec::new();

    // Lists first, while nothing has been created by the rows below.
    for (g, at) in grids.iter().zip(&at) {
        let (_, fin_ids, _) = list_ids(&app, g.path, &tokens["admin"]).await;
        let (_, jt_ids, _) = list_ids(&app, g.path, &tokens["jt_admin"]).await;
        for &(user, _, _, _, list) in g.rows {
            let L::Sees(sees) = list else {
                if let L::No(expected) = list {
                    let r = app
                        .get(&format!("{}?limit=500", g.path), &tokens[user])
                        .await;
                    status_check(
                        &mut failures,
                        format!("{user} GET {}", g.path),
                        expected,
                        &r,
                    );
                }
                continue;
            };
            let (status, ids, items) = list_ids(&app, g.path, &tokens[user]).await;
            let what = format!("{user} GET {}", g.path);
            if status != 200 {
                failures.push(format!("{what}: expected 200, got {status}"));
                continue;
            }
            let (own, other) = if user == "jt_admin" {
                (&jt_ids, &fin_ids)
            } else {
                (&fin_ids, &jt_ids)
            };
            if !ids.is_subset(own) || !ids.is_disjoint(other) {
                failures.push(format!("{what}: rows outside the department: {ids:?}"));
            }
            for (place, (&expected, row)) in sees.iter().zip(at).enumerate() {
                if ids.contains(&row.id) != expected {
                    failures.push(format!(
                        "{what}: the row of the {} should {}be listed",
                        PLACES[place],
                        if expected { "" } else { "not " }
                    ));
                }
            }
            if let (Some(field), [true, false, ..]) = (g.village, sees) {
                if items.iter().any(|i| i[field] != f.village[0]) {
                    failures.push(format!("{what}: rows of other villages: {items:?}"));
                }
            }
        }
    }

    for (g, at) in grids.iter().zip(&at) {
        for &(user, reads, updates, creates, _) in g.rows {
            let token = &tokens[user];
            for (place, row) in at.iter().enumerate() {
                let r = app.get(&row.read, token).await;
                let what = format!("{user} GET {} at {}", row.read, PLACES[place]);
                status_check(&mut failures, what, reads[place], &r);
                let r = app.patch(&row.patch, token, None, &row.body).await;
                let what = format!(
                    "{user} PATCH {} {} at {}",
                    row.patch, row.body, PLACES[place]
                );
                status_check(&mut failures, what, updates[place], &r);
            }
            for (attempt, (path, body)) in (g.creates)(&f, user).into_iter().enumerate() {
                let r = app.post(&path, token, &body).await;
                let what = format!("{user} POST {path} {body} (attempt {attempt})");
                status_check(&mut failures, what, creates[attempt], &r);
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} cells of the access grid disagree:\n{}",
        failures.len(),
        failures.join("\n")
    );
});

/// The grid's shape: every resource has exactly one row per demo user, and every row as many
/// cells as the resource has places and create attempts.
#[test]
fn access_grid_has_a_row_per_user_and_a_cell_per_place() {
    let f = Fixtures {
        village: [1, 2, 3],
        team: [4, 5, 6],
        team_start: Default::default(),
        free_round: [7, 8, 9],
        spare_cadre: [10, 11, 12],
        household: [13, 14, 15],
        cooperative: [16, 17, 18],
    };
    for g in grids() {
        let users: Vec<&str> = g.rows.iter().map(|r| r.0).collect();
        let all: Vec<&str> = USERS.iter().map(|u| u.0).collect();
        assert_eq!(users, all, "{}: one row per user, in this order", g.path);
        for &(user, reads, updates, creates, list) in g.rows {
            let what = format!("{} {user}", g.path);
            assert_eq!(reads.len(), g.at.len(), "{what}: GET cells");
            assert_eq!(updates.len(), g.at.len(), "{what}: PATCH cells");
            assert_eq!(
                creates.len(),
                (g.creates)(&f, user).len(),
                "{what}: POST cells"
            );
            if let L::Sees(sees) = list {
                assert_eq!(sees.len(), g.at.len(), "{what}: list cells");
            }
        }
    }
}

/// Every path of the API that reads or changes one organisation row is in the grid: a new
/// resource's endpoints fail this until the resource has rows.
#[test]
fn access_grid_covers_every_row_endpoint() {
    let spec: Value =
        serde_json::from_str(include_str!("../../../../openapi/openapi.json")).unwrap();
    let mut in_grid = BTreeSet::new();
    for g in grids() {
        if g.at.is_empty() {
            in_grid.insert(format!("{} get", g.path));
        } else if g.members {
            in_grid.insert(format!("{}/{{id}}/members get", g.path));
            in_grid.insert(format!("{}/{{id}}/members/{{member_id}} patch", g.path));
        } else {
            in_grid.insert(format!("{}/{{id}} get", g.path));
            in_grid.insert(format!("{}/{{id}} patch", g.path));
        }
    }
    for (key, _) in COVERED_ELSEWHERE {
        in_grid.insert((*key).to_owned());
    }
    let mut missing = Vec::new();
    for (path, ops) in spec["paths"].as_object().unwrap() {
        for method in ["get", "patch"] {
            let key = format!("{path} {method}");
            if path.contains('{') && ops.get(method).is_some() && !in_grid.contains(&key) {
                missing.push(key);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "endpoints without rows in the access grid: {missing:?}"
    );
}

both_backends!(tenants_never_see_each_other, |app: TestApp| async move {
    let admin = app.login("admin").await;
    let jt = app.login("jt_admin").await;
    let depts = app.get("/api/v1/departments", &jt).await.json();
    assert_eq!(depts["items"].as_array().map(Vec::len), Some(1));
    assert_eq!(depts["items"][0]["name"], "西藏自治区交通运输厅");
    let fin_id = app.get("/api/v1/departments", &admin).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or(0);
    app.get(&format!("/api/v1/departments/{fin_id}"), &jt)
        .await
        .assert_problem(404, "not-found");
    let user_id = app
        .find_id("/api/v1/users", &admin, "username", "office_staff")
        .await;
    app.get(&format!("/api/v1/users/{user_id}"), &jt)
        .await
        .assert_problem(404, "not-found");
    app.patch(
        &format!("/api/v1/users/{user_id}"),
        &jt,
        None,
        &json!({"disabled": true}),
    )
    .await
    .assert_problem(404, "not-found");
    let team = app.get("/api/v1/teams?limit=1", &admin).await.json()["items"][0]["id"]
        .as_i64()
        .unwrap_or(0);
    app.get(&format!("/api/v1/teams/{team}/members"), &jt)
        .await
        .assert_problem(404, "not-found");
    // Linking to another department's rows is refused as if they did not exist.
    let magada = app
        .find_id("/api/v1/villages", &admin, "name", "马格达村")
        .await;
    let r = app
        .post(
            "/api/v1/users",
            &jt,
            &json!({"username": "sneaky", "display_name": "x", "role": "village_committee", "password": "long enough password", "village_id": magada}),
        )
        .await;
    assert_eq!(
        r.assert_problem(400, "validation")["errors"][0]["field"],
        "village_id"
    );
    let audit = app.get("/api/v1/audit?limit=500", &jt).await.json();
    assert!(audit["items"]
        .as_array()
        .is_some_and(|a| a.iter().all(|e| e["actor_username"] != "admin")));
});

both_backends!(
    team_users_see_villages_only_during_their_membership,
    |app: TestApp| async move {
        let admin = app.login("admin").await;
        let team_token = app.login("team_magada").await;
        let me = app.get("/api/v1/me", &team_token).await.json();
        assert_eq!(me["villages"][0]["name"], "马格达村");
        let magada = me["villages"][0]["id"].as_i64().unwrap_or(0);
        let cadre = me["cadre_id"].as_i64().unwrap_or(0);
        // End the membership yesterday: the village disappears for that user at once.
        let teams = app
            .get(
                &format!("/api/v1/teams?village_id={magada}&sort=-round"),
                &admin,
            )
            .await
            .json();
        let current = teams["items"][0]["id"].as_i64().unwrap_or(0);
        let members = app
            .get(&format!("/api/v1/teams/{current}/members"), &admin)
            .await
            .json();
        let m = members["items"]
            .as_array()
            .and_then(|a| a.iter().find(|m| m["cadre_id"] == cadre))
            .cloned()
            .unwrap_or_default();
        let yesterday = (chrono::Utc::now() - chrono::Duration::days(2)).date_naive();
        let r = app
            .patch(
                &format!("/api/v1/teams/{current}/members/{}", m["id"]),
                &admin,
                None,
                &json!({"to_date": yesterday.to_string()}),
            )
            .await;
        assert_eq!(r.status, 200, "{}", r.text());
        let me = app.get("/api/v1/me", &team_token).await.json();
        assert_eq!(me["villages"].as_array().map(Vec::len), Some(0), "{me}");
        app.get(&format!("/api/v1/villages/{magada}"), &team_token)
            .await
            .assert_problem(404, "not-found");
    }
);
