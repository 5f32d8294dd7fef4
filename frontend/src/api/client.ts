// The one API client: generated types, the session's fetch (bearer token, refresh, one retry).
import createClient from "openapi-fetch";
import { Session } from "../auth/session";
import type { Problem } from "./problem";
import type { components, paths } from "./schema";

export type Schemas = components["schemas"];

const origin = typeof window !== "undefined" ? window.location.origin : "http://localhost";

export const session = new Session({
  baseUrl: origin,
  withLock:
    typeof navigator !== "undefined" && navigator.locks
      ? <T,>(fn: () => Promise<T>) => navigator.locks.request("zhucun.refresh", fn) as unknown as Promise<T>
      : undefined,
});

export const api = createClient<paths, "application/json">({ baseUrl: origin, fetch: (request) => session.fetch(request) });

/** The server answered with an error status. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | null;
  constructor(status: number, problem: unknown) {
    const p = typeof problem === "object" && problem !== null ? (problem as Problem) : null;
    super(p?.detail ?? p?.title ?? `HTTP ${status}`);
    this.status = status;
    this.problem = p;
  }
}

/** The request never got an answer (offline, server down, connection reset). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : "network error");
  }
}

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Awaits an openapi-fetch call and returns its body, or throws ApiError / NetworkError. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const result = await send(call);
  return result.data;
}

/** Like `unwrap`, with the record's ETag for a later `If-Match`. */
export async function unwrapWithEtag<T extends { version: number }>(
  call: Promise<FetchResult<T>>,
): Promise<{ data: T; etag: string }> {
  const result = await send(call);
  return { data: result.data, etag: result.response.headers.get("ETag") ?? `"${result.data.version}"` };
}

async function send<T>(call: Promise<FetchResult<T>>): Promise<{ data: T; response: Response }> {
  let result: FetchResult<T>;
  try {
    result = await call;
  } catch (error) {
    if (error instanceof ApiError) throw error;
    throw new NetworkError(error);
  }
  if (!result.response.ok || result.error !== undefined) {
    throw new ApiError(result.response.status, result.error);
  }
  return { data: result.data as T, response: result.response };
}
