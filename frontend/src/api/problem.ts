// RFC 9457 problem+json as the API sends it, and the mapping of its per-field messages onto a form.
import type { components } from "./schema";

export const PROBLEM_BASE = "https://zhucun.example/problems/";

/** What arrives may be incomplete (a proxy's error page, an older server): every field is optional. */
export type Problem = Partial<components["schemas"]["Problem"]>;

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
export function mapProblemToForm(problem: unknown, formFields: readonly string[]): MappedErrors {
  const result: MappedErrors = { fields: [], general: [] };
  if (!isProblem(problem)) return result;
  const known = new Set(formFields);
  const byField = new Map<string, { name: FieldPath; errors: string[] }>();
  for (const entry of problem.errors ?? []) {
    if (!entry || typeof entry.message !== "string") continue;
    const name = parseFieldPath(typeof entry.field === "string" ? entry.field : "");
    const head = name[0];
    if (typeof head !== "string" || !known.has(head)) {
      result.general.push(entry.field ? `${entry.field}: ${entry.message}` : entry.message);
      continue;
    }
    const key = JSON.stringify(name);
    const existing = byField.get(key);
    if (existing) existing.errors.push(entry.message);
    else byField.set(key, { name, errors: [entry.message] });
  }
  result.fields = [...byField.values()];
  if (result.fields.length === 0 && result.general.length === 0 && problem.detail) {
    result.general.push(problem.detail);
  }
  return result;
}

export function problemKind(problem: Problem | null | undefined): string | null {
  const type = problem?.type;
  if (!type || !type.startsWith(PROBLEM_BASE)) return null;
  return type.slice(PROBLEM_BASE.length);
}
