import { describe, expect, it } from "vitest";
import { compareRange, homeCompareRange, entries, fenToWan, optionalSection, type AnnualReport } from "./api";

describe("annual report helpers", () => {
  it("compares at most eight years, never before 2011", () => {
    expect(compareRange(2019)).toEqual({ from: 2012, to: 2019, village_id: undefined });
    expect(compareRange(2013, 4)).toEqual({ from: 2011, to: 2013, village_id: 4 });
  });
  it("the home page compares the last ten years, in Beijing's year", () => {
    expect(homeCompareRange(new Date("2026-12-31T17:00:00Z"))).toEqual({ from: 2018, to: 2027 });
    expect(homeCompareRange(new Date("2026-06-01T00:00:00Z"))).toEqual({ from: 2017, to: 2026 });
  });
  it("orders known codes first and keeps unknown ones", () => {
    expect(entries({ donor: 3, finance: 1, extra: 9 }, ["finance", "department", "donor"])).toEqual([
      ["finance", 1],
      ["donor", 3],
      ["extra", 9],
    ]);
    expect(entries(undefined)).toEqual([]);
  });
  it("draws money in 万元", () => {
    expect(fenToWan(370_030_000)).toBeCloseTo(370.03);
  });
  it("reads sections that arrive later only when present", () => {
    const report = { presence: { cadre_months: 12, below_minimum: 1, note: "x" } } as unknown as AnnualReport;
    expect(optionalSection(report, "presence")).toEqual([
      ["cadre_months", 12],
      ["below_minimum", 1],
    ]);
    expect(optionalSection(report, "disclosures")).toBeNull();
  });
});
