// 年度报告: the annual report of a year (a department, or one village) and the year-on-year
// comparison, both computed by the server from the records (GET /reports/annual[/compare]).
import { api, unwrap, type Schemas } from "../../api/client";
import type { paths } from "../../api/schema";

export type AnnualReport = Schemas["AnnualReport"];
export type AnnualComparison = Schemas["AnnualComparison"];
export type ReportQuery = paths["/api/v1/reports/annual"]["get"]["parameters"]["query"];
export type CompareQuery = paths["/api/v1/reports/annual/compare"]["get"]["parameters"]["query"];

/** The first year the system has records for (驻村 began in 2011). */
export const FIRST_YEAR = 2011;
/** Years shown in the comparison up to the chosen one. */
export const COMPARE_YEARS = 8;

export const reportKeys = {
  all: ["reports"] as const,
  annual: (query: ReportQuery) => ["reports", "annual", query] as const,
  compare: (query: CompareQuery) => ["reports", "compare", query] as const,
};

export const fetchReport = (query: ReportQuery) => unwrap(api.GET("/api/v1/reports/annual", { params: { query: { year: query.year, village_id: query.village_id } } }));
export const fetchCompare = (query: CompareQuery) => unwrap(api.GET("/api/v1/reports/annual/compare", { params: { query } }));

/** The comparison's range ending at `year`: at most COMPARE_YEARS years, never before 2011. */
export function compareRange(year: number, village_id?: number): CompareQuery {
  return { from: Math.max(FIRST_YEAR, year - COMPARE_YEARS + 1), to: year, village_id };
}

/** The department home page's funds over the years: the last ten years up to this one. */
export function homeCompareRange(now = new Date()): CompareQuery {
  // The year in Beijing time, as households/api.ts `thisYear` (not imported: this runs right after login).
  const year = Number(new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric" }).format(now));
  return { from: year - 9, to: year };
}

/** Fen → 万元 for drawing only (text always goes through formatYuan). */
export const fenToWan = (fen: number) => fen / 1_000_000;

/** A code → value map as rows in a fixed order (known codes first, then any the server adds). */
export function entries<T>(map: Record<string, T> | undefined, order: readonly string[] = []): [string, T][] {
  if (!map) return [];
  const known = order.filter((code) => code in map).map((code) => [code, map[code] as T] as [string, T]);
  const rest = Object.entries(map).filter(([code]) => !order.includes(code));
  return [...known, ...rest];
}

/** Sections that come later in the session (presence, disclosures): their numeric members, when present. */
export function optionalSection(report: AnnualReport, name: string): [string, number][] | null {
  const section = (report as unknown as Record<string, unknown>)[name];
  if (typeof section !== "object" || section === null) return null;
  return Object.entries(section).filter((e): e is [string, number] => typeof e[1] === "number");
}
