import { beforeEach, describe, expect, it } from "vitest";
import { NETWORK_RETRY_MS, Session, refreshLeadMs, type LogoutReason, type TokenPair } from "./session";

const BASE = "http://zhucun.test";

interface Timer {
  fn: () => void;
  at: number;
  cancelled: boolean;
}

/** A fake server and clock: records every request and answers from per-path handlers. */
function harness() {
  let clock = 1_000_000;
  const timers: Timer[] = [];
  const calls: { path: string; auth: string | null; body: string }[] = [];
  let serial = 0;
  const issued = (): TokenPair => {
    serial += 1;
    return { access_token: `access-${serial}`, refresh_token: `refresh-${serial}`, token_type: "Bearer", expires_in: 900, role: "team" };
  };
  const validAccess = new Set<string>();
  const handlers: Record<string, (req: Request, body: string) => Response | Promise<Response>> = {
    "/api/v1/auth/login": () => {
      const tokens = issued();
      validAccess.add(tokens.access_token);
      return Response.json(tokens);
    },
    "/api/v1/auth/refresh": () => {
      const tokens = issued();
      validAccess.add(tokens.access_token);
      return Response.json(tokens);
    },
    "/api/v1/auth/logout": () => new Response(null, { status: 204 }),
    "/api/v1/me": (req) => {
      const token = req.headers.get("Authorization")?.replace("Bearer ", "") ?? "";
      return validAccess.has(token)
        ? Response.json({ username: "admin" })
        : Response.json({ status: 401 }, { status: 401 });
    },
  };
  const fetch = async (req: Request) => {
    const path = new URL(req.url).pathname;
    const body = await req.clone().text();
    calls.push({ path, auth: req.headers.get("Authorization"), body });
    const handler = handlers[path];
    if (!handler) return new Response(null, { status: 404 });
    return handler(req, body);
  };
  const storage = window.localStorage;
  const logouts: LogoutReason[] = [];
  const session = new Session({
    baseUrl: BASE,
    storage,
    fetch,
    now: () => clock,
    setTimer: (fn, ms) => {
      const timer = { fn, at: clock + ms, cancelled: false };
      timers.push(timer);
      return timer;
    },
    clearTimer: (timer) => {
      (timer as Timer).cancelled = true;
    },
  });
  session.onLogout((reason) => logouts.push(reason));
  return {
    session,
    calls,
    handlers,
    validAccess,
    logouts,
    storage,
    pending: () => timers.filter((t) => !t.cancelled),
    /** Moves the clock and runs the timers that came due. */
    advance: async (ms: number) => {
      clock += ms;
      for (const timer of timers.filter((t) => !t.cancelled && t.at <= clock)) {
        timer.cancelled = true;
        timer.fn();
      }
      await new Promise((resolve) => setTimeout(resolve, 0));
      await new Promise((resolve) => setTimeout(resolve, 0));
    },
  };
}

const me = () => new Request(`${BASE}/api/v1/me`);

describe("Session", () => {
  beforeEach(() => window.localStorage.clear());

  it("stores tokens under the zhucun. prefix on login", async () => {
    const h = harness();
    // The role comes back with the tokens (the first page is chosen before /me answers).
    expect(await h.session.login("admin", "pw")).toBe("team");
    expect(h.storage.getItem("zhucun.access_token")).toBe("access-1");
    expect(h.storage.getItem("zhucun.refresh_token")).toBe("refresh-1");
    expect(h.session.isLoggedIn()).toBe(true);
  });

  it("refreshes shortly before the access token expires, not earlier", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    expect(refreshLeadMs(900)).toBe(60_000);
    await h.advance(900_000 - 60_000 - 1);
    expect(h.calls.filter((c) => c.path.endsWith("/refresh"))).toHaveLength(0);
    await h.advance(1);
    const refreshes = h.calls.filter((c) => c.path.endsWith("/refresh"));
    expect(refreshes).toHaveLength(1);
    expect(JSON.parse(refreshes[0]!.body)).toEqual({ refresh_token: "refresh-1" });
    expect(h.session.accessToken()).toBe("access-2");
    // and the next refresh is scheduled from the new token's lifetime
    expect(h.pending()).toHaveLength(1);
  });

  it("refreshes at once on start when the stored access token already expired", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    h.pending().forEach((t) => (t.cancelled = true));
    await h.advance(2_000_000); // a closed laptop: nothing ran
    h.session.start();
    await h.advance(0);
    expect(h.session.accessToken()).toBe("access-2");
  });

  it("shares one refresh between concurrent requests that meet a 401 and retries each once", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    h.validAccess.clear(); // the server no longer accepts access-1
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const original = h.handlers["/api/v1/auth/refresh"]!;
    h.handlers["/api/v1/auth/refresh"] = async (req, body) => {
      await gate;
      return original(req, body);
    };
    const results = Promise.all([h.session.fetch(me()), h.session.fetch(me()), h.session.fetch(me())]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    release();
    const responses = await results;
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    expect(h.calls.filter((c) => c.path.endsWith("/refresh"))).toHaveLength(1);
    const retried = h.calls.filter((c) => c.path === "/api/v1/me" && c.auth === "Bearer access-2");
    expect(retried).toHaveLength(3);
  });

  it("retries a request only once when the new token is refused as well", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    h.handlers["/api/v1/me"] = () => Response.json({ status: 401 }, { status: 401 });
    const response = await h.session.fetch(me());
    expect(response.status).toBe(401);
    expect(h.calls.filter((c) => c.path === "/api/v1/me")).toHaveLength(2);
    expect(h.calls.filter((c) => c.path.endsWith("/refresh"))).toHaveLength(1);
  });

  it("keeps the body of a retried POST", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    h.validAccess.clear();
    h.handlers["/api/v1/villages"] = (req, body) =>
      h.validAccess.has(req.headers.get("Authorization")!.slice(7))
        ? Response.json(JSON.parse(body), { status: 201 })
        : Response.json({}, { status: 401 });
    const post = new Request(`${BASE}/api/v1/villages`, { method: "POST", body: JSON.stringify({ name: "下地村" }) });
    const response = await h.session.fetch(post);
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({ name: "下地村" });
  });

  it("ends the session when the refresh token is refused, and says why", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    h.validAccess.clear();
    h.handlers["/api/v1/auth/refresh"] = () => Response.json({ status: 401 }, { status: 401 });
    const response = await h.session.fetch(me());
    expect(response.status).toBe(401);
    expect(h.session.isLoggedIn()).toBe(false);
    expect(h.storage.getItem("zhucun.refresh_token")).toBeNull();
    expect(h.logouts).toEqual(["expired"]);
  });

  it("keeps the session when the refresh fails on the network, and tries again later", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    h.handlers["/api/v1/auth/refresh"] = () => {
      throw new TypeError("Failed to fetch");
    };
    await h.advance(900_000 - 60_000);
    expect(h.session.isLoggedIn()).toBe(true);
    expect(h.logouts).toEqual([]);
    expect(h.pending()[0]?.at).toBeDefined();
    const restored = harness().handlers["/api/v1/auth/refresh"]!;
    h.handlers["/api/v1/auth/refresh"] = restored;
    await h.advance(NETWORK_RETRY_MS);
    expect(h.calls.filter((c) => c.path.endsWith("/refresh"))).toHaveLength(2);
    expect(h.session.isLoggedIn()).toBe(true);
  });

  it("does not reuse a refresh token another tab already rotated", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    h.validAccess.clear();
    // another tab refreshed: new tokens are in storage, this request still carried access-1
    h.storage.setItem("zhucun.access_token", "access-from-other-tab");
    h.storage.setItem("zhucun.refresh_token", "refresh-from-other-tab");
    h.validAccess.add("access-from-other-tab");
    const ok = await h.session.refresh("access-1");
    expect(ok).toBe(true);
    expect(h.calls.filter((c) => c.path.endsWith("/refresh"))).toHaveLength(0);
  });

  it("logout revokes the refresh token on the server and clears storage", async () => {
    const h = harness();
    await h.session.login("admin", "pw");
    await h.session.logout();
    const logout = h.calls.find((c) => c.path.endsWith("/logout"));
    expect(JSON.parse(logout!.body)).toEqual({ refresh_token: "refresh-1" });
    expect(h.storage.getItem("zhucun.access_token")).toBeNull();
    expect(h.logouts).toEqual(["logout"]);
    expect(h.pending()).toHaveLength(0);
  });

  it("reports a refused login with the server's problem", async () => {
    const h = harness();
    h.handlers["/api/v1/auth/login"] = () =>
      Response.json({ type: "https://zhucun.example/problems/unauthorized", status: 401 }, { status: 401 });
    await expect(h.session.login("admin", "bad")).rejects.toMatchObject({ status: 401 });
    expect(h.session.isLoggedIn()).toBe(false);
  });
});
