import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime } from "./datetime";
import { IdempotencyKeys } from "./idempotency";

describe("dates in Asia/Shanghai", () => {
  it("shows a UTC instant in Beijing time", () => {
    expect(formatDateTime("2026-01-01T16:30:00Z", "zh-CN")).toBe("2026/01/02 00:30:00");
  });
  it("never shifts a plain date", () => {
    expect(formatDate("2019-10-01", "zh-CN")).toBe("2019/10/01");
    expect(formatDate("2019-10-01", "en")).toBe("01/10/2019");
  });
});

describe("IdempotencyKeys", () => {
  it("reuses the key for a retry of the same input and makes a new one for changed input", () => {
    const keys = new IdempotencyKeys();
    const first = keys.keyFor({ name: "a" });
    expect(keys.keyFor({ name: "a" })).toBe(first);
    expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(keys.keyFor({ name: "b" })).not.toBe(first);
    const second = keys.keyFor({ name: "b" });
    keys.reset();
    expect(keys.keyFor({ name: "b" })).not.toBe(second);
  });
});
