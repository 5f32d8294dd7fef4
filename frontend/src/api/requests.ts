// Writes described as data (so the outbox can keep and resend them), typed from the generated
// schema: the body of `postTo(path, …)` is that path's POST request body, never written by hand.
import type { OutboxRequest } from "../lib/outbox";
import type { paths } from "./schema";

type JsonBody<Op> = Op extends { requestBody?: { content: { "application/json": infer B } } } ? B : never;
type PathParams<Op> = Op extends { parameters: { path: infer P } } ? P : never;

export type PostPath = { [P in keyof paths]: paths[P] extends { post: object } ? P : never }[keyof paths];
export type PatchPath = { [P in keyof paths]: paths[P] extends { patch: object } ? P : never }[keyof paths];
export type PutPath = { [P in keyof paths]: paths[P] extends { put: object } ? P : never }[keyof paths];
export type PostBody<P extends PostPath> = JsonBody<paths[P]["post"]>;
export type PatchBody<P extends PatchPath> = JsonBody<paths[P]["patch"]>;
export type PutBody<P extends PutPath> = JsonBody<paths[P]["put"]>;

function fill(path: string, params: Record<string, unknown>): string {
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(params[name])));
}

export function postTo<P extends PostPath>(
  path: P,
  body: PostBody<P>,
  ...params: PathParams<paths[P]["post"]> extends never ? [] : [PathParams<paths[P]["post"]>]
): Omit<OutboxRequest, "idempotencyKey"> {
  return { method: "POST", path: fill(path, (params[0] ?? {}) as Record<string, unknown>), body };
}

export function patchAt<P extends PatchPath>(
  path: P,
  params: PathParams<paths[P]["patch"]>,
  body: PatchBody<P>,
): Omit<OutboxRequest, "ifMatch"> {
  return { method: "PATCH", path: fill(path, params as Record<string, unknown>), body };
}

/** A PUT (a record addressed by its natural key, e.g. a year's accounts): If-Match once it exists. */
export function putAt<P extends PutPath>(
  path: P,
  params: PathParams<paths[P]["put"]>,
  body: PutBody<P>,
): Omit<OutboxRequest, "ifMatch" | "idempotencyKey"> {
  return { method: "PUT", path: fill(path, params as Record<string, unknown>), body };
}
