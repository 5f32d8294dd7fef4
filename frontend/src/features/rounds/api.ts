// The rounds feature's calls, query keys and form definition.
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import { blankToNull } from "../../lib/values";
import type { RecordFormDef } from "../../components/RecordPage";

export type Round = Schemas["Round"];
export type RoundQuery = NonNullable<paths["/api/v1/rounds"]["get"]["parameters"]["query"]>;

export const roundKeys = {
  all: ["rounds"] as const,
  list: (query: RoundQuery) => ["rounds", "list", query] as const,
};

export const fetchRound = (id: number) => unwrapWithEtag(api.GET("/api/v1/rounds/{id}", { params: { path: { id } } }));
export const fetchRounds = (query: RoundQuery) => unwrap(api.GET("/api/v1/rounds", { params: { query } }));

type Values = Schemas["RoundCreate"];

export const roundForm: RecordFormDef<Round, Values> = {
  resource: "rounds",
  i18n: "round",
  fields: ["number", "name", "starts_on", "ends_on"],
  fetchOne: fetchRound,
  toValues: (r) => ({ number: r.number, name: r.name ?? "", starts_on: r.starts_on, ends_on: r.ends_on }),
  empty: {},
  create: (values) => postTo("/api/v1/rounds", { ...values, name: blankToNull(values.name?.trim()) }),
  update: (id, values) => patchAt("/api/v1/rounds/{id}", { id }, { ...values, name: blankToNull(values.name?.trim()) }),
  label: (values) => String(values.number ?? ""),
  after: () => "/rounds",
};
