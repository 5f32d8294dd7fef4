// The villages feature's calls and query keys (types from the generated schema).
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import { blankToNull } from "../../lib/values";
import type { RecordFormDef } from "../../components/RecordPage";
import type { paths } from "../../api/schema";

export type Village = Schemas["Village"];
export type VillageQuery = NonNullable<paths["/api/v1/villages"]["get"]["parameters"]["query"]>;

export const villageKeys = {
  all: ["villages"] as const,
  list: (query: VillageQuery) => ["villages", "list", query] as const,
  detail: (id: number) => ["villages", id] as const,
};

export function fetchVillage(id: number) {
  return unwrapWithEtag(api.GET("/api/v1/villages/{id}", { params: { path: { id } } }));
}

export function fetchVillages(query: VillageQuery) {
  return unwrap(api.GET("/api/v1/villages", { params: { query } }));
}

/** The list's filters when the page opens (also prefetched right after login). */
export const DEFAULT_VILLAGE_FILTERS: VillageQuery = { sort: "name", active: true };
export const VILLAGE_PAGE_SIZE = 50;

type Values = Schemas["VillageCreate"] & Pick<Schemas["VillagePatch"], "active">;

function toBody(values: Values): Schemas["VillageCreate"] {
  return {
    name: values.name.trim(),
    name_bo: blankToNull(values.name_bo?.trim().normalize("NFC")),
    prefecture: values.prefecture.trim(),
    county: values.county.trim(),
    township: blankToNull(values.township?.trim()),
    code: blankToNull(values.code?.trim()),
    latitude: values.latitude ?? null,
    longitude: values.longitude ?? null,
  };
}

export const villageForm: RecordFormDef<Village, Values> = {
  resource: "villages",
  i18n: "village",
  fields: ["name", "name_bo", "prefecture", "county", "township", "code", "latitude", "longitude", "active"],
  fetchOne: fetchVillage,
  toValues: (v) => ({
    name: v.name,
    name_bo: v.name_bo ?? "",
    prefecture: v.prefecture,
    county: v.county,
    township: v.township ?? "",
    code: v.code ?? "",
    latitude: v.latitude ?? null,
    longitude: v.longitude ?? null,
    active: v.active,
  }),
  empty: {},
  create: (values) => postTo("/api/v1/villages", toBody(values)),
  update: (id, values) => patchAt("/api/v1/villages/{id}", { id }, { ...toBody(values), active: values.active ?? true }),
  label: (values) => values.name,
  after: (village) => `/villages/${village.id}`,
};
