// 村务公开 (disclosures): calls, query keys and the draft form's definition. Drafts are created and
// edited through RecordForm and the outbox; publishing and withdrawing are the committee's online
// actions (with the ETag the list loaded).
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";

export type Disclosure = Schemas["Disclosure"];
export type DisclosureQuery = NonNullable<paths["/api/v1/disclosures"]["get"]["parameters"]["query"]>;

/** The categories a draft may have (decision disclosures come from a decision's steps). */
export const CATEGORIES = ["general", "finance", "major"] as const;
export const DISCLOSURE_FIELDS = ["village_id", "category", "title", "body", "period_from", "period_to"] as const;

export interface DisclosureValues {
  village_id?: number;
  category?: string;
  title: string;
  body: string;
  period_from?: string;
  period_to?: string;
}

export const disclosureKeys = {
  all: ["disclosures"] as const,
  list: (query: DisclosureQuery) => ["disclosures", "list", query] as const,
};

export const fetchDisclosures = (query: DisclosureQuery) => unwrap(api.GET("/api/v1/disclosures", { params: { query } }));
export const fetchDisclosure = (id: number) => unwrapWithEtag(api.GET("/api/v1/disclosures/{id}", { params: { path: { id } } }));

export const publish = (d: Disclosure) =>
  unwrap(api.POST("/api/v1/disclosures/{id}/publication", { params: { path: { id: d.id }, header: { "If-Match": `"${d.version}"` } } }));
export const withdraw = (d: Disclosure, reason: string) =>
  unwrap(
    api.POST("/api/v1/disclosures/{id}/withdrawal", {
      params: { path: { id: d.id }, header: { "If-Match": `"${d.version}"` } },
      body: { reason: reason.trim() },
    }),
  );

function fields(values: DisclosureValues) {
  return {
    category: values.category ?? "",
    title: values.title.trim().normalize("NFC"),
    body: values.body.trim().normalize("NFC"),
    period_from: values.period_from ?? "",
    period_to: values.period_to ?? "",
  };
}

export function disclosureForm(villageId: number | undefined): RecordFormDef<Disclosure, DisclosureValues> {
  return {
    resource: "disclosures",
    i18n: "disclosure",
    fields: DISCLOSURE_FIELDS,
    fetchOne: fetchDisclosure,
    toValues: (d) => ({ village_id: d.village_id, category: d.category, title: d.title, body: d.body, period_from: d.period_from, period_to: d.period_to }),
    empty: { village_id: villageId, category: "general", title: "", body: "" },
    create: (values) => postTo("/api/v1/disclosures", { village_id: villageId ?? values.village_id ?? 0, ...fields(values) }),
    update: (id, values) => patchAt("/api/v1/disclosures/{id}", { id }, fields(values)),
    label: (values) => values.title ?? "",
    after: () => "/disclosures",
  };
}
