// The households feature (农牧户): calls, query keys, the codes the API uses (labels in
// src/i18n/zh-CN.ts under `household.*`) and the form definitions. Names, phone numbers and
// member names are personal data: admins get `phone` / `member_names` as null ("不可见").
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";
import type { OutboxRequest } from "../../lib/outbox";
import { blankToNull } from "../../lib/values";

export type Household = Schemas["Household"];
export type CategoryEntry = Schemas["CategoryEntry"];
export type Check = Schemas["Check"];
export type CheckItems = Schemas["CheckItems"];
export type HouseholdQuery = NonNullable<paths["/api/v1/households"]["get"]["parameters"]["query"]>;

export const CATEGORIES = ["poor", "marginal", "lifted", "monitored", "ordinary"] as const;
export const MONITORING_TYPES = ["unstable_lifted", "marginal_at_risk", "sudden_hardship"] as const;
export const CAUSES = [
  "illness",
  "disability",
  "schooling",
  "disaster",
  "land",
  "water",
  "skills",
  "labour",
  "capital",
  "transport",
  "motivation",
  "other",
] as const;
/** 两不愁三保障 + 饮水安全, in the order of the API's CheckItems. */
export const CHECK_ITEMS = ["food", "clothing", "education", "medical", "housing", "water"] as const;
export type CheckItem = (typeof CHECK_ITEMS)[number];

/** Tag colour classes (index.css) per category: each ≥ 4.5:1 on its background. */
export const CATEGORY_CLASS: Record<string, string> = {
  poor: "tag-error",
  marginal: "tag-warning",
  lifted: "tag-ok",
  monitored: "tag-warning",
  ordinary: "",
};

export const HOUSEHOLD_PAGE_SIZE = 30;

export const householdKeys = {
  all: ["households"] as const,
  list: (query: HouseholdQuery) => ["households", "list", query] as const,
  detail: (id: number) => ["households", id] as const,
  categories: (id: number) => ["households", id, "categories"] as const,
  checks: (id: number) => ["households", id, "checks"] as const,
};

export const fetchHousehold = (id: number) => unwrapWithEtag(api.GET("/api/v1/households/{id}", { params: { path: { id } } }));
export const fetchHouseholds = (query: HouseholdQuery) => unwrap(api.GET("/api/v1/households", { params: { query } }));
export const fetchCategories = (id: number) => unwrap(api.GET("/api/v1/households/{id}/categories", { params: { path: { id } } }));
export const fetchChecks = (id: number) => unwrap(api.GET("/api/v1/households/{id}/checks", { params: { path: { id } } }));

/** Today as `YYYY-MM-DD` in Beijing time (the day the villages live in). */
export function today(now = new Date()): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
}

/** The year of `today()`. */
export const thisYear = (now = new Date()) => Number(today(now).slice(0, 4));

// ----- create / edit -----

export interface HouseholdValues {
  village_id?: number;
  head_name: string;
  head_name_bo: string;
  members: number;
  member_names: string;
  phone: string;
  address: string;
  /** Create only: the first entry of the history. */
  category?: string;
  monitoring_type?: string | null;
  category_since?: string;
  causes: string[];
  notes: string;
}

const text = (v: string | null | undefined) => blankToNull(v?.trim());

function common(values: HouseholdValues) {
  return {
    head_name: values.head_name.trim(),
    head_name_bo: blankToNull(values.head_name_bo?.trim().normalize("NFC")),
    members: values.members,
    member_names: text(values.member_names),
    phone: text(values.phone),
    address: text(values.address),
    causes: values.causes ?? [],
    notes: text(values.notes),
  };
}

export function toCreateBody(values: HouseholdValues, villageId: number | null): Schemas["HouseholdCreate"] {
  return {
    village_id: villageId ?? values.village_id ?? 0,
    ...common(values),
    category: values.category ?? "",
    monitoring_type: values.category === "monitored" ? (values.monitoring_type ?? null) : null,
    category_since: values.category_since ?? "",
  };
}

export function toPatchBody(values: HouseholdValues): Schemas["HouseholdPatch"] {
  return common(values);
}

export function toValues(h: Household): Partial<HouseholdValues> {
  return {
    village_id: h.village_id,
    head_name: h.head_name,
    head_name_bo: h.head_name_bo ?? "",
    members: h.members,
    member_names: h.member_names ?? "",
    phone: h.phone ?? "",
    address: h.address ?? "",
    causes: [...h.causes],
    notes: h.notes ?? "",
  };
}

/** The form for a household: `villageId` preset for a new one from a village's page. */
export function householdForm(villageId: number | null): RecordFormDef<Household, HouseholdValues> {
  return {
    resource: "households",
    i18n: "household",
    fields: [
      "village_id",
      "head_name",
      "head_name_bo",
      "members",
      "member_names",
      "phone",
      "address",
      "category",
      "monitoring_type",
      "category_since",
      "causes",
      "notes",
    ],
    fetchOne: fetchHousehold,
    toValues,
    empty: { village_id: villageId ?? undefined, causes: [], category_since: today() },
    create: (values) => postTo("/api/v1/households", toCreateBody(values, villageId)),
    // Only writers (team, department) edit, and both see the personal fields: nothing hidden is cleared.
    update: (id, values) => patchAt("/api/v1/households/{id}", { id }, toPatchBody(values)),
    label: (values) => values.head_name ?? "",
    after: (household) => `/households/${household.id}`,
  };
}

// ----- category change (POST …/categories with the household's If-Match) -----

export interface CategoryValues {
  category: string;
  monitoring_type?: string | null;
  since: string;
  note: string;
}

export function toCategoryBody(values: CategoryValues): Schemas["CategoryChange"] {
  return {
    category: values.category,
    monitoring_type: values.category === "monitored" ? (values.monitoring_type ?? null) : null,
    since: values.since,
    note: text(values.note),
  };
}

export function categoryRequest(householdId: number, values: CategoryValues, ifMatch: string | undefined): OutboxRequest {
  return { ...postTo("/api/v1/households/{id}/categories", toCategoryBody(values), { id: householdId }), ifMatch };
}

// ----- this year's checklist (PUT …/checks/{year}; If-Match of the checklist when it exists) -----

export type CheckValues = Record<CheckItem, { met?: boolean; note?: string }>;

export function checkToValues(check: Check | undefined): CheckValues {
  const values = {} as CheckValues;
  for (const item of CHECK_ITEMS) values[item] = { met: check?.[item].met, note: check?.[item].note ?? "" };
  return values;
}

export function toCheckBody(values: CheckValues): CheckItems {
  const body = {} as CheckItems;
  // A missing answer is sent as such (`met` absent) so the server names the item.
  for (const item of CHECK_ITEMS) body[item] = { met: values[item]?.met as boolean, note: text(values[item]?.note) };
  return body;
}

export function checkRequest(householdId: number, year: number, values: CheckValues, ifMatch: string | undefined): OutboxRequest {
  return { method: "PUT", path: `/api/v1/households/${householdId}/checks/${year}`, body: toCheckBody(values), ifMatch };
}
