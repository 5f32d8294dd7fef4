// 结对认亲 (pairings of a cadre with a household for a year) and 帮扶 (assistance given to a
// household): calls, query keys and form definitions. Money is integer fen; 元 typed in a form
// become fen by string arithmetic (src/lib/amounts.ts). The village committee reads neither (the
// server answers 404): pages ask `PAIRING_READERS` before showing these sections.
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";
import type { OutboxRequest } from "../../lib/outbox";
import { fenToYuan, yuanToFen } from "../../lib/amounts";
import { blankToNull } from "../../lib/values";
import { today } from "../households/api";

export type Pairing = Schemas["Pairing"];
export type Assistance = Schemas["Assistance"];
export type Coverage = Schemas["Coverage"];
export type AssistanceTotals = Schemas["AssistanceTotals"];
export type PairingQuery = NonNullable<paths["/api/v1/pairings"]["get"]["parameters"]["query"]>;
export type AssistanceQuery = NonNullable<paths["/api/v1/assistance"]["get"]["parameters"]["query"]>;
export type CoverageQuery = NonNullable<paths["/api/v1/pairings/coverage"]["get"]["parameters"]["query"]>;
export type TotalsQuery = NonNullable<paths["/api/v1/assistance/totals"]["get"]["parameters"]["query"]>;

export const KINDS = ["cash", "goods", "service"] as const;

/** A household has a handful of pairings and some dozens of assistance records over the years. */
export const HOUSEHOLD_LIST_LIMIT = 200;

export const pairingKeys = {
  all: ["pairings"] as const,
  list: (query: PairingQuery) => ["pairings", "list", query] as const,
  coverage: (query: CoverageQuery) => ["pairings", "coverage", query] as const,
};

export const assistanceKeys = {
  all: ["assistance"] as const,
  list: (query: AssistanceQuery) => ["assistance", "list", query] as const,
  totals: (query: TotalsQuery) => ["assistance", "totals", query] as const,
};

export const fetchPairings = (query: PairingQuery) => unwrap(api.GET("/api/v1/pairings", { params: { query } }));
export const fetchPairing = (id: number) => unwrapWithEtag(api.GET("/api/v1/pairings/{id}", { params: { path: { id } } }));
export const fetchCoverage = (query: CoverageQuery) => unwrap(api.GET("/api/v1/pairings/coverage", { params: { query } }));
export const fetchAssistanceList = (query: AssistanceQuery) => unwrap(api.GET("/api/v1/assistance", { params: { query } }));
export const fetchAssistance = (id: number) => unwrapWithEtag(api.GET("/api/v1/assistance/{id}", { params: { path: { id } } }));
export const fetchTotals = (query: TotalsQuery) => unwrap(api.GET("/api/v1/assistance/totals", { params: { query } }));

export const householdPairingsQuery = (householdId: number): PairingQuery => ({ household_id: householdId, sort: "-year", limit: HOUSEHOLD_LIST_LIMIT });
export const householdAssistanceQuery = (householdId: number): AssistanceQuery => ({ household_id: householdId, sort: "-date", limit: HOUSEHOLD_LIST_LIMIT });

// ----- a new pairing (create only: a wrong one is deleted and entered again) -----

export interface PairingValues {
  cadre_id: number;
  year: number;
  note: string;
}

export function pairingRequest(householdId: number, values: PairingValues): Omit<OutboxRequest, "idempotencyKey"> {
  return postTo("/api/v1/pairings", {
    household_id: householdId,
    cadre_id: values.cadre_id,
    year: values.year,
    note: blankToNull(values.note?.trim()),
  });
}

export function deletePairingRequest(pairing: Pick<Pairing, "id" | "version">): OutboxRequest {
  return { method: "DELETE", path: `/api/v1/pairings/${pairing.id}`, body: undefined, ifMatch: `"${pairing.version}"` };
}

// ----- assistance -----

export interface AssistanceValues {
  household_id?: number;
  given_on: string;
  kind: string;
  /** 元 as typed, e.g. "500" or "456.78"; sent as integer fen. */
  amount_fen: string;
  description: string;
  /** Optional: the server takes the household's only paired cadre of that year. */
  cadre_id?: number | null;
}

/** A value the form validated already; a leftover non-number becomes -1 so the server names the field. */
const fen = (yuan: string) => yuanToFen(yuan) ?? -1;

export function toAssistanceBody(householdId: number, values: AssistanceValues): Schemas["AssistanceCreate"] {
  return {
    household_id: householdId,
    given_on: values.given_on,
    kind: values.kind,
    amount_fen: fen(values.amount_fen ?? ""),
    description: (values.description ?? "").trim(),
    cadre_id: values.cadre_id ?? null,
  };
}

export function toAssistancePatch(values: AssistanceValues): Schemas["AssistancePatch"] {
  const body: Schemas["AssistancePatch"] = {
    given_on: values.given_on,
    kind: values.kind,
    amount_fen: fen(values.amount_fen ?? ""),
    description: (values.description ?? "").trim(),
  };
  // Only a chosen cadre is sent: the field cannot be emptied (every record has its cadre).
  if (values.cadre_id) body.cadre_id = values.cadre_id;
  return body;
}

/** The short form of a record of assistance: for a household (`householdId`) or corrected by id. */
export function assistanceForm(householdId: number | null): RecordFormDef<Assistance, AssistanceValues> {
  return {
    resource: "assistance",
    i18n: "assistance",
    fields: ["given_on", "kind", "amount_fen", "description", "cadre_id"],
    fetchOne: fetchAssistance,
    toValues: (a) => ({
      household_id: a.household_id,
      given_on: a.given_on,
      kind: a.kind,
      amount_fen: fenToYuan(a.amount_fen),
      description: a.description,
      cadre_id: a.cadre_id,
    }),
    empty: { given_on: today(), kind: "cash" },
    create: (values) => postTo("/api/v1/assistance", toAssistanceBody(householdId ?? values.household_id ?? 0, values)),
    update: (id, values) => patchAt("/api/v1/assistance/{id}", { id }, toAssistancePatch(values)),
    label: (values) => `${values.given_on ?? ""} ${values.description ?? ""}`.trim(),
    after: (a) => `/households/${a.household_id}#assistance`,
  };
}
