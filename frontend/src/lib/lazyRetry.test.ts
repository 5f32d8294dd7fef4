import { describe, expect, it } from "vitest";
import { isChunkError, withRetry } from "./lazyRetry";

describe("withRetry", () => {
  it("tries again after a failed load and gives up after the retries", async () => {
    let calls = 0;
    await expect(withRetry(async () => (++calls < 3 ? Promise.reject(new TypeError("Failed to fetch")) : "ok"), 3, 1)).resolves.toBe("ok");
    expect(calls).toBe(3);
    calls = 0;
    await expect(withRetry(async () => Promise.reject(new TypeError(`fail ${++calls}`)), 2, 1)).rejects.toThrow("fail 3");
  });

  it("tells a failed chunk from a bug in the page", () => {
    expect(isChunkError(new TypeError("Failed to fetch dynamically imported module: /assets/AuditPage-x.js"))).toBe(true);
    expect(isChunkError(new TypeError("Cannot read properties of undefined"))).toBe(false);
  });
});
