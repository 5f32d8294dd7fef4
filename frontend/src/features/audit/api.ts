// The audit feature's calls and query keys, and the before/after difference of an entry.
import { api, unwrap, type Schemas } from "../../api/client";
import type { paths } from "../../api/schema";

export type AuditEntry = Schemas["AuditEntry"];
export type AuditQuery = NonNullable<paths["/api/v1/audit"]["get"]["parameters"]["query"]>;

export const auditKeys = { list: (query: AuditQuery) => ["audit", "list", query] as const };
export const fetchAudit = (query: AuditQuery) => unwrap(api.GET("/api/v1/audit", { params: { query } }));

/** Actions and entities the server records today (the filters offer these). */
export const AUDIT_ACTIONS = ["create", "update", "login", "logout", "change_password", "reset_password"] as const;
export const AUDIT_ENTITIES = ["village", "team", "team_member", "user", "cadre", "office", "round", "department"] as const;

/** Where an entity's record is shown in the SPA, when it has a page. */
export function entityPath(entity: string, id: string, after: unknown): string | null {
  switch (entity) {
    case "village":
      return `/villages/${id}`;
    case "team":
      return `/teams/${id}`;
    case "team_member": {
      const teamId = (after as { team_id?: number } | null)?.team_id;
      return teamId ? `/teams/${teamId}` : null;
    }
    case "user":
      return `/users/${id}/edit`;
    case "cadre":
      return `/cadres/${id}/edit`;
    case "office":
      return `/offices/${id}/edit`;
    case "round":
      return `/rounds/${id}/edit`;
    case "project":
      return `/projects/${id}`;
    default:
      return null;
  }
}

export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Bookkeeping fields every row has; their change says nothing to a reader. */
const IGNORED = new Set(["version", "updated_at", "created_at"]);

/** Field-by-field difference of two row snapshots (a create: every field of `after`). */
export function diffRows(before: unknown, after: unknown): FieldChange[] {
  const b = (before && typeof before === "object" ? before : {}) as Record<string, unknown>;
  const a = (after && typeof after === "object" ? after : {}) as Record<string, unknown>;
  const fields = [...new Set([...Object.keys(b), ...Object.keys(a)])].filter((f) => !IGNORED.has(f));
  return fields
    .filter((f) => JSON.stringify(b[f] ?? null) !== JSON.stringify(a[f] ?? null))
    .map((f) => ({ field: f, before: b[f] ?? null, after: a[f] ?? null }));
}
