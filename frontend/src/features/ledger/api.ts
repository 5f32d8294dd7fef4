// The ledger feature (资金台账) and its donors (捐赠方): calls, query keys, codes (labels in
// src/i18n/zh-CN.ts under `ledger.*` / `donor.*`), the filters in the URL and the entry form's
// body. Amounts are integer fen in the API; 元 typed in a form become fen by string arithmetic
// (`parseYuan`). Entries are never edited: a mistake is reversed (a new, negative entry, sent
// through the outbox like any create); the committee's confirmation is an online action.
import { api, unwrap, type Schemas } from "../../api/client";
import { postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { Role } from "../../components/roles";
import { parseYuan } from "../../lib/amounts";
import type { OutboxRequest } from "../../lib/outbox";
import { blankToNull } from "../../lib/values";
import { today } from "../households/api";

export type LedgerEntry = Schemas["LedgerEntry"];
export type LedgerSums = Schemas["LedgerSums"];
export type Donor = Schemas["Donor"];
export type LedgerQuery = NonNullable<paths["/api/v1/ledger"]["get"]["parameters"]["query"]>;
export type TotalsQuery = paths["/api/v1/ledger/totals"]["get"]["parameters"]["query"];
export type DonorQuery = NonNullable<paths["/api/v1/donors"]["get"]["parameters"]["query"]>;

export const KINDS = ["allocation", "expenditure", "cash_donation", "in_kind_donation"] as const;
export const SOURCES = ["finance", "department", "donor", "other"] as const;
export const DONOR_KINDS = ["enterprise", "government", "ngo", "individual"] as const;

/** Unconfirmed entries older than this many days are flagged (PRODUCT.md). */
export const CONFIRMATION_DAYS = 30;
export const LEDGER_PAGE_SIZE = 50;

export const isDonation = (kind: string | undefined) => kind === "cash_donation" || kind === "in_kind_donation";

/** The kinds a role records: the department allocates, the team spends and records donations. */
export function kindsFor(role: Role | undefined): string[] {
  if (role === "department") return ["allocation"];
  if (role === "team") return ["expenditure", "cash_donation", "in_kind_donation"];
  return [];
}

/** Whether this role may reverse this entry now (whoever may record its kind; once; never a reversal). */
export function mayReverse(role: Role | undefined, e: LedgerEntry): boolean {
  return kindsFor(role).includes(e.kind) && e.reverses_id == null && e.reversed_by_id == null;
}

/** An entry waiting for the committee longer than the rule allows (flagged in the list). */
export function waitingTooLong(e: LedgerEntry, now = new Date()): boolean {
  if (!e.confirmable) return false;
  const day = Date.UTC(Number(e.date.slice(0, 4)), Number(e.date.slice(5, 7)) - 1, Number(e.date.slice(8, 10)));
  const t = today(now);
  const todayUtc = Date.UTC(Number(t.slice(0, 4)), Number(t.slice(5, 7)) - 1, Number(t.slice(8, 10)));
  return (todayUtc - day) / 86_400_000 > CONFIRMATION_DAYS;
}

/** What the committee has to confirm, oldest first (at most 500 at once; a village has a handful). */
export const PENDING_QUERY: LedgerQuery = { unconfirmed: true, sort: "date", limit: 500 };

export const ledgerKeys = {
  all: ["ledger"] as const,
  list: (query: LedgerQuery) => ["ledger", "list", query] as const,
  totals: (query: TotalsQuery) => ["ledger", "totals", query] as const,
};

export const donorKeys = {
  all: ["donors"] as const,
  list: (query: DonorQuery) => ["donors", "list", query] as const,
};

export const fetchLedger = (query: LedgerQuery) => unwrap(api.GET("/api/v1/ledger", { params: { query } }));
export const fetchTotals = (query: TotalsQuery) => unwrap(api.GET("/api/v1/ledger/totals", { params: { query } }));
export const fetchDonors = (query: DonorQuery) => unwrap(api.GET("/api/v1/donors", { params: { query } }));

/** The committee confirms receipt: online, once (409 `already_confirmed` when someone was first). */
export const confirmEntry = (id: number) => unwrap(api.POST("/api/v1/ledger/{id}/confirmation", { params: { path: { id } } }));

/** A reversal is a create (with its Idempotency-Key): it goes through the outbox. */
export function reversalRequest(id: number, reason: string, idempotencyKey: string): OutboxRequest {
  return { ...postTo("/api/v1/ledger/{id}/reversal", { reason: reason.trim() }, { id }), idempotencyKey };
}

// ----- the list's filters (in the URL) -----

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);
const oneOf = (v: string | undefined, codes: readonly string[]) => (v && codes.includes(v) ? v : undefined);

/** The list's filters from the URL's parameters (anything the API would refuse is dropped). */
export function ledgerFilters(get: (name: string) => string | undefined): Omit<LedgerQuery, "limit" | "cursor"> {
  const year = num(get("year"));
  return {
    village_id: num(get("village")),
    project_id: num(get("project")),
    kind: oneOf(get("kind"), KINDS),
    source: oneOf(get("source"), SOURCES),
    donor_id: num(get("donor")),
    year: year !== undefined && year >= 2011 && year <= 2100 ? year : undefined,
    unconfirmed: get("unconfirmed") === "1" ? true : undefined,
    q: get("q")?.trim() || undefined,
    sort: get("sort") === "-amount" ? "-amount" : "-date",
  };
}

/** The one totals call for the list's filters (grouped by kind; the page shows the overall sums). */
export function totalsFor(filters: Omit<LedgerQuery, "limit" | "cursor">): TotalsQuery {
  const rest = { ...filters };
  delete rest.sort;
  return { ...rest, group_by: "kind" };
}

/** Received minus spent, in fen. */
export const net = (sums: LedgerSums) => sums.received_fen - sums.spent_fen;

// ----- the entry form -----

export interface EntryValues {
  village_id?: number;
  project_id?: number | null;
  date: string;
  kind?: string;
  source?: string;
  donor_id?: number | null;
  item: string;
  /** As typed, e.g. "15" or "2.5"; sent as the API's decimal string. */
  quantity: string;
  unit: string;
  /** 元 as typed; sent as integer fen (an unreadable amount as -1, for the server to name). */
  amount_fen: string;
  evidence: string;
}

export const ENTRY_FIELDS = ["village_id", "project_id", "date", "kind", "source", "donor_id", "item", "quantity", "unit", "amount_fen", "evidence"] as const;

const text = (v: string | null | undefined) => blankToNull(v?.trim().normalize("NFC"));

/** "１５．５" → "15.5"; a quantity the server checks (more than 0, at most three decimals). */
export function normalizeQuantity(raw: string | null | undefined): string | null {
  const value = (raw ?? "").normalize("NFKC").trim().replaceAll(",", "");
  return value === "" ? null : value;
}

export function isQuantity(raw: string | null | undefined): boolean {
  const value = normalizeQuantity(raw);
  return value !== null && /^\d{1,9}(\.\d{1,3})?$/.test(value) && /[1-9]/.test(value);
}

/** `villageId`: the village the form was opened for (then it has no village field). */
export function toCreateBody(values: EntryValues, villageId?: number): Schemas["LedgerEntryCreate"] {
  const kind = values.kind ?? "";
  const inKind = kind === "in_kind_donation";
  const source = isDonation(kind) ? "donor" : (values.source ?? "");
  return {
    village_id: villageId ?? values.village_id ?? 0,
    project_id: values.project_id ?? null,
    date: values.date,
    kind,
    source,
    donor_id: source === "donor" ? (values.donor_id ?? null) : null,
    item: inKind ? text(values.item) : null,
    quantity: inKind ? normalizeQuantity(values.quantity) : null,
    unit: inKind ? text(values.unit) : null,
    amount_fen: parseYuan(values.amount_fen) ?? -1,
    evidence: text(values.evidence),
  };
}

/** A new entry's values: today, the role's only kind when it has one, the place it was opened from. */
export function emptyEntry(role: Role | undefined, villageId: number | undefined, projectId: number | undefined, now = new Date()): Partial<EntryValues> {
  const kinds = kindsFor(role);
  const kind = kinds.length === 1 ? kinds[0] : undefined;
  return {
    village_id: villageId,
    project_id: projectId ?? null,
    date: today(now),
    kind,
    source: kind === "allocation" ? "finance" : undefined,
    item: "",
    quantity: "",
    unit: "",
    amount_fen: "",
    evidence: "",
  };
}

// ----- donors -----

export interface DonorValues {
  name: string;
  kind?: string;
  contact: string;
  notes: string;
}

export function donorCreate(values: DonorValues): Omit<OutboxRequest, "idempotencyKey"> {
  return postTo("/api/v1/donors", { name: values.name.trim(), kind: values.kind ?? "", contact: text(values.contact), notes: text(values.notes) });
}
