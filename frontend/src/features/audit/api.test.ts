import { describe, expect, it } from "vitest";
import { diffRows, entityPath } from "./api";

describe("audit entries", () => {
  it("shows only the fields that changed, without bookkeeping fields", () => {
    expect(
      diffRows({ name: "甲", county: "班戈县", version: 1, updated_at: "x" }, { name: "乙", county: "班戈县", version: 2, updated_at: "y" }),
    ).toEqual([{ field: "name", before: "甲", after: "乙" }]);
  });
  it("treats a create as every field of the new row", () => {
    expect(diffRows(null, { name: "甲", code: null })).toEqual([{ field: "name", before: null, after: "甲" }]);
  });
  it("links entities that have a page", () => {
    expect(entityPath("village", "3", null)).toBe("/villages/3");
    expect(entityPath("team_member", "9", { team_id: 4 })).toBe("/teams/4");
    expect(entityPath("department", "1", null)).toBeNull();
  });
});
