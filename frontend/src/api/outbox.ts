// The app's one outbox: sent through the session (bearer token, refresh), flushed when the link
// returns (`online`), on start, and by a timer with backoff while anything waits.
import { useEffect, useSyncExternalStore } from "react";
import i18n from "../i18n";
import { Outbox, type OutboxItem, type OutboxRequest } from "../lib/outbox";
import { session } from "./client";
import { problemMessage, type Problem } from "./problem";

const origin = typeof window !== "undefined" ? window.location.origin : "http://localhost";

function toRequest(item: OutboxRequest): Request {
  const headers = new Headers({ "Content-Type": "application/json", Accept: "application/json" });
  if (item.idempotencyKey) headers.set("Idempotency-Key", item.idempotencyKey);
  if (item.ifMatch) headers.set("If-Match", item.ifMatch);
  return new Request(origin + item.path, { method: item.method, headers, body: JSON.stringify(item.body) });
}

/** Retry delays can be shortened for tests and diagnosis (`localStorage["zhucun.outbox.retry_ms"]`). */
function baseDelay(): number {
  try {
    const value = Number(window.localStorage.getItem("zhucun.outbox.retry_ms"));
    return value > 0 ? value : 2_000;
  } catch {
    return 2_000;
  }
}

/** The logged-in user's id, set by AuthProvider once /me is known; queued writes carry it. */
let owner: number | undefined;
export function setOutboxOwner(id: number | undefined): void {
  owner = id;
  if (id !== undefined) void outbox.dropOtherUsers(id);
}
export const currentOwner = () => owner;

export const outbox = new Outbox({
  send: (item) => session.fetch(toRequest(item)),
  baseDelayMs: typeof window !== "undefined" ? baseDelay() : 2_000,
  maxDelayMs: 60_000,
  withLock:
    typeof navigator !== "undefined" && navigator.locks
      ? <T,>(fn: () => Promise<T>) => navigator.locks.request("zhucun.outbox", fn) as unknown as Promise<T>
      : undefined,
  describe: (status, body) => {
    const problem = body as Problem | null;
    return { message: problemMessage(problem, i18n.t.bind(i18n) as never, status), code: problem?.code };
  },
});

let items: OutboxItem[] = [];
let loaded = false;
const refresh = () =>
  outbox.list().then((list) => {
    items = list;
    loaded = true;
    for (const listener of snapshotListeners) listener();
  });
const snapshotListeners = new Set<() => void>();
outbox.subscribe(() => void refresh());

function subscribe(listener: () => void) {
  snapshotListeners.add(listener);
  if (!loaded) void refresh();
  return () => snapshotListeners.delete(listener);
}

/** The queued writes, live. */
export function useOutboxItems(): OutboxItem[] {
  return useSyncExternalStore(subscribe, () => items);
}

let timer: ReturnType<typeof setTimeout> | null = null;

async function schedule(): Promise<void> {
  if (timer) clearTimeout(timer);
  timer = null;
  const due = await outbox.nextDue();
  if (due === null) return;
  timer = setTimeout(() => {
    timer = null;
    void outbox.flush().finally(() => void schedule());
  }, Math.max(250, due - Date.now()));
}

/** Runs the queue while the app is open (mounted once, in the layout). */
export function useOutboxRunner(onSent: (item: OutboxItem) => void): void {
  useEffect(() => {
    const flushNow = () => void outbox.flush(true).finally(() => void schedule());
    const offSent = outbox.onSent((item) => onSent(item));
    const offChange = outbox.subscribe(() => void schedule());
    window.addEventListener("online", flushNow);
    flushNow();
    return () => {
      offSent();
      offChange();
      window.removeEventListener("online", flushNow);
      if (timer) clearTimeout(timer);
      timer = null;
    };
  }, [onSent]);
}
