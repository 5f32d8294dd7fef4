// The offices feature's calls, query keys and form definition.
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";

export type Office = Schemas["Office"];
export type OfficeQuery = NonNullable<paths["/api/v1/offices"]["get"]["parameters"]["query"]>;

export const officeKeys = {
  all: ["offices"] as const,
  list: (query: OfficeQuery) => ["offices", "list", query] as const,
};

export const fetchOffice = (id: number) => unwrapWithEtag(api.GET("/api/v1/offices/{id}", { params: { path: { id } } }));
export const fetchOffices = (query: OfficeQuery) => unwrap(api.GET("/api/v1/offices", { params: { query } }));

type Values = Schemas["OfficePatch"];

export const officeForm: RecordFormDef<Office, Values> = {
  resource: "offices",
  i18n: "office",
  fields: ["name", "active"],
  fetchOne: fetchOffice,
  toValues: (o) => ({ name: o.name, active: o.active }),
  empty: { active: true },
  create: (values) => postTo("/api/v1/offices", { name: (values.name ?? "").trim() }),
  update: (id, values) => patchAt("/api/v1/offices/{id}", { id }, { name: (values.name ?? "").trim(), active: values.active }),
  label: (values) => values.name ?? "",
  after: () => "/offices",
};
