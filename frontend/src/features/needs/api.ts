// The needs feature (群众诉求): calls, query keys, the status and category codes (labels in
// src/i18n/zh-CN.ts under `need.*`), the queue's order, the form definition and the status
// changes. A status change is `POST /needs/{id}/transitions` with the need's If-Match, sent through
// the outbox (offline it waits in 待同步); declining says why, resolving says how (and may note
// the residents' satisfaction) — the server decides again and answers 409 `illegal_transition`
// naming the moves there are.
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import type { Problem } from "../../api/problem";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";
import type { OutboxRequest } from "../../lib/outbox";
import { blankToNull } from "../../lib/values";
import { today } from "../households/api";

export type Need = Schemas["Need"];
export type NeedQuery = NonNullable<paths["/api/v1/needs"]["get"]["parameters"]["query"]>;

export const CATEGORIES = ["water", "road", "electricity", "housing", "health", "education", "income", "other"] as const;
export const STATUSES = ["open", "in_progress", "resolved", "declined"] as const;
export type Status = (typeof STATUSES)[number];
/** The moves a status change may ask for (never back to `open`). */
export type Target = "in_progress" | "resolved" | "declined";

/** Tag colour classes (index.css), each ≥ 4.5:1 on its background. */
export const STATUS_CLASS: Record<string, string> = {
  open: "tag-info",
  in_progress: "tag-warning",
  resolved: "tag-ok",
  declined: "",
};

export const NEED_PAGE_SIZE = 50;
/** The queue's overdue section: one page of at most this many (a village has a handful). */
export const OVERDUE_LIMIT = 200;

export const needKeys = {
  all: ["needs"] as const,
  list: (query: NeedQuery) => ["needs", "list", query] as const,
  counts: (query: NeedQuery) => ["needs", "counts", query] as const,
};

export const fetchNeed = (id: number) => unwrapWithEtag(api.GET("/api/v1/needs/{id}", { params: { path: { id } } }));
export const fetchNeeds = (query: NeedQuery) => unwrap(api.GET("/api/v1/needs", { params: { query } }));

/** Still waiting for an answer (in the queue). */
export const isOpen = (status: string) => status === "open" || status === "in_progress";

/** The moves from a status, as the server's machine allows them (crates/domain/src/need.rs). */
export function movesFrom(status: string): Target[] {
  if (status === "open") return ["in_progress", "resolved", "declined"];
  if (status === "in_progress") return ["resolved", "declined"];
  return [];
}

/**
 * The village queue: the overdue needs first, then the other open and in-progress ones, each part
 * in the server's queue order (the oldest first); answered needs are not in the queue. A need in
 * both lists (the second list is the whole queue) appears once, in the overdue part.
 */
export function queueOrder(overdue: readonly Need[], queue: readonly Need[]): Need[] {
  const first = overdue.filter((n) => n.overdue && isOpen(n.status));
  const seen = new Set(first.map((n) => n.id));
  return [...first, ...queue.filter((n) => isOpen(n.status) && !seen.has(n.id) && !n.overdue)];
}

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/** The overview's filters from the URL (anything the API would refuse is dropped). */
export function needFilters(get: (name: string) => string | undefined): Omit<NeedQuery, "limit" | "cursor"> {
  const status = get("status");
  const category = get("category");
  return {
    village_id: num(get("village")),
    status: status && (STATUSES as readonly string[]).includes(status) ? status : undefined,
    category: category && (CATEGORIES as readonly string[]).includes(category) ? category : undefined,
    overdue: get("overdue") === "true" ? true : undefined,
    q: get("q")?.trim() || undefined,
    sort: "queue",
  };
}

// ----- raising and editing -----

export interface NeedValues {
  village_id?: number;
  /** `household`: a household of the village raised it; `person`: someone else, in words. */
  raised_kind: "household" | "person";
  household_id?: number | null;
  raised_by: string;
  raised_on?: string | null;
  category?: string;
  description: string;
  due_on?: string | null;
  project_id?: number | null;
}

export const NEED_FIELDS = ["village_id", "raised_kind", "household_id", "raised_by", "raised_on", "category", "description", "due_on", "project_id"] as const;

const text = (v: string | null | undefined) => blankToNull(v?.trim().normalize("NFC"));

/** Who raised it: a household or a person in words, never both (the server refuses both). */
function raiser(values: NeedValues) {
  return values.raised_kind === "household"
    ? { household_id: values.household_id ?? null, raised_by: null }
    : { household_id: null, raised_by: text(values.raised_by) };
}

function common(values: NeedValues) {
  return {
    ...raiser(values),
    raised_on: values.raised_on ?? "",
    category: values.category ?? "",
    description: values.description.trim().normalize("NFC"),
    due_on: values.due_on || null,
    project_id: values.project_id ?? null,
  };
}

export function toCreateBody(values: NeedValues, villageId?: number): Schemas["NeedCreate"] {
  return { village_id: villageId ?? values.village_id ?? 0, ...common(values) };
}

export function toPatchBody(values: NeedValues): Schemas["NeedPatch"] {
  return common(values);
}

export function toValues(n: Need): Partial<NeedValues> {
  return {
    village_id: n.village_id,
    raised_kind: n.household_id != null ? "household" : "person",
    household_id: n.household_id ?? null,
    raised_by: n.raised_by ?? "",
    raised_on: n.raised_on,
    category: n.category,
    description: n.description,
    due_on: n.due_on ?? null,
    project_id: n.project_id ?? null,
  };
}

export function needForm(villageId: number | undefined): RecordFormDef<Need, NeedValues> {
  return {
    resource: "needs",
    i18n: "need",
    fields: NEED_FIELDS,
    fetchOne: fetchNeed,
    toValues,
    empty: { village_id: villageId, raised_kind: "person", raised_by: "", raised_on: today(), description: "", due_on: null, project_id: null },
    create: (values) => postTo("/api/v1/needs", toCreateBody(values, villageId)),
    update: (id, values) => patchAt("/api/v1/needs/{id}", { id }, toPatchBody(values)),
    label: (values) => values.description.slice(0, 40),
    after: (saved) => `/needs?village=${saved.village_id}`,
  };
}

// ----- status changes -----

export interface MoveValues {
  reason?: string;
  resolution?: string;
  satisfaction?: string;
}

export const MOVE_FIELDS = ["reason", "resolution", "satisfaction"] as const;

/** The body of a move: only the fields of its target (the server refuses the others). */
export function toTransitionBody(to: Target, values: MoveValues): Schemas["NeedTransition"] {
  return {
    to,
    reason: to === "declined" ? text(values.reason) : null,
    resolution: to === "resolved" ? text(values.resolution) : null,
    satisfaction: to === "resolved" ? text(values.satisfaction) : null,
  };
}

/** The write of a move, with the ETag of the need as it was shown (`"<version>"`). */
export function transitionRequest(need: Pick<Need, "id" | "version">, to: Target, values: MoveValues): OutboxRequest {
  return { ...postTo("/api/v1/needs/{id}/transitions", toTransitionBody(to, values), { id: need.id }), ifMatch: `"${need.version}"` };
}

/** The statuses a 409 `illegal_transition` names as still possible (none when final). */
export function allowedOf(problem: Problem | null | undefined): string[] {
  if (problem?.code !== "illegal_transition") return [];
  const listed = (problem as { allowed?: unknown }).allowed;
  if (Array.isArray(listed)) return listed.filter((s): s is string => typeof s === "string" && s.length > 0);
  const param = problem.params?.allowed;
  return typeof param === "string" ? param.split(/,\s*/).filter((s) => s.length > 0) : [];
}
