import { describe, expect, it } from "vitest";
import { fenToYuan, formatCount, formatMu, formatYuan, isMu, parseYuan, tenthsToMu, yuanToFen } from "./amounts";

describe("元 → fen by string arithmetic", () => {
  it("converts exactly, where float rounding would not", () => {
    expect(yuanToFen("12.34")).toBe(1234);
    expect(yuanToFen("12")).toBe(1200);
    expect(yuanToFen("12.3")).toBe(1230);
    expect(yuanToFen("0.05")).toBe(5);
    expect(yuanToFen(" 18500 ")).toBe(1_850_000);
    // 1.005 * 100 = 100.49999999999999 and 4.35 * 100 = 434.99999999999994 in floating point.
    expect(yuanToFen("4.35")).toBe(435);
    expect(yuanToFen("1.01")).toBe(101);
    expect(yuanToFen("10000000000")).toBe(1_000_000_000_000);
  });
  it("refuses what is not an amount of 元", () => {
    for (const bad of ["", "-1", "1.234", "1e3", "1,000", ".5", "1.", "abc", "10000000000.01", "99999999999", undefined, null]) {
      expect(yuanToFen(bad), String(bad)).toBeNull();
    }
  });
  it("round-trips fen → 元 → fen", () => {
    for (const fen of [0, 5, 99, 100, 1234, 980000, 1_000_000_000_000]) expect(yuanToFen(fenToYuan(fen))).toBe(fen);
    expect(fenToYuan(1234)).toBe("12.34");
    expect(fenToYuan(5)).toBe("0.05");
    expect(fenToYuan(1200)).toBe("12.00");
  });
});

describe("元 as people type them", () => {
  it("reads decimals exactly (0.1 + 0.2 style: typing 0.3 stores 30 fen)", () => {
    expect(parseYuan("0.3")).toBe(30);
    expect(parseYuan("0.1")).toBe(10);
    expect(parseYuan("0.29")).toBe(29);
    expect(parseYuan("1.10")).toBe(110);
    expect(parseYuan("300000")).toBe(30_000_000);
  });
  it("reads full-width digits and digit grouping", () => {
    expect(parseYuan("１２")).toBe(1200);
    expect(parseYuan("１２．５")).toBe(1250);
    expect(parseYuan("1,234.56")).toBe(123_456);
    expect(parseYuan("1，234")).toBe(123_400);
    expect(parseYuan("12,345,678")).toBe(1_234_567_800);
    expect(parseYuan(" 950,000 ")).toBe(95_000_000);
  });
  it("refuses the rest rather than guessing", () => {
    for (const bad of ["", "  ", "1.005", "1e3", "-1", "-0.5", "+5", "12,34", "1,2345", ",123", "1.2.3", "0x10", "五十", "Infinity", "NaN", undefined, null]) {
      expect(parseYuan(bad), String(bad)).toBeNull();
    }
  });
});

describe("亩 as decimal strings", () => {
  it("accepts at most one decimal, like the API", () => {
    for (const ok of ["0", "0.5", "12500.5", "300", "999999999.9"]) expect(isMu(ok), ok).toBe(true);
    for (const bad of ["", "-1", "1.25", "1.", ".5", "1e3", "1,5", "1234567890"]) expect(isMu(bad), bad).toBe(false);
  });
  it("writes tenths as the API does", () => {
    expect(tenthsToMu(125005)).toBe("12500.5");
    expect(tenthsToMu(3000)).toBe("300");
    expect(tenthsToMu(1)).toBe("0.1");
  });
});

describe("Chinese number formatting", () => {
  it("groups digits and keeps two decimals of 元", () => {
    expect(formatCount(1234567)).toBe("1,234,567");
    expect(formatYuan(1_234_567)).toBe("12,345.67");
    expect(formatYuan(5)).toBe("0.05");
    expect(formatYuan(1_000_000_000_000)).toBe("10,000,000,000.00");
    expect(formatMu("186000.5")).toBe("186,000.5");
    expect(formatMu("1250")).toBe("1,250");
  });
});
