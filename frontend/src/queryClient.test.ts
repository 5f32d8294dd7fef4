import { describe, expect, it, vi } from "vitest";
import { landingOf, landingOfRole } from "./afterLogin";
import { boundedStore, CACHE_KEY, cacheRestored, clearQueryCache, queryClient } from "./queryClient";

describe("the saved query cache", () => {
  it("is dropped rather than written when it is over the bound", () => {
    const store = boundedStore(window.localStorage, "test.cache", 100);
    store.save({ buster: "1", timestamp: 0, state: { mutations: [], queries: [] } });
    expect(store.load()?.buster).toBe("1");
    const big = { buster: "1", timestamp: 0, state: { mutations: [], queries: [{ queryKey: ["x"], queryHash: "x".repeat(200) }] } };
    store.save(big as never);
    expect(window.localStorage.getItem("test.cache")).toBeNull();
  });
});

describe("clearing the cache at logout", () => {
  it("removes the saved copy now and keeps what the next session saves soon after", async () => {
    await cacheRestored;
    vi.useFakeTimers();
    try {
      queryClient.setQueryData(["villages"], ["马格达村"]);
      await vi.advanceTimersByTimeAsync(1500);
      expect(window.localStorage.getItem(CACHE_KEY)).toContain("马格达村");

      clearQueryCache();
      expect(window.localStorage.getItem(CACHE_KEY) ?? "").not.toContain("马格达村");

      // The next user logs in at once and their first page arrives within a second.
      queryClient.setQueryData(["villages"], ["亚卡亚村"]);
      await vi.advanceTimersByTimeAsync(5000);
      const saved = window.localStorage.getItem(CACHE_KEY) ?? "";
      expect(saved).toContain("亚卡亚村");
      expect(saved).not.toContain("马格达村");
    } finally {
      queryClient.clear();
      vi.useRealTimers();
    }
  });
});

describe("landingOf", () => {
  it("sends staff to the villages list and village users to their village", () => {
    expect(landingOf({ role: "admin", villages: [] })).toBe("staff");
    expect(landingOf({ role: "department", villages: [] })).toBe("department");
    expect(landingOf({ role: "team", villages: [{ id: 4, name: "马格达村" } as never] })).toBe("village:4");
    expect(landingOf({ role: "regional", villages: [] })).toBeNull();
  });

  it("is known from the role alone (the login answer) only where it does not depend on villages", () => {
    expect(landingOfRole("admin")).toBe("staff");
    expect(landingOfRole("department")).toBe("department");
    for (const role of ["team", "village_committee", "regional"] as const) expect(landingOfRole(role)).toBeNull();
  });
});
