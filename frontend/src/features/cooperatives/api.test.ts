import { describe, expect, it } from "vitest";
import { ApiError, NetworkError } from "../../api/client";
import { problemMessage, withYuan, type Translate } from "../../api/problem";
import zh from "../../i18n/zh-CN";
import {
  capitalOf,
  classifyPreviewError,
  coopFilters,
  distributableOf,
  percentOf,
  planBody,
  planCreate,
  requiredByTrade,
  sharesInYear,
  sharesTotal,
  toCoopCreate,
  toCoopPatch,
  toMemberBody,
  toRules,
} from "./api";

describe("the 60 % rule's figures", () => {
  it("requires 60 % of the distributable surplus rounded up to the fen (the server's formula)", () => {
    expect(requiredByTrade(24_300_000)).toBe(14_580_000);
    expect(requiredByTrade(10_000_000)).toBe(6_000_000);
    // 60 % of 1 fen is 0.6 fen: one whole fen is required.
    expect(requiredByTrade(1)).toBe(1);
    expect(requiredByTrade(101)).toBe(61);
    expect(requiredByTrade(1_000_000_000_000)).toBe(600_000_000_000);
  });

  it("shows a share of the surplus in percent, rounded down, without floating point", () => {
    expect(percentOf(5_999_000, 10_000_000)).toBe("59.99");
    expect(percentOf(6_000_000, 10_000_000)).toBe("60.00");
    expect(percentOf(14_580_000, 24_300_000)).toBe("60.00");
    expect(percentOf(1, 3)).toBe("33.33");
    expect(percentOf(5, 1000)).toBe("0.50");
    expect(percentOf(0, 0)).toBe("0.00");
    expect(percentOf(999_999_999_999, 1_000_000_000_000)).toBe("99.99");
  });
});

describe("the planner's request", () => {
  it("reads 元 exactly and leaves out members with no trade", () => {
    expect(planBody({ year: 2025, by_trade_fen: "59,990", trade: { "27": "0.3", "26": "1200", "28": "", "29": "0" } })).toEqual({
      year: 2025,
      by_trade_fen: 5_999_000,
      trade: [
        { member_id: 26, trade_fen: 120_000 },
        { member_id: 27, trade_fen: 30 },
      ],
    });
  });

  it("asks for no preview while the year or the amount is missing or an amount is unreadable", () => {
    expect(planBody({ by_trade_fen: "100", trade: {} })).toBeNull();
    expect(planBody({ year: 2025, by_trade_fen: " ", trade: {} })).toBeNull();
    expect(planBody({ year: 2025, by_trade_fen: "1.005", trade: {} })).toBeNull();
    expect(planBody({ year: 2025, by_trade_fen: "100", trade: { "1": "-5" } })).toBeNull();
  });

  it("saves without preview, an unreadable amount as -1 for the server to name", () => {
    const saved = planCreate(4, { year: 2025, by_trade_fen: "60000", trade: { "26": "100" } });
    expect(saved).toEqual({ method: "POST", path: "/api/v1/cooperatives/4/distributions", body: { year: 2025, by_trade_fen: 6_000_000, trade: [{ member_id: 26, trade_fen: 10_000 }], preview: false } });
    const bad = planCreate(4, { year: 2025, by_trade_fen: "abc", trade: { "26": "1e3" } });
    expect(bad.body).toEqual({ year: 2025, by_trade_fen: -1, trade: [{ member_id: 26, trade_fen: -1 }], preview: false });
  });

  it("tells the shortfall from other refusals and from a missing link", () => {
    const short = new ApiError(422, {
      status: 422,
      code: "distribution_below_sixty_percent",
      params: { required_fen: "6000000", planned_fen: "5999000", short_fen: "1000" },
    });
    expect(classifyPreviewError(short)).toMatchObject({ kind: "short", requiredFen: 6_000_000, plannedFen: 5_999_000, shortFen: 1000 });
    expect(classifyPreviewError(new ApiError(422, { status: 422, code: "no_basis" })).kind).toBe("refused");
    expect(classifyPreviewError(new NetworkError(new TypeError("Failed to fetch"))).kind).toBe("offline");
  });

  it("counts who shares in a year: joined by its end, not left before its start", () => {
    expect(sharesInYear({ joined_on: "2025-12-31", left_on: null }, 2025)).toBe(true);
    expect(sharesInYear({ joined_on: "2026-01-01", left_on: null }, 2025)).toBe(false);
    expect(sharesInYear({ joined_on: "2020-01-01", left_on: "2025-01-01" }, 2025)).toBe(true);
    expect(sharesInYear({ joined_on: "2020-01-01", left_on: "2024-12-31" }, 2025)).toBe(false);
  });

  it("adds shares in fen", () => {
    const share = (total_fen: number) => ({ member_id: 1, name: "", trade_fen: 0, capital_fen: 0, by_trade_fen: 0, by_capital_fen: 0, total_fen });
    expect(sharesTotal([share(3_333_334), share(3_333_333), share(3_333_333)])).toBe(10_000_000);
  });
});

describe("the shortfall message", () => {
  const t: Translate = (key, { defaultValue, ...params }) => {
    const [group, code] = key.split(".") as ["problem", keyof typeof zh.problem];
    const text = group === "problem" ? zh.problem[code] : undefined;
    return text ? text.replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(params[name] ?? "")) : defaultValue;
  };

  it("names the amounts in 元, not in fen", () => {
    const message = problemMessage(
      { status: 422, code: "distribution_below_sixty_percent", params: { required_fen: "6000000", planned_fen: "5999000", short_fen: "1000" } },
      t,
    );
    expect(message).toBe("按交易量返还的盈余不得低于可分配盈余的 60%：至少应为 60,000.00 元，方案为 59,990.00 元，还差 10.00 元");
  });

  it("adds a 元 parameter for each fen parameter and leaves others alone", () => {
    expect(withYuan({ distributable_fen: "-1050", part: "trade", short_fen: "x" })).toEqual({
      distributable_fen: "-1050",
      distributable_yuan: "-10.50",
      part: "trade",
      short_fen: "x",
    });
  });
});

describe("the forms", () => {
  it("sends a cooperative's rule documents as dates or null", () => {
    const body = toCoopCreate(
      { name: " 马格达村牦牛奶合作社 ", kind: "breeding", founded_on: "2024-04-01", registration_number: "", rules: { investment: "2024-04-01", finance: "" }, notes: "" },
      9,
    );
    expect(body).toEqual({
      village_id: 9,
      name: "马格达村牦牛奶合作社",
      kind: "breeding",
      founded_on: "2024-04-01",
      registration_number: null,
      rules: { investment: "2024-04-01", finance: null, safety: null, members: null, wages: null },
      notes: null,
    });
    expect("village_id" in toCoopPatch({ village_id: 9, name: "x", kind: "other", founded_on: "2024-04-01", registration_number: "", rules: {}, notes: "" })).toBe(false);
    expect(toRules(undefined)).toEqual({ investment: null, finance: null, safety: null, members: null, wages: null });
  });

  it("reads a member's contributions in 元 exactly (empty is 0, unreadable is -1)", () => {
    const body = toMemberBody({ name: "次仁", household_id: null, joined_on: "2024-04-01", left_on: "", cash_fen: "3,000", land_fen: "", livestock_fen: "0.29", note: " " });
    expect(body).toMatchObject({ name: "次仁", cash_fen: 300_000, land_fen: 0, livestock_fen: 29, left_on: null, note: null, household_id: null });
    expect(toMemberBody({ name: "x", joined_on: "2024-04-01", cash_fen: "1.005", land_fen: "", livestock_fen: "", note: "" }).cash_fen).toBe(-1);
    expect(capitalOf({ cash_fen: "3000", land_fen: "0.3", livestock_fen: "" })).toBe(300_030);
    expect(capitalOf({ cash_fen: "abc" })).toBeNull();
  });

  it("computes the distributable surplus as the server does", () => {
    expect(distributableOf({ revenue_fen: "680,000", costs_fen: "410000", losses_made_good_fen: "", reserves_fen: "27000" })).toBe(24_300_000);
    expect(distributableOf({ revenue_fen: "100", costs_fen: "200" })).toBe(-10_000);
    expect(distributableOf({ revenue_fen: "1e5", costs_fen: "1" })).toBeNull();
  });

  it("keeps only filters the API takes", () => {
    const get = (params: Record<string, string>) => (name: string) => params[name];
    expect(coopFilters(get({ village: "9", kind: "handicraft", q: " 手工 " }))).toEqual({ village_id: 9, kind: "handicraft", q: "手工", sort: "name" });
    expect(coopFilters(get({ village: "x", kind: "mining" }))).toEqual({ village_id: undefined, kind: undefined, q: undefined, sort: "name" });
  });
});
