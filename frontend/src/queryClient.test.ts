import { describe, expect, it } from "vitest";
import { landingOf } from "./afterLogin";
import { boundedStore } from "./queryClient";

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

describe("landingOf", () => {
  it("sends staff to the villages list and village users to their village", () => {
    expect(landingOf({ role: "admin", villages: [] })).toBe("staff");
    expect(landingOf({ role: "team", villages: [{ id: 4, name: "马格达村" } as never] })).toBe("village:4");
    expect(landingOf({ role: "regional", villages: [] })).toBeNull();
  });
});
