// The cooperatives feature (合作社): calls, query keys, the kind and rule-document codes (labels in
// src/i18n/zh-CN.ts under `coop.*`), the list's filters, the forms (cooperative, member, a year's
// accounts) and the distribution planner's arithmetic. Money is integer fen in the API; 元 typed
// in a form become fen by string arithmetic (`parseYuan`), never floating point. The 60 % rule
// itself is the server's (crates/domain/src/cooperative.rs): the planner asks it with
// `"preview": true` as the numbers are typed; `requiredByTrade` only mirrors its formula for the
// figure shown before the answer arrives.
import { api, ApiError, NetworkError, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo, putAt } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";
import { fenToYuan, parseYuan } from "../../lib/amounts";
import type { OutboxRequest } from "../../lib/outbox";
import { blankToNull } from "../../lib/values";
import { today } from "../households/api";

export type Cooperative = Schemas["Cooperative"];
export type Member = Schemas["Member"];
export type YearAccounts = Schemas["YearAccounts"];
export type Distribution = Schemas["Distribution"];
export type DistributionShare = Schemas["DistributionShare"];
export type RuleDocuments = Schemas["RuleDocuments"];
export type CooperativeQuery = NonNullable<paths["/api/v1/cooperatives"]["get"]["parameters"]["query"]>;

export const KINDS = ["breeding", "grass_planting", "farming", "restaurant", "handicraft", "transport", "tourism", "other"] as const;
/** The five rule documents (规章制度), in the order the checklist shows them. */
export const RULES = ["investment", "finance", "safety", "members", "wages"] as const;
export type RuleCode = (typeof RULES)[number];

/** The share of the distributable surplus that must go back by trade volume (PRODUCT.md). */
export const MIN_TRADE_PERCENT = 60;
export const COOP_PAGE_SIZE = 50;
/** The first year of the programme (and of any accounts the API takes). */
export const FIRST_YEAR = 2011;

export const coopKeys = {
  all: ["cooperatives"] as const,
  list: (query: CooperativeQuery) => ["cooperatives", "list", query] as const,
  detail: (id: number) => ["cooperatives", id] as const,
  members: (id: number) => ["cooperatives", id, "members"] as const,
  years: (id: number) => ["cooperatives", id, "years"] as const,
  distributions: (id: number) => ["cooperatives", id, "distributions"] as const,
  preview: (id: number, body: unknown) => ["cooperatives", id, "preview", body] as const,
};

export const fetchCooperative = (id: number) => unwrapWithEtag(api.GET("/api/v1/cooperatives/{id}", { params: { path: { id } } }));
export const fetchCooperatives = (query: CooperativeQuery) => unwrap(api.GET("/api/v1/cooperatives", { params: { query } }));
export const fetchMembers = (id: number) => unwrap(api.GET("/api/v1/cooperatives/{id}/members", { params: { path: { id } } }));
export const fetchYears = (id: number) => unwrap(api.GET("/api/v1/cooperatives/{id}/years", { params: { path: { id } } }));
export const fetchDistributions = (id: number) => unwrap(api.GET("/api/v1/cooperatives/{id}/distributions", { params: { path: { id } } }));

/** The API has no single-member read: the member comes from its cooperative's list (ETag = version). */
export async function fetchMember(coopId: number, memberId: number): Promise<{ data: Member; etag: string }> {
  const list = await fetchMembers(coopId);
  const member = list.items.find((m) => m.id === memberId);
  if (!member) throw new ApiError(404, { status: 404, code: "not_found", title: "Not Found" });
  return { data: member, etag: `"${member.version}"` };
}

/** One year's accounts (ETag = version), or 404 while the year has none. */
export async function fetchYear(coopId: number, year: number): Promise<{ data: YearAccounts; etag: string }> {
  const list = await fetchYears(coopId);
  const found = list.items.find((y) => y.year === year);
  if (!found) throw new ApiError(404, { status: 404, code: "not_found", title: "Not Found" });
  return { data: found, etag: `"${found.version}"` };
}

// ----- the list's filters (in the URL) -----

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

export function coopFilters(get: (name: string) => string | undefined): Omit<CooperativeQuery, "limit" | "cursor"> {
  const kind = get("kind");
  return {
    village_id: num(get("village")),
    kind: kind && (KINDS as readonly string[]).includes(kind) ? kind : undefined,
    q: get("q")?.trim() || undefined,
    sort: "name",
  };
}

// ----- money -----

/** An amount the form could not read is sent as -1, so the server names the field. */
const fen = (yuan: string | undefined | null) => (yuan === undefined || yuan === null || yuan.trim() === "" ? 0 : (parseYuan(yuan) ?? -1));
/** 0 fen shows as an empty box (nothing typed), anything else as 元 with two decimals. */
const yuanOrBlank = (f: number) => (f === 0 ? "" : fenToYuan(f));
const text = (v: string | null | undefined) => blankToNull(v?.trim().normalize("NFC"));

/** Is this blank or an amount in 元 the API takes (at most two decimals, not negative)? */
export const isYuanOrBlank = (raw: string | undefined | null) => !raw || raw.trim() === "" || parseYuan(raw) !== null;

// ----- the cooperative form -----

export interface CooperativeValues {
  /** Create only: the village is fixed afterwards. */
  village_id?: number;
  name: string;
  kind?: string;
  founded_on?: string | null;
  registration_number: string;
  /** Each rule document's adoption day, or null while it is missing. */
  rules: Partial<Record<RuleCode, string | null>>;
  notes: string;
}

export const COOP_FIELDS = ["village_id", "name", "kind", "founded_on", "registration_number", "rules", "notes"] as const;

export function toRules(values: Partial<Record<RuleCode, string | null>> | undefined): RuleDocuments {
  const rules: RuleDocuments = {};
  for (const r of RULES) rules[r] = values?.[r] || null;
  return rules;
}

export function toCoopCreate(values: CooperativeValues, villageId: number | null): Schemas["CooperativeCreate"] {
  return {
    village_id: villageId ?? values.village_id ?? 0,
    name: values.name.trim().normalize("NFC"),
    kind: values.kind ?? "",
    founded_on: values.founded_on ?? "",
    registration_number: text(values.registration_number),
    rules: toRules(values.rules),
    notes: text(values.notes),
  };
}

export function toCoopPatch(values: CooperativeValues): Schemas["CooperativePatch"] {
  const { village_id: _village, ...rest } = toCoopCreate(values, null);
  void _village;
  return rest;
}

export function coopToValues(c: Cooperative): Partial<CooperativeValues> {
  return {
    village_id: c.village_id,
    name: c.name,
    kind: c.kind,
    founded_on: c.founded_on,
    registration_number: c.registration_number ?? "",
    rules: { ...toRules(c.rules) },
    notes: c.notes ?? "",
  };
}

export function cooperativeForm(villageId: number | null): RecordFormDef<Cooperative, CooperativeValues> {
  return {
    resource: "cooperatives",
    i18n: "coop",
    fields: COOP_FIELDS,
    fetchOne: fetchCooperative,
    toValues: coopToValues,
    empty: { village_id: villageId ?? undefined, name: "", registration_number: "", rules: {}, notes: "" },
    create: (values) => postTo("/api/v1/cooperatives", toCoopCreate(values, villageId)),
    update: (id, values) => patchAt("/api/v1/cooperatives/{id}", { id }, toCoopPatch(values)),
    label: (values) => values.name ?? "",
    after: (c) => `/cooperatives/${c.id}`,
  };
}

// ----- the member form -----

export interface MemberValues {
  name: string;
  household_id?: number | null;
  joined_on?: string | null;
  left_on?: string | null;
  /** 元 as typed; sent as integer fen. */
  cash_fen: string;
  land_fen: string;
  livestock_fen: string;
  note: string;
}

export const MEMBER_FIELDS = ["name", "household_id", "joined_on", "left_on", "cash_fen", "land_fen", "livestock_fen", "note"] as const;

export function toMemberBody(values: MemberValues): Schemas["MemberCreate"] {
  return {
    name: values.name.trim().normalize("NFC"),
    household_id: values.household_id ?? null,
    joined_on: values.joined_on ?? "",
    left_on: values.left_on || null,
    cash_fen: fen(values.cash_fen),
    land_fen: fen(values.land_fen),
    livestock_fen: fen(values.livestock_fen),
    note: text(values.note),
  };
}

export function memberToValues(m: Member): Partial<MemberValues> {
  return {
    name: m.name,
    household_id: m.household_id ?? null,
    joined_on: m.joined_on,
    left_on: m.left_on ?? null,
    cash_fen: yuanOrBlank(m.cash_fen),
    land_fen: yuanOrBlank(m.land_fen),
    livestock_fen: yuanOrBlank(m.livestock_fen),
    note: m.note ?? "",
  };
}

/** Capital typed so far, in fen (cash + land + livestock); `null` while an amount is unreadable. */
export function capitalOf(values: Partial<Pick<MemberValues, "cash_fen" | "land_fen" | "livestock_fen">>): number | null {
  const parts = [values.cash_fen, values.land_fen, values.livestock_fen].map((v) => fen(v));
  return parts.some((p) => p < 0) ? null : parts.reduce((a, b) => a + b, 0);
}

export function memberForm(coopId: number): RecordFormDef<Member, MemberValues> {
  return {
    resource: "cooperatives",
    i18n: "coopMember",
    fields: MEMBER_FIELDS,
    fetchOne: (id) => fetchMember(coopId, id),
    toValues: memberToValues,
    empty: { name: "", household_id: null, joined_on: today(), left_on: null, cash_fen: "", land_fen: "", livestock_fen: "", note: "" },
    create: (values) => postTo("/api/v1/cooperatives/{id}/members", toMemberBody(values), { id: coopId }),
    update: (id, values) => patchAt("/api/v1/cooperatives/{id}/members/{member_id}", { id: coopId, member_id: id }, toMemberBody(values)),
    label: (values) => values.name ?? "",
    after: () => `/cooperatives/${coopId}#members`,
  };
}

/** Whether a member shares in a year's distribution: joined by its end, not left before its start. */
export function sharesInYear(m: Pick<Member, "joined_on" | "left_on">, year: number): boolean {
  return m.joined_on <= `${year}-12-31` && (m.left_on == null || m.left_on >= `${year}-01-01`);
}

// ----- a year's accounts (PUT …/years/{year}; If-Match of the year's accounts once they exist) -----

export interface AccountValues {
  year?: number;
  revenue_fen: string;
  costs_fen: string;
  losses_made_good_fen: string;
  reserves_fen: string;
}

export const ACCOUNT_FIELDS = ["year", "revenue_fen", "costs_fen", "losses_made_good_fen", "reserves_fen"] as const;

export function toAccountsBody(values: AccountValues): Schemas["AccountsBody"] {
  return {
    revenue_fen: fen(values.revenue_fen),
    costs_fen: fen(values.costs_fen),
    losses_made_good_fen: fen(values.losses_made_good_fen),
    reserves_fen: fen(values.reserves_fen),
  };
}

export function accountsToValues(y: YearAccounts): Partial<AccountValues> {
  return {
    year: y.year,
    revenue_fen: fenToYuan(y.revenue_fen),
    costs_fen: fenToYuan(y.costs_fen),
    losses_made_good_fen: yuanOrBlank(y.losses_made_good_fen),
    reserves_fen: yuanOrBlank(y.reserves_fen),
  };
}

/** Revenue − costs − losses made good − reserves in fen, as the server computes it; `null` while unreadable. */
export function distributableOf(values: Partial<AccountValues>): number | null {
  const body = toAccountsBody({ revenue_fen: "", costs_fen: "", losses_made_good_fen: "", reserves_fen: "", ...values });
  const parts = [body.revenue_fen, body.costs_fen, body.losses_made_good_fen ?? 0, body.reserves_fen ?? 0];
  if (parts.some((p) => p < 0)) return null;
  const [revenue = 0, costs = 0, losses = 0, reserves = 0] = parts;
  return revenue - costs - losses - reserves;
}

/** The PUT for a year (RecordForm adds the If-Match of the loaded accounts when editing). */
export function accountsPut(coopId: number, year: number, values: AccountValues) {
  return putAt("/api/v1/cooperatives/{id}/years/{year}", { id: coopId, year }, toAccountsBody(values));
}

// ----- the distribution planner -----

/** The least that must go back by trade volume: 60 % of the surplus rounded up to the fen (the server's formula). */
export function requiredByTrade(distributableFen: number): number {
  const n = BigInt(distributableFen) * BigInt(MIN_TRADE_PERCENT);
  return Number((n + 99n) / 100n);
}

/** `part` of `whole` in percent with two decimals, rounded down ("59.99"); integer arithmetic only. */
export function percentOf(part: number, whole: number): string {
  if (whole <= 0 || part < 0) return "0.00";
  const hundredths = (BigInt(part) * 10000n) / BigInt(whole);
  const s = hundredths.toString().padStart(3, "0");
  return `${s.slice(0, -2)}.${s.slice(-2)}`;
}

export interface PlanValues {
  year?: number;
  /** 元 as typed: what goes back by trade volume. */
  by_trade_fen: string;
  /** Member id → that member's trade volume in 元 as typed. */
  trade: Record<string, string | undefined>;
}

export const PLAN_FIELDS = ["year", "by_trade_fen"] as const;

/** The request body for these values, or `null` while something is missing or unreadable (no preview then). */
export function planBody(values: Partial<PlanValues>): Schemas["DistributionRequest"] | null {
  if (!values.year || !values.by_trade_fen?.trim()) return null;
  const byTrade = parseYuan(values.by_trade_fen);
  if (byTrade === null) return null;
  const trade: Schemas["TradeVolume"][] = [];
  for (const [id, raw] of Object.entries(values.trade ?? {})) {
    if (!raw || raw.trim() === "") continue;
    const f = parseYuan(raw);
    if (f === null) return null;
    if (f > 0) trade.push({ member_id: Number(id), trade_fen: f });
  }
  trade.sort((a, b) => a.member_id - b.member_id);
  return { year: values.year, by_trade_fen: byTrade, trade };
}

/** Saving: the same body (an unreadable amount as -1, for the server to name). */
export function planCreate(coopId: number, values: PlanValues): Omit<OutboxRequest, "idempotencyKey"> {
  const body = planBody(values) ?? {
    year: values.year ?? 0,
    by_trade_fen: parseYuan(values.by_trade_fen) ?? -1,
    trade: Object.entries(values.trade ?? {})
      .filter(([, raw]) => raw && raw.trim() !== "")
      .map(([id, raw]) => ({ member_id: Number(id), trade_fen: parseYuan(raw) ?? -1 })),
  };
  return postTo("/api/v1/cooperatives/{id}/distributions", { ...body, preview: false }, { id: coopId });
}

export const previewPlan = (coopId: number, body: Schemas["DistributionRequest"]) =>
  unwrap(api.POST("/api/v1/cooperatives/{id}/distributions", { params: { path: { id: coopId } }, body: { ...body, preview: true } }));

export type PreviewState =
  | { kind: "incomplete" }
  | { kind: "checking" }
  | { kind: "ok"; plan: Distribution }
  | { kind: "short"; requiredFen: number; plannedFen: number; shortFen: number; problem: ApiError }
  | { kind: "refused"; problem: ApiError }
  | { kind: "offline" };

/** What a preview's failure means for the planner: the 60 % shortfall, another refusal, or no link. */
export function classifyPreviewError(error: unknown): PreviewState {
  if (error instanceof ApiError) {
    const p = error.problem?.params ?? {};
    if (error.status === 422 && error.problem?.code === "distribution_below_sixty_percent") {
      return { kind: "short", requiredFen: Number(p.required_fen), plannedFen: Number(p.planned_fen), shortFen: Number(p.short_fen), problem: error };
    }
    return { kind: "refused", problem: error };
  }
  if (error instanceof NetworkError || error instanceof TypeError) return { kind: "offline" };
  return { kind: "refused", problem: new ApiError(0, null) };
}

/** The shares' total in fen (the planner shows that it equals the distributable surplus). */
export const sharesTotal = (shares: readonly DistributionShare[]) => shares.reduce((sum, s) => sum + s.total_fen, 0);
