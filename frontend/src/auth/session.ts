// The login session: tokens in localStorage, a refresh shortly before the access token expires,
// one shared refresh when several requests meet a 401 at once, and each such request retried once.
//
// The token endpoints are called here with plain fetch (they must not go through the 401 retry);
// everything else goes through the generated client, which calls `session.fetch`.
import type { components } from "../api/schema";

type Schemas = components["schemas"];
export type TokenPair = Schemas["TokenResponse"];

export type LogoutReason = "logout" | "expired";

export interface SessionOptions {
  /** Origin the API lives on, e.g. `window.location.origin`. */
  baseUrl: string;
  storage?: Storage;
  fetch?: (request: Request) => Promise<Response>;
  now?: () => number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (handle: unknown) => void;
  /** Serialises the refresh across browser tabs (navigator.locks); absent in tests. */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T>;
}

export const STORAGE_PREFIX = "zhucun.";
const KEY_ACCESS = `${STORAGE_PREFIX}access_token`;
const KEY_REFRESH = `${STORAGE_PREFIX}refresh_token`;
const KEY_EXPIRES = `${STORAGE_PREFIX}expires_at`;

/** Retry a scheduled refresh that failed on the network after this long. */
export const NETWORK_RETRY_MS = 15_000;

/** How long before expiry to refresh: a minute, or a fifth of a very short lifetime. */
export function refreshLeadMs(expiresInSeconds: number): number {
  return Math.min(60_000, Math.floor(expiresInSeconds * 1000 * 0.2));
}

export class LoginFailed extends Error {
  readonly status: number;
  readonly problem: unknown;
  constructor(status: number, problem: unknown) {
    super(`login failed with status ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

interface Stored {
  access: string | null;
  refresh: string | null;
  expiresAt: number;
}

export class Session {
  private readonly baseUrl: string;
  private readonly storage: Storage;
  private readonly doFetch: (request: Request) => Promise<Response>;
  private readonly now: () => number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (handle: unknown) => void;
  private readonly withLock: <T>(fn: () => Promise<T>) => Promise<T>;
  private timer: unknown = null;
  /** Why the last session ended in this page (null while logged in or never logged in). */
  endedBy: LogoutReason | null = null;
  private inFlight: Promise<boolean> | null = null;
  private readonly listeners = new Set<(reason: LogoutReason) => void>();
  private readonly changeListeners = new Set<() => void>();

  constructor(options: SessionOptions) {
    this.baseUrl = options.baseUrl.replace(/\/$/, "");
    this.storage = options.storage ?? window.localStorage;
    this.doFetch = options.fetch ?? ((request) => globalThis.fetch(request));
    this.now = options.now ?? (() => Date.now());
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((handle) => clearTimeout(handle as ReturnType<typeof setTimeout>));
    this.withLock = options.withLock ?? ((fn) => fn());
  }

  /** Called when the session ends: by logout, or because the refresh token no longer works. */
  onLogout(listener: (reason: LogoutReason) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called whenever tokens appear, change or disappear. */
  onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  isLoggedIn(): boolean {
    return this.read().refresh !== null;
  }

  accessToken(): string | null {
    return this.read().access;
  }

  /** Picks up tokens left by an earlier page load and schedules their refresh. */
  start(): void {
    this.schedule();
  }

  /** Another tab changed the tokens (a `storage` event): follow it. */
  syncFromStorage(): void {
    if (!this.isLoggedIn()) {
      this.cancelTimer();
      this.emitChange();
      this.emitLogout("logout");
      return;
    }
    this.schedule();
    this.emitChange();
  }

  /** Logs in; returns the user's role (the first page can be chosen before `/me` answers). */
  async login(username: string, password: string): Promise<TokenPair["role"]> {
    const response = await this.doFetch(this.jsonRequest("/api/v1/auth/login", { username, password } satisfies Schemas["LoginRequest"]));
    if (!response.ok) {
      throw new LoginFailed(response.status, await readJson(response));
    }
    const tokens = (await response.json()) as TokenPair;
    this.save(tokens);
    return tokens.role;
  }

  /** Revokes the refresh token on the server (best effort) and forgets the tokens here. */
  async logout(): Promise<void> {
    const { refresh, access } = this.read();
    this.clear();
    if (refresh) {
      try {
        const request = this.jsonRequest("/api/v1/auth/logout", { refresh_token: refresh } satisfies Schemas["RefreshRequest"]);
        if (access) request.headers.set("Authorization", `Bearer ${access}`);
        await this.doFetch(request);
      } catch {
        // The tokens are gone from this browser either way; the server lets the refresh token expire.
      }
    }
    this.emitLogout("logout");
  }

  /**
   * Gets a new access token. Concurrent callers share one request. `staleAccess` is the token a
   * request was refused with: if another caller (or tab) has already replaced it, there is nothing
   * to do. Resolves false when the session has ended; rejects on a network failure (tokens kept).
   */
  refresh(staleAccess?: string | null): Promise<boolean> {
    if (!this.inFlight) {
      this.inFlight = this.withLock(() => this.refreshNow(staleAccess)).finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  /** fetch for the generated client: adds the bearer token; on a 401 refreshes and retries once. */
  async fetch(request: Request): Promise<Response> {
    const retry = request.clone();
    const used = this.accessToken();
    const response = await this.doFetch(withBearer(request, used));
    if (response.status !== 401 || !this.isLoggedIn()) return response;
    const renewed = await this.refresh(used);
    if (!renewed) return response;
    return this.doFetch(withBearer(retry, this.accessToken()));
  }

  private async refreshNow(staleAccess?: string | null): Promise<boolean> {
    const stored = this.read();
    if (!stored.refresh) return false;
    if (staleAccess !== undefined && stored.access !== staleAccess) {
      // Another tab refreshed meanwhile; reusing the old refresh token would revoke the login.
      this.schedule();
      return true;
    }
    let response: Response;
    try {
      response = await this.doFetch(this.jsonRequest("/api/v1/auth/refresh", { refresh_token: stored.refresh } satisfies Schemas["RefreshRequest"]));
    } catch (error) {
      this.scheduleIn(NETWORK_RETRY_MS);
      throw error;
    }
    if (response.ok) {
      this.save((await response.json()) as TokenPair);
      return true;
    }
    if (response.status >= 500 || response.status === 429) {
      this.scheduleIn(NETWORK_RETRY_MS);
      throw new Error(`token refresh failed with status ${response.status}`);
    }
    this.clear();
    this.emitLogout("expired");
    return false;
  }

  private schedule(): void {
    const { refresh, expiresAt } = this.read();
    if (!refresh) return;
    const remaining = expiresAt - this.now();
    const lead = refreshLeadMs(Math.max(0, remaining / 1000));
    this.scheduleIn(Math.max(0, remaining - lead));
  }

  private scheduleIn(ms: number): void {
    this.cancelTimer();
    const access = this.read().access;
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.refresh(access).catch(() => undefined);
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
  }

  private save(tokens: TokenPair): void {
    const expiresAt = this.now() + tokens.expires_in * 1000;
    this.storage.setItem(KEY_ACCESS, tokens.access_token);
    this.storage.setItem(KEY_REFRESH, tokens.refresh_token);
    this.storage.setItem(KEY_EXPIRES, String(expiresAt));
    this.endedBy = null;
    this.cancelTimer();
    this.scheduleIn(Math.max(0, tokens.expires_in * 1000 - refreshLeadMs(tokens.expires_in)));
    this.emitChange();
  }

  private clear(): void {
    this.cancelTimer();
    this.storage.removeItem(KEY_ACCESS);
    this.storage.removeItem(KEY_REFRESH);
    this.storage.removeItem(KEY_EXPIRES);
    this.emitChange();
  }

  private read(): Stored {
    return {
      access: this.storage.getItem(KEY_ACCESS),
      refresh: this.storage.getItem(KEY_REFRESH),
      expiresAt: Number(this.storage.getItem(KEY_EXPIRES) ?? 0) || 0,
    };
  }

  private jsonRequest(path: string, body: unknown): Request {
    return new Request(`${this.baseUrl}${path}`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify(body),
    });
  }

  private emitLogout(reason: LogoutReason): void {
    this.endedBy = reason;
    for (const listener of this.listeners) listener(reason);
  }

  private emitChange(): void {
    for (const listener of this.changeListeners) listener();
  }
}

function withBearer(request: Request, token: string | null): Request {
  if (token) request.headers.set("Authorization", `Bearer ${token}`);
  return request;
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return null;
  }
}
