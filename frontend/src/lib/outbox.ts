// The outbox: every write a form makes goes through here. The request is written to IndexedDB
// before it is sent (with the Idempotency-Key the user got when pressing save, or the If-Match of
// the version they edited), and removed only when the server has answered. A write whose answer
// is lost (offline, a dropped link, the tab closed mid-request) stays queued and is sent again
// — with the same key and the same body, so the server creates it exactly once.
import { createStore, del, entries, set, type UseStore } from "idb-keyval";

export type OutboxState = "waiting" | "sending" | "failed" | "conflict";

export interface OutboxRequest {
  method: "POST" | "PATCH" | "PUT" | "DELETE";
  /** API path, e.g. `/api/v1/villages` or `/api/v1/villages/3`. */
  path: string;
  body: unknown;
  /** Creates: the key minted when the user pressed save, reused for every attempt. */
  idempotencyKey?: string;
  /** Updates: the ETag of the version the user edited. */
  ifMatch?: string;
}

export interface OutboxItem extends OutboxRequest {
  id: string;
  /** Query-key root to refresh once sent, e.g. `villages`. */
  resource: string;
  /** What the user sees in the 待同步 list, e.g. the record's name. */
  label: string;
  /** The user who made the write; only their session sends it. */
  owner?: number;
  createdAt: number;
  attempts: number;
  state: OutboxState;
  /** Why the last attempt failed (server message or 网络). */
  error?: string;
  /** Problem `code`, when the server gave one. */
  errorCode?: string;
  nextAttemptAt: number;
}

/** Sends one request; throws (TypeError, NetworkError) when no answer arrived. */
export type Sender = (request: OutboxRequest) => Promise<Response>;

export type SubmitResult = { kind: "sent"; response: Response } | { kind: "queued"; item: OutboxItem };

export interface OutboxOptions {
  send: Sender;
  store?: UseStore;
  now?: () => number;
  /** First retry delay; doubles per attempt up to `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** Serialises flushing across tabs (navigator.locks); absent in tests. */
  withLock?: <T>(fn: () => Promise<T>) => Promise<T>;
  /** Reads a problem body into a message for the list. */
  describe?: (status: number, body: unknown) => { message: string; code?: string };
}

/** Statuses worth trying again later: the server was there but could not take the write now. */
export function isTransient(status: number): boolean {
  return status === 401 || status === 408 || status === 429 || status >= 500;
}

export function backoffMs(attempts: number, base: number, max: number): number {
  return Math.min(max, base * 2 ** Math.max(0, attempts - 1));
}

export class Outbox {
  private readonly send: Sender;
  private readonly store: UseStore;
  private readonly now: () => number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly withLock: <T>(fn: () => Promise<T>) => Promise<T>;
  private readonly describe: (status: number, body: unknown) => { message: string; code?: string };
  private readonly inFlight = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly sentListeners = new Set<(item: OutboxItem, response: Response) => void>();
  private flushing: Promise<void> | null = null;
  private seq = 0;

  constructor(options: OutboxOptions) {
    this.send = options.send;
    this.store = options.store ?? createStore("zhucun-outbox", "items");
    this.now = options.now ?? (() => Date.now());
    this.baseDelayMs = options.baseDelayMs ?? 2_000;
    this.maxDelayMs = options.maxDelayMs ?? 60_000;
    this.withLock = options.withLock ?? ((fn) => fn());
    this.describe = options.describe ?? ((status) => ({ message: `HTTP ${status}` }));
  }

  /** Called whenever the list changes. */
  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Called when a queued write has been accepted by the server. */
  onSent(listener: (item: OutboxItem, response: Response) => void): () => void {
    this.sentListeners.add(listener);
    return () => this.sentListeners.delete(listener);
  }

  async list(): Promise<OutboxItem[]> {
    const all = await entries<string, OutboxItem>(this.store);
    return all.map(([, item]) => item).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  /**
   * Keeps the write, then tries it once. The server's answer (success or an error the form should
   * show) comes back as `sent` and the item is gone; no answer leaves it `queued` for later.
   */
  async submit(request: OutboxRequest, meta: { resource: string; label: string; owner?: number }): Promise<SubmitResult> {
    const item: OutboxItem = {
      ...request,
      ...meta,
      id: `${this.now().toString(36)}-${(this.seq++).toString(36)}-${Math.random().toString(36).slice(2, 8)}`,
      createdAt: this.now(),
      attempts: 0,
      state: "sending",
      nextAttemptAt: this.now(),
    };
    let kept = true;
    try {
      await this.put(item);
    } catch {
      // No IndexedDB (private mode, storage full): send without a safety net; a network failure
      // then reaches the form as an error instead of being queued.
      kept = false;
    }
    if (!kept) return { kind: "sent", response: await this.send(item) };
    this.inFlight.add(item.id);
    try {
      const response = await this.send(item);
      await this.remove(item.id);
      return { kind: "sent", response };
    } catch {
      const queued = await this.afterNetworkFailure({ ...item, attempts: 1 });
      return { kind: "queued", item: queued };
    } finally {
      this.inFlight.delete(item.id);
    }
  }

  /** Sends every item that is due (all of them with `force`), one at a time, oldest first. */
  flush(force = false): Promise<void> {
    if (!this.flushing) {
      this.flushing = this.withLock(() => this.flushNow(force)).finally(() => {
        this.flushing = null;
      });
    }
    return this.flushing;
  }

  /** Puts a failed or conflicting item back in the queue, optionally with a new If-Match. */
  async retry(id: string, changes: Partial<Pick<OutboxItem, "ifMatch" | "body">> = {}): Promise<void> {
    const item = (await this.list()).find((i) => i.id === id);
    if (!item) return;
    await this.put({ ...item, ...changes, state: "waiting", error: undefined, errorCode: undefined, nextAttemptAt: this.now() });
    await this.flush(true);
  }

  async remove(id: string): Promise<void> {
    await del(id, this.store);
    this.emit();
  }

  /** At logout: the queue holds personal data of this user. */
  async clear(): Promise<void> {
    for (const item of await this.list()) await del(item.id, this.store);
    this.emit();
  }

  /** Forgets writes queued by anyone but `owner` (a different user logged in on this device). */
  async dropOtherUsers(owner: number): Promise<void> {
    for (const item of await this.list()) if (item.owner !== undefined && item.owner !== owner) await del(item.id, this.store);
    this.emit();
  }

  /** When the next waiting item is due (for the periodic retry), or null. */
  async nextDue(): Promise<number | null> {
    const due = (await this.list()).filter((i) => i.state === "waiting" || (i.state === "sending" && !this.inFlight.has(i.id)));
    return due.length ? Math.min(...due.map((i) => i.nextAttemptAt)) : null;
  }

  private async flushNow(force: boolean): Promise<void> {
    for (const item of await this.list()) {
      if (this.inFlight.has(item.id)) continue;
      // "sending" without being in flight here: the tab that sent it closed before the answer.
      if (item.state !== "waiting" && item.state !== "sending") continue;
      if (!force && item.nextAttemptAt > this.now()) continue;
      this.inFlight.add(item.id);
      try {
        await this.attempt(item);
      } finally {
        this.inFlight.delete(item.id);
      }
    }
  }

  private async attempt(item: OutboxItem): Promise<void> {
    const sending = { ...item, state: "sending" as const, attempts: item.attempts + 1 };
    await this.put(sending);
    let response: Response;
    try {
      response = await this.send(sending);
    } catch {
      await this.afterNetworkFailure(sending);
      return;
    }
    if (response.ok) {
      await this.remove(item.id);
      for (const listener of this.sentListeners) listener(sending, response);
      return;
    }
    const body = await response.json().catch(() => null);
    const { message, code } = this.describe(response.status, body);
    if (response.status === 412) {
      await this.put({ ...sending, state: "conflict", error: message, errorCode: code });
    } else if (isTransient(response.status)) {
      await this.put({
        ...sending,
        state: "waiting",
        error: message,
        errorCode: code,
        nextAttemptAt: this.now() + backoffMs(sending.attempts, this.baseDelayMs, this.maxDelayMs),
      });
    } else {
      await this.put({ ...sending, state: "failed", error: message, errorCode: code });
    }
  }

  private async afterNetworkFailure(item: OutboxItem): Promise<OutboxItem> {
    const waiting: OutboxItem = {
      ...item,
      state: "waiting",
      error: undefined,
      errorCode: "network",
      nextAttemptAt: this.now() + backoffMs(item.attempts, this.baseDelayMs, this.maxDelayMs),
    };
    await this.put(waiting);
    return waiting;
  }

  private async put(item: OutboxItem): Promise<void> {
    await set(item.id, item, this.store);
    this.emit();
  }

  private emit(): void {
    for (const listener of this.listeners) listener();
  }
}
