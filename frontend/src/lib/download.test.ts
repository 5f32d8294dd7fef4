import { describe, expect, it } from "vitest";
import { countNewlines, dispositionFilename, exportUrl, formatBytes } from "./download";

describe("dispositionFilename", () => {
  it("prefers the RFC 5987 UTF-8 name", () => {
    const header = `attachment; filename="2019-report.xlsx"; filename*=UTF-8''2019%E5%B9%B4%E9%A9%BB%E6%9D%91%E5%B7%A5%E4%BD%9C%E5%B9%B4%E6%8A%A5.xlsx`;
    expect(dispositionFilename(header)).toBe("2019年驻村工作年报.xlsx");
  });
  it("reads a quoted or bare plain name", () => {
    expect(dispositionFilename(`attachment; filename="ledger.csv"`)).toBe("ledger.csv");
    expect(dispositionFilename(`attachment; filename=ledger.csv`)).toBe("ledger.csv");
  });
  it("falls back to the plain name when the extended one is malformed", () => {
    expect(dispositionFilename(`attachment; filename="a.csv"; filename*=UTF-8''%E5%ZZ.csv`)).toBe("a.csv");
  });
  it("keeps directories out and answers null without a name", () => {
    expect(dispositionFilename(`attachment; filename="../x/y.csv"`)).toBe(".._x_y.csv");
    expect(dispositionFilename("attachment")).toBeNull();
    expect(dispositionFilename(null)).toBeNull();
  });
});

describe("exportUrl", () => {
  it("keeps the filters, drops empty ones and paging, adds the format", () => {
    expect(exportUrl("/api/v1/ledger", { village_id: 3, kind: undefined, q: "", unconfirmed: true, cursor: "c", limit: 50 }, "csv")).toBe(
      "/api/v1/ledger?village_id=3&unconfirmed=true&format=csv",
    );
  });
});

describe("progress", () => {
  it("formats bytes and counts rows", () => {
    expect(formatBytes(950)).toBe("950 B");
    expect(formatBytes(12_600)).toBe("12.3 KB");
    expect(countNewlines(new TextEncoder().encode("a\nb\nc"))).toBe(2);
  });
});
