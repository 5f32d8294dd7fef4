import "fake-indexeddb/auto";
import { createStore } from "idb-keyval";
import { describe, expect, it } from "vitest";
import { backoffMs, Outbox, type OutboxRequest } from "./outbox";

let n = 0;
const freshStore = () => createStore(`outbox-test-${n++}`, "items");
const json = (status: number, body: unknown = {}) => new Response(JSON.stringify(body), { status });
const create = (key: string): OutboxRequest => ({ method: "POST", path: "/api/v1/offices", body: { name: key }, idempotencyKey: key });
const meta = { resource: "offices", label: "x" };

/** A server that honours Idempotency-Key: the first request per key creates, repeats replay. */
function fakeServer() {
  const created = new Map<string, unknown>();
  return {
    created,
    handle(request: OutboxRequest) {
      const key = request.idempotencyKey!;
      if (!created.has(key)) created.set(key, request.body);
      return json(201, { id: created.size });
    },
  };
}

describe("Outbox", () => {
  it("sends at once when it can and keeps nothing", async () => {
    const server = fakeServer();
    const outbox = new Outbox({ store: freshStore(), send: async (r) => server.handle(r) });
    const result = await outbox.submit(create("k1"), meta);
    expect(result.kind).toBe("sent");
    expect(await outbox.list()).toEqual([]);
    expect(server.created.size).toBe(1);
  });

  it("keeps a write whose request never got an answer, and sends it later with the same key", async () => {
    const server = fakeServer();
    let online = false;
    const seen: (string | undefined)[] = [];
    const outbox = new Outbox({
      store: freshStore(),
      send: async (r) => {
        seen.push(r.idempotencyKey);
        if (!online) throw new TypeError("Failed to fetch");
        return server.handle(r);
      },
    });
    const result = await outbox.submit(create("k1"), meta);
    expect(result.kind).toBe("queued");
    const [item] = await outbox.list();
    expect(item?.state).toBe("waiting");
    expect(item?.errorCode).toBe("network");
    online = true;
    await outbox.flush(true);
    expect(await outbox.list()).toEqual([]);
    expect(seen).toEqual(["k1", "k1"]);
    expect(server.created.size).toBe(1);
  });

  it("creates each record exactly once however often the answer is lost (seeded drops)", async () => {
    const server = fakeServer();
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let drops = 0;
    const outbox = new Outbox({
      store: freshStore(),
      send: async (r) => {
        const roll = random();
        if (roll < 0.3) {
          drops++;
          throw new TypeError("offline"); // never reached the server
        }
        const response = server.handle(r);
        if (roll < 0.6) {
          drops++;
          throw new TypeError("connection reset"); // reached the server, answer lost
        }
        return response;
      },
    });
    for (let i = 0; i < 40; i++) await outbox.submit(create(`key-${i}`), meta);
    for (let round = 0; round < 100 && (await outbox.list()).length > 0; round++) await outbox.flush(true);
    expect(drops).toBeGreaterThan(20);
    expect(await outbox.list()).toEqual([]);
    expect(server.created.size).toBe(40);
  });

  it("marks a queued update that meets a 412 as a conflict and resends it with a new If-Match on request", async () => {
    const ifMatches: (string | undefined)[] = [];
    let online = false;
    const outbox = new Outbox({
      store: freshStore(),
      send: async (r) => {
        if (!online) throw new TypeError("offline");
        ifMatches.push(r.ifMatch);
        return r.ifMatch === '"1"' ? json(412, { code: "precondition_failed" }) : json(200, { version: 3 });
      },
      describe: (_s, body) => ({ message: "changed", code: (body as { code?: string }).code }),
    });
    await outbox.submit({ method: "PATCH", path: "/api/v1/offices/1", body: { name: "n" }, ifMatch: '"1"' }, meta);
    online = true;
    await outbox.flush(true);
    const [item] = await outbox.list();
    expect(item?.state).toBe("conflict");
    expect(item?.errorCode).toBe("precondition_failed");
    await outbox.retry(item!.id, { ifMatch: '"2"' });
    expect(await outbox.list()).toEqual([]);
    expect(ifMatches).toEqual(['"1"', '"2"']);
  });

  it("fails an item the server refuses for good, keeps transient ones waiting with backoff", async () => {
    let now = 1_000;
    const statuses = [422, 503];
    const outbox = new Outbox({
      store: freshStore(),
      now: () => now,
      baseDelayMs: 100,
      send: async () => {
        throw new TypeError("offline");
      },
    });
    await outbox.submit(create("a"), meta);
    await outbox.submit(create("b"), meta);
    const replying = new Outbox({
      store: (outbox as unknown as { store: ReturnType<typeof freshStore> }).store,
      now: () => now,
      baseDelayMs: 100,
      send: async () => json(statuses.shift()!, { detail: "no" }),
      describe: (status) => ({ message: `status ${status}` }),
    });
    now += 1_000;
    await replying.flush();
    const items = await replying.list();
    expect(items.map((i) => i.state)).toEqual(["failed", "waiting"]);
    expect(items[0]!.error).toBe("status 422");
    expect(items[1]!.nextAttemptAt).toBe(now + backoffMs(2, 100, 60_000));
    // Not due yet: a timer-driven flush leaves it alone.
    await replying.flush();
    expect((await replying.list())[1]!.attempts).toBe(2);
  });

  it("clear() forgets everything (logout)", async () => {
    const outbox = new Outbox({ store: freshStore(), send: async () => Promise.reject(new TypeError("offline")) });
    await outbox.submit(create("a"), meta);
    await outbox.clear();
    expect(await outbox.list()).toEqual([]);
  });
});

describe("backoffMs", () => {
  it("doubles up to the maximum", () => {
    expect([1, 2, 3, 10].map((a) => backoffMs(a, 1000, 5000))).toEqual([1000, 2000, 4000, 5000]);
  });
});

describe("Outbox owners", () => {
  it("drops writes of another user who logged in on this device", async () => {
    const outbox = new Outbox({ store: freshStore(), send: async () => Promise.reject(new TypeError("offline")) });
    await outbox.submit(create("mine"), { ...meta, owner: 1 });
    await outbox.submit(create("theirs"), { ...meta, owner: 2 });
    await outbox.dropOtherUsers(1);
    expect((await outbox.list()).map((i) => i.idempotencyKey)).toEqual(["mine"]);
  });
});

describe("Outbox without IndexedDB", () => {
  it("still sends, and lets a network failure reach the caller", async () => {
    const broken = (() => Promise.reject(new Error("no IndexedDB"))) as unknown as ReturnType<typeof freshStore>;
    const ok = new Outbox({ store: broken, send: async () => json(201) });
    expect((await ok.submit(create("a"), meta)).kind).toBe("sent");
    const offline = new Outbox({ store: broken, send: async () => Promise.reject(new TypeError("Failed to fetch")) });
    await expect(offline.submit(create("b"), meta)).rejects.toThrow("Failed to fetch");
  });
});
