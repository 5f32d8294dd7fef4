import type { Role } from "../auth/AuthContext";

export type NavKey = "users" | "offices" | "cadres" | "villages" | "rounds" | "teams" | "audit" | "statistics" | "households" | "pairingCoverage" | "projects" | "ledger" | "ledgerPending" | "cooperatives" | "activities" | "needs" | "needsOverview" | "decisions" | "disclosures" | "disclosureCalendar" | "presence" | "reports" | "apiClients";

/** What each role finds in the menu; the server enforces the same rules on every request. */
export const NAV_BY_ROLE: Record<Role, NavKey[]> = {
  admin: ["users", "offices", "cadres", "villages", "households", "projects", "ledger", "cooperatives", "activities", "needsOverview", "decisions", "disclosures", "disclosureCalendar", "presence", "pairingCoverage", "rounds", "teams", "audit", "apiClients", "reports"],
  department: ["villages", "households", "projects", "ledger", "cooperatives", "activities", "needsOverview", "decisions", "disclosures", "disclosureCalendar", "presence", "pairingCoverage", "rounds", "teams", "cadres", "reports"],
  team: ["households", "projects", "ledger", "cooperatives", "activities", "needs", "decisions", "disclosures", "disclosureCalendar", "presence", "reports"],
  village_committee: ["ledgerPending", "households", "projects", "ledger", "cooperatives", "activities", "needs", "decisions", "disclosures", "disclosureCalendar", "reports"],
  regional: ["statistics"],
};

export const NAV_PATH: Record<NavKey, string> = {
  users: "/users",
  offices: "/offices",
  cadres: "/cadres",
  villages: "/villages",
  rounds: "/rounds",
  teams: "/teams",
  audit: "/audit",
  statistics: "/statistics",
  households: "/households",
  pairingCoverage: "/pairings/coverage",
  projects: "/projects",
  ledger: "/ledger",
  ledgerPending: "/ledger/pending",
  cooperatives: "/cooperatives",
  activities: "/activities",
  needs: "/needs",
  needsOverview: "/needs/overview",
  decisions: "/decisions",
  disclosures: "/disclosures",
  disclosureCalendar: "/disclosures/calendar",
  presence: "/presence",
  reports: "/reports/annual",
  apiClients: "/api-clients",
};

export const ADMIN: Role[] = ["admin"];
export const STAFF: Role[] = ["admin", "department"];
export const VILLAGE_USERS: Role[] = ["admin", "department", "team", "village_committee"];
export const COMMITTEE: Role[] = ["village_committee"];
/** 驻村考勤, leave and the handover: the team, the department and the admin; never the committee. */
export const PRESENCE_READERS: Role[] = ["admin", "department", "team"];
/** Who reads the annual report (the server answers 403 to regional users: they get statistics). */
export const REPORT_READERS: Role[] = VILLAGE_USERS;

/** Team and committee users work in their own village(s) only. */
export function isVillageUser(role: Role | undefined): boolean {
  return role === "team" || role === "village_committee";
}

export type { Role };

export type Resource = "villages" | "rounds" | "teams" | "cadres" | "users" | "offices" | "surveys" | "households" | "pairings" | "assistance" | "projects" | "ledger" | "cooperatives" | "activities" | "needs";

/** Who may create and edit each resource (the server enforces the same on every write). */
export const WRITERS: Record<Resource, Role[]> = {
  villages: ADMIN,
  rounds: ADMIN,
  teams: ADMIN,
  cadres: STAFF,
  users: ADMIN,
  offices: ADMIN,
  // Village work: the team records its villages' (the server checks which), the department corrects;
  // the administrator and the village committee only read.
  surveys: ["team", "department"],
  // 农牧户, 结对认亲, 帮扶: the same rule (crates/domain/src/access.rs).
  households: ["team", "department"],
  pairings: ["team", "department"],
  assistance: ["team", "department"],
  // 驻村项目: the team proposes and edits until declared, the department until accepted; the
  // committee reads its village's (crates/domain/src/project.rs decides who moves which stage).
  projects: ["team", "department"],
  // 资金台账: the department records allocations, the team expenditures and donations (kindsFor in
  // features/ledger/api.ts); entries are never edited, only reversed. The committee confirms receipt.
  ledger: ["team", "department"],
  // 合作社: the team of the village records members, accounts and distributions, the department
  // corrects; the administrator and the committee read (crates/domain/src/access.rs).
  cooperatives: ["team", "department"],
  // 活动: the team records its villages' activities, the department corrects; the rest read.
  activities: ["team", "department"],
  // 群众诉求: the team and the committee of the village raise and move its needs, the department
  // any village's; the administrator reads (crates/domain/src/access.rs).
  needs: ["team", "village_committee", "department"],
};

/** Who reads pairings and assistance: the committee does not (the server answers 404 to it). */
export const PAIRING_READERS: Role[] = ["admin", "department", "team"];

/** The one role check pages use for their edit/new buttons. */
export function canWrite(role: Role | undefined, resource: Resource): boolean {
  return role !== undefined && WRITERS[resource].includes(role);
}

// issue 13: Excel import. Who imports each kind: those who may create such rows (crates/domain/src/access.rs),
// since every imported row is a create or an update checked by the same rules.
export type ImportResource = "households" | "cadres" | "villages";
export const IMPORT_WRITERS: Record<ImportResource, Role[]> = {
  households: ["team", "department"],
  cadres: ADMIN,
  villages: ADMIN,
};
/** Who reaches the import page at all (the page is one per kind; the server checks the kind). */
export const IMPORTERS: Role[] = ["admin", "department", "team"];
export function canImport(role: Role | undefined, kind: ImportResource): boolean {
  return role !== undefined && IMPORT_WRITERS[kind].includes(role);
}
