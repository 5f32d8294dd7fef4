// The projects feature (驻村项目): calls, query keys, the stage and category codes (labels in
// src/i18n/zh-CN.ts under `project.*`), the board's grouping and the form definition. Budgets are
// integer fen in the API; 元 typed in the form become fen by string arithmetic (src/lib/amounts.ts).
// Stage moves are online actions (not queued): `POST …/transitions` with the project's If-Match.
import { api, ApiError, NetworkError, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";
import { fenToYuan, parseYuan } from "../../lib/amounts";
import { blankToNull } from "../../lib/values";
import { thisYear } from "../households/api";

export type Project = Schemas["Project"];
export type ProjectEvent = Schemas["ProjectEvent"];
export type ProjectQuery = NonNullable<paths["/api/v1/projects"]["get"]["parameters"]["query"]>;

/** The pipeline of "成熟一个、申报一个、协调一个、实施一个", then `cancelled`. */
export const STAGES = ["proposed", "mature", "declared", "coordinating", "implementing", "completed", "accepted", "cancelled"] as const;
export type Stage = (typeof STAGES)[number];
export const CATEGORIES = ["infrastructure", "industry", "cooperative", "education", "health", "organisation_building", "culture", "other"] as const;
export const IATI_STATUSES = ["pipeline", "implementation", "finalisation", "closed", "cancelled"] as const;

/** Tag colour classes (index.css), each ≥ 4.5:1 on its background. */
export const STAGE_CLASS: Record<string, string> = {
  proposed: "",
  mature: "tag-info",
  declared: "tag-info",
  coordinating: "tag-warning",
  implementing: "tag-warning",
  completed: "tag-ok",
  accepted: "tag-ok",
  cancelled: "tag-error",
};

/** After acceptance or cancellation nothing changes. */
export const isFinal = (stage: string) => stage === "accepted" || stage === "cancelled";

/** The stages in which a team may still edit a project's fields (the department: until final). */
export const TEAM_EDITS = ["proposed", "mature", "declared"];

/** Whether this role may open the edit form of a project at this stage (the server decides again). */
export function mayEdit(role: string | undefined, stage: string): boolean {
  if (role === "department") return !isFinal(stage);
  if (role === "team") return TEAM_EDITS.includes(stage);
  return false;
}

/** The board fetches up to this many projects a page (the API's maximum). */
export const BOARD_PAGE_SIZE = 500;

export const projectKeys = {
  all: ["projects"] as const,
  list: (query: ProjectQuery) => ["projects", "list", query] as const,
  detail: (id: number) => ["projects", id] as const,
  events: (id: number) => ["projects", id, "events"] as const,
  moves: (id: number) => ["projects", id, "moves"] as const,
};

export const fetchProject = (id: number) => unwrapWithEtag(api.GET("/api/v1/projects/{id}", { params: { path: { id } } }));
export const fetchProjects = (query: ProjectQuery) => unwrap(api.GET("/api/v1/projects", { params: { query } }));
export const fetchEvents = (id: number) => unwrap(api.GET("/api/v1/projects/{id}/events", { params: { path: { id } } }));

// ----- stage moves -----

/** A move the caller may make now (`GET /projects/{id}/transitions`): forward, return or cancel. */
export type Move = Schemas["AllowedMove"];

/** The moves this user may make now, as the server's stage machine says (never guessed here). */
export const fetchMoves = (id: number) => unwrap(api.GET("/api/v1/projects/{id}/transitions", { params: { path: { id } } }));

/** Moves forward first, then the return, the cancel last (the order of the buttons). */
export function orderMoves(moves: readonly Move[]): Move[] {
  const rank = (m: Move) => ["forward", "return", "cancel"].indexOf(m.kind) >>> 0;
  return [...moves].sort((a, b) => rank(a) - rank(b));
}

/** Sends one move with the project's ETag; the new project and its ETag, or ApiError / NetworkError. */
export function moveProject(id: number, etag: string, to: string, comment: string | null) {
  return unwrapWithEtag(
    api.POST("/api/v1/projects/{id}/transitions", {
      params: { path: { id }, header: { "If-Match": etag } },
      body: { to, comment },
    }),
  );
}

export type MoveFailure =
  | { kind: "stale" }
  | { kind: "illegal"; allowed: string[] }
  | { kind: "comment" }
  | { kind: "offline" }
  | { kind: "other"; error: unknown };

/** What a failed move means for the page: reload (412, 409 illegal), a field message, no link. */
export function classifyMoveError(error: unknown): MoveFailure {
  if (error instanceof ApiError) {
    if (error.status === 412) return { kind: "stale" };
    if (error.status === 409 && error.problem?.code === "illegal_transition") {
      const allowed = error.problem.allowed ?? (typeof error.problem.params?.allowed === "string" ? error.problem.params.allowed.split(/,\s*/) : []);
      return { kind: "illegal", allowed: allowed.filter((s) => s.length > 0) };
    }
    if (error.status === 400 && (error.problem?.errors ?? []).some((e) => e.field === "comment")) return { kind: "comment" };
    return { kind: "other", error };
  }
  if (error instanceof NetworkError || error instanceof TypeError) return { kind: "offline" };
  return { kind: "other", error };
}

// ----- the board -----

/** The board's query from the URL's parameters (the stage is not sent: the board groups by it). */
export function boardFilters(get: (name: string) => string | undefined): ProjectQuery {
  const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
  const category = get("category");
  return {
    village_id: num(get("village")),
    year: num(get("year")),
    category: category && (CATEGORIES as readonly string[]).includes(category) ? category : undefined,
    q: get("q")?.trim() || undefined,
    sort: "-updated",
  };
}

/** The stage shown on a phone: the URL's, else the first stage that has projects, else `proposed`. */
export function phoneStage(requested: string | undefined, groups: Record<Stage, Project[]>): Stage {
  if (requested && (STAGES as readonly string[]).includes(requested)) return requested as Stage;
  return STAGES.find((s) => groups[s].length > 0) ?? "proposed";
}

/** Projects by stage, in the list's order within each stage (an unknown stage reads as `proposed`). */
export function groupByStage(projects: readonly Project[]): Record<Stage, Project[]> {
  const groups = Object.fromEntries(STAGES.map((s) => [s, [] as Project[]])) as Record<Stage, Project[]>;
  for (const p of projects) {
    const stage = (STAGES as readonly string[]).includes(p.stage) ? (p.stage as Stage) : "proposed";
    groups[stage].push(p);
  }
  return groups;
}

// ----- create / edit -----

export interface ProjectValues {
  /** Create only: the village is fixed afterwards. */
  village_id?: number;
  team_id?: number | null;
  year: number;
  title: string;
  category: string;
  office_id?: number | null;
  supporting_unit: string;
  /** 元 as typed, e.g. "300000" or "1,234.50"; sent as integer fen. */
  budget_fen: string;
  funding_source: string;
  beneficiaries: { households?: number | null; people?: number | null };
  description: string;
  problems: string;
  measures: string;
}

const text = (v: string | null | undefined) => blankToNull(v?.trim());
/** An amount the form could not read is sent as -1, so the server names the field. */
const fen = (yuan: string | undefined) => parseYuan(yuan) ?? -1;

function common(values: ProjectValues) {
  return {
    team_id: values.team_id ?? null,
    year: values.year,
    title: values.title.trim(),
    category: values.category,
    office_id: values.office_id ?? null,
    supporting_unit: text(values.supporting_unit),
    budget_fen: fen(values.budget_fen),
    funding_source: text(values.funding_source),
    beneficiaries: { households: values.beneficiaries?.households ?? 0, people: values.beneficiaries?.people ?? 0 },
    description: text(values.description),
    problems: text(values.problems),
    measures: text(values.measures),
  };
}

export function toCreateBody(values: ProjectValues, villageId: number | null): Schemas["ProjectCreate"] {
  return { village_id: villageId ?? values.village_id ?? 0, ...common(values) };
}

export function toPatchBody(values: ProjectValues): Schemas["ProjectPatch"] {
  return common(values);
}

export function toValues(p: Project): Partial<ProjectValues> {
  return {
    village_id: p.village_id,
    team_id: p.team_id ?? null,
    year: p.year,
    title: p.title,
    category: p.category,
    office_id: p.office_id ?? null,
    supporting_unit: p.supporting_unit ?? "",
    budget_fen: fenToYuan(p.budget_fen),
    funding_source: p.funding_source ?? "",
    beneficiaries: { households: p.beneficiaries.households ?? 0, people: p.beneficiaries.people ?? 0 },
    description: p.description ?? "",
    problems: p.problems ?? "",
    measures: p.measures ?? "",
  };
}

export const PROJECT_FIELDS = [
  "village_id",
  "team_id",
  "year",
  "title",
  "category",
  "office_id",
  "supporting_unit",
  "budget_fen",
  "funding_source",
  "beneficiaries",
  "description",
  "problems",
  "measures",
] as const;

/** The form for a project: `villageId` preset for a new one from a village's page. */
export function projectForm(villageId: number | null): RecordFormDef<Project, ProjectValues> {
  return {
    resource: "projects",
    i18n: "project",
    fields: PROJECT_FIELDS,
    fetchOne: fetchProject,
    toValues,
    empty: { village_id: villageId ?? undefined, year: thisYear(), beneficiaries: { households: 0, people: 0 } },
    create: (values) => postTo("/api/v1/projects", toCreateBody(values, villageId)),
    update: (id, values) => patchAt("/api/v1/projects/{id}", { id }, toPatchBody(values)),
    label: (values) => values.title ?? "",
    after: (project) => `/projects/${project.id}`,
  };
}
