// RFC 9457 problem+json as the API sends it, and the mapping of its per-field messages onto a form.
import { formatYuan } from "../lib/amounts";
import type { components } from "./schema";

export const PROBLEM_BASE = "https://zhucun.example/problems/";

/**
 * What arrives may be incomplete (a proxy's error page, an older server): every field is optional.
 * `code` / `params` (top level and per field) are the stable error codes the SPA translates; a server
 * that does not send them yet still works (the English `detail` / `message` is shown).
 */
export type Problem = Partial<Omit<components["schemas"]["Problem"], "errors">> & {
  code?: string;
  params?: Record<string, unknown>;
  errors?: ProblemFieldError[];
};

export type ProblemFieldError = Partial<components["schemas"]["ProblemField"]> & {
  code?: string;
  params?: Record<string, unknown>;
};

/** i18next's `t` (or a stand-in in tests): a key, with params and the English default. */
export type Translate = (key: string, options: Record<string, unknown> & { defaultValue: string }) => string;

/** Keys in the i18n tables: `problem.<code>` for whole problems, `fieldError.<code>` for fields. */
export const PROBLEM_KEY = "problem.";
export const FIELD_ERROR_KEY = "fieldError.";

function isCode(code: unknown): code is string {
  return typeof code === "string" && /^[a-z][a-z0-9_]*$/.test(code);
}

/**
 * The server names money in fen (`required_fen: "14580000"`); each such parameter also reaches the
 * texts as 元 (`required_yuan: "145,800.00"`, integer arithmetic), so a message can say 元.
 */
export function withYuan(params: Record<string, unknown> | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = { ...(params ?? {}) };
  for (const [name, value] of Object.entries(params ?? {})) {
    const raw = typeof value === "number" ? String(value) : value;
    if (name.endsWith("_fen") && typeof raw === "string" && /^-?\d{1,15}$/.test(raw)) {
      out[`${name.slice(0, -4)}_yuan`] = formatYuan(Number(raw));
    }
  }
  return out;
}

/** A field error in the user's language; the server's English message when its code is unknown. */
export function fieldMessage(entry: ProblemFieldError, t?: Translate): string {
  const fallback = typeof entry.message === "string" ? entry.message : "";
  if (!t || !isCode(entry.code)) return fallback;
  const params = withYuan(entry.params) as Record<string, string>;
  // `no_such` names the kind of row in English; show it in the user's language.
  if (params.entity) params.entity = t("entity." + params.entity, { defaultValue: params.entity });
  return t(FIELD_ERROR_KEY + entry.code, { ...params, defaultValue: fallback || entry.code });
}

/**
 * `illegal_transition` names the statuses still possible as codes (`"resolved, declined"`); the
 * texts name them in the user's language — a project's stage or a need's status (their codes do
 * not overlap) — joined by 、, or 无 / none when there are none (as the server's Chinese does).
 */
function withStatusNames(params: Record<string, unknown>, t: Translate): Record<string, unknown> {
  const allowed = params.allowed;
  if (typeof allowed !== "string") return params;
  const codes = allowed.split(/,\s*/).filter((c) => isCode(c));
  const names = codes.map((c) => t(`project.stages.${c}`, { defaultValue: t(`need.statuses.${c}`, { defaultValue: c }) }));
  return { ...params, allowed: names.length > 0 ? names.join("、") : t("common.none", { defaultValue: "—" }) };
}

/** The problem as one sentence in the user's language, falling back to `detail` / `title`. */
export function problemMessage(problem: Problem | null | undefined, t?: Translate, status?: number): string {
  const fallback = problem?.detail ?? problem?.title ?? (status ? `HTTP ${status}` : "");
  const code = problem?.code ?? problemKind(problem)?.replaceAll("-", "_");
  if (!t || !isCode(code)) return fallback;
  return t(PROBLEM_KEY + code, { ...withStatusNames(withYuan(problem?.params), t), defaultValue: fallback || code });
}

export type FieldPath = (string | number)[];

export interface MappedErrors {
  /** Messages for fields the form shows, in antd `form.setFields` shape. */
  fields: { name: FieldPath; errors: string[] }[];
  /** Messages that belong to no visible field (or to the whole record), shown above the form. */
  general: string[];
}

/** `members[0].from_date` / `members.0.from_date` / `/members/0/from_date` → ["members", 0, "from_date"]. */
export function parseFieldPath(field: string): FieldPath {
  return field
    .replace(/^\//, "")
    .replace(/\[(\d+)\]/g, ".$1")
    .split(/[./]/)
    .filter((part) => part.length > 0)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

export function isProblem(value: unknown): value is Problem {
  return typeof value === "object" && value !== null && ("type" in value || "title" in value || "status" in value);
}

/**
 * Maps a problem's field errors onto the fields a form has. `formFields` are the top-level names of
 * the form's fields; a message for any other field is kept as a general message so it is not lost.
 * Several messages for one field stay together, in the server's order.
 */
export function mapProblemToForm(problem: unknown, formFields: readonly string[], t?: Translate): MappedErrors {
  const result: MappedErrors = { fields: [], general: [] };
  if (!isProblem(problem)) return result;
  const known = new Set(formFields);
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  for (const entry of problem.errors ?? []) {
    if (!entry || (typeof entry.message !== "string" && !isCode(entry.code))) continue;
    const message = fieldMessage(entry, t);
    const name = parseFieldPath(typeof entry.field === "string" ? entry.field : "");
    const head = name[0];
    if (typeof head !== "string" || !known.has(head)) {
      result.general.push(entry.field ? `${entry.field}: ${message}` : message);
      continue;
    }
    const key = JSON.stringify(name);
    const existing = byField.get(key);
    if (existing) existing.errors.push(message);
    else byField.set(key, { name, errors: [message] });
  }
  result.fields = [...byField.values()];
  if (result.fields.length === 0 && result.general.length === 0) {
    const message = problemMessage(problem, t);
    if (message) result.general.push(message);
  }
  return result;
}

export function problemKind(problem: Problem | null | undefined): string | null {
  const type = problem?.type;
  if (!type || !type.startsWith(PROBLEM_BASE)) return null;
  return type.slice(PROBLEM_BASE.length);
}
