import { describe, expect, it } from "vitest";
import { loginPath, safeNext } from "./paths";

describe("login redirects", () => {
  it("comes back only to paths of this site", () => {
    expect(safeNext("/villages/3?q=x")).toBe("/villages/3?q=x");
    expect(safeNext("//evil.example/")).toBe("/");
    expect(safeNext("https://evil.example/")).toBe("/");
    expect(safeNext("/login?next=/x")).toBe("/");
    expect(safeNext(null)).toBe("/");
  });

  it("builds the login URL with where to return and why", () => {
    expect(loginPath("/")).toBe("/login");
    expect(loginPath("/rounds")).toBe("/login?next=%2Frounds");
    expect(loginPath("/rounds", true)).toBe("/login?next=%2Frounds&expired=1");
    expect(loginPath(undefined, true)).toBe("/login?expired=1");
  });
});
