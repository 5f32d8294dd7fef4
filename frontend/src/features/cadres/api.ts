// The cadres feature's calls, query keys and form definition.
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import { blankToNull } from "../../lib/values";
import type { RecordFormDef } from "../../components/RecordPage";

export type Cadre = Schemas["Cadre"];
export type CadreQuery = NonNullable<paths["/api/v1/cadres"]["get"]["parameters"]["query"]>;

export const cadreKeys = {
  all: ["cadres"] as const,
  list: (query: CadreQuery) => ["cadres", "list", query] as const,
};

export const fetchCadre = (id: number) => unwrapWithEtag(api.GET("/api/v1/cadres/{id}", { params: { path: { id } } }));
export const fetchCadres = (query: CadreQuery) => unwrap(api.GET("/api/v1/cadres", { params: { query } }));

type Values = Schemas["CadrePatch"];

function toBody(values: Values): Schemas["CadreCreate"] {
  return {
    name: (values.name ?? "").trim(),
    name_bo: blankToNull(values.name_bo?.trim().normalize("NFC")),
    office_id: values.office_id ?? null,
    position: blankToNull(values.position?.trim()),
    phone: blankToNull(values.phone?.trim()),
  };
}

export const cadreForm: RecordFormDef<Cadre, Values> = {
  resource: "cadres",
  i18n: "cadre",
  fields: ["name", "name_bo", "office_id", "position", "phone", "active"],
  fetchOne: fetchCadre,
  toValues: (c) => ({
    name: c.name,
    name_bo: c.name_bo ?? "",
    office_id: c.office_id ?? null,
    position: c.position ?? "",
    phone: c.phone ?? "",
    active: c.active,
  }),
  empty: {},
  create: (values) => postTo("/api/v1/cadres", toBody(values)),
  update: (id, values) => patchAt("/api/v1/cadres/{id}", { id }, { ...toBody(values), active: values.active }),
  label: (values) => values.name ?? "",
  after: () => "/cadres",
};
