// The activities feature (活动): calls, query keys, kind codes (labels in src/i18n/zh-CN.ts under
// `activity.*`), the list's filters and the entry form. The kind-specific fields (the skill of a
// training, the people seen and partner of a clinic, a study visit's destination, party
// building's results) are sent only for their kind: the server refuses them for any other
// (`not_for_kind`). Values of goods or medicine are read in 元 and sent as integer fen. The
// households who benefited and the project are optional links to the same village's rows.
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";
import { fenToYuan, parseYuan } from "../../lib/amounts";
import { blankToNull } from "../../lib/values";
import { today } from "../households/api";

export type Activity = Schemas["Activity"];
export type ActivityQuery = NonNullable<paths["/api/v1/activities"]["get"]["parameters"]["query"]>;

export const KINDS = [
  "policy_briefing",
  "skills_training",
  "free_clinic",
  "cultural_event",
  "study_visit",
  "donation_drive",
  "relief_visit",
  "environment",
  "meeting",
  "party_building",
] as const;
export const ORGANISATIONS = ["youth_league_branch", "trade_union", "other"] as const;
export const ACTIVITY_PAGE_SIZE = 50;
/** The households one activity may name (the API's limit). */
export const MAX_HOUSEHOLDS = 1000;

export const activityKeys = {
  all: ["activities"] as const,
  list: (query: ActivityQuery) => ["activities", "list", query] as const,
  skills: ["activities", "skills"] as const,
  summary: (query: SummaryQuery) => ["activities", "summary", query] as const,
};

export const fetchActivity = (id: number) => unwrapWithEtag(api.GET("/api/v1/activities/{id}", { params: { path: { id } } }));
export const fetchActivities = (query: ActivityQuery) => unwrap(api.GET("/api/v1/activities", { params: { query } }));
export const fetchSkills = () => unwrap(api.GET("/api/v1/activities/skills"));
export type SummaryQuery = NonNullable<paths["/api/v1/activities/summary"]["get"]["parameters"]["query"]>;
export type ActivityFigures = Schemas["ActivityFigures"];
export const fetchSummary = (query: SummaryQuery) => unwrap(api.GET("/api/v1/activities/summary", { params: { query } }));

/** The summary's kinds in the order of KINDS, only those with activities. */
export function kindRows(figures: ActivityFigures) {
  return KINDS.filter((k) => figures.by_kind[k] !== undefined).map((k) => ({ kind: k as string, ...figures.by_kind[k]! }))
    .concat(Object.keys(figures.by_kind).filter((k) => !(KINDS as readonly string[]).includes(k)).map((k) => ({ kind: k, ...figures.by_kind[k]! })));
}

const num = (v: string | undefined) => (v && /^\d+$/.test(v) ? Number(v) : undefined);

/** The list's filters from the URL (anything the API would refuse is dropped). */
export function activityFilters(get: (name: string) => string | undefined): Omit<ActivityQuery, "limit" | "cursor"> {
  const kind = get("kind");
  const year = num(get("year"));
  return {
    village_id: num(get("village")),
    kind: kind && (KINDS as readonly string[]).includes(kind) ? kind : undefined,
    year: year !== undefined && year >= 2011 && year <= 2100 ? year : undefined,
    q: get("q")?.trim() || undefined,
    sort: "-date",
  };
}

export interface ActivityValues {
  village_id?: number;
  date?: string | null;
  kind?: string;
  title: string;
  organiser: string;
  participants?: number | null;
  beneficiaries?: number | null;
  /** 元 as typed; sent as integer fen. */
  value_fen: string;
  notes: string;
  /** Households of the village who benefited (optional). */
  household_ids?: number[];
  /** A project of the same village (optional). */
  project_id?: number | null;
  skill?: string | null;
  people_seen?: number | null;
  partner_institution?: string | null;
  destination?: string | null;
  party_members_developed?: number | null;
  organisation_formed?: string | null;
}

export const ACTIVITY_FIELDS = [
  "village_id",
  "date",
  "kind",
  "title",
  "organiser",
  "participants",
  "beneficiaries",
  "value_fen",
  "notes",
  "household_ids",
  "project_id",
  "skill",
  "people_seen",
  "partner_institution",
  "destination",
  "party_members_developed",
  "organisation_formed",
] as const;

const text = (v: string | null | undefined) => blankToNull(v?.trim().normalize("NFC"));

/** The fields of the activity's kind; every other kind-specific field is null. */
function kindFields(values: ActivityValues) {
  const k = values.kind;
  return {
    skill: k === "skills_training" ? text(values.skill) : null,
    people_seen: k === "free_clinic" ? (values.people_seen ?? null) : null,
    partner_institution: k === "free_clinic" ? text(values.partner_institution) : null,
    destination: k === "study_visit" ? text(values.destination) : null,
    party_members_developed: k === "party_building" ? (values.party_members_developed ?? null) : null,
    organisation_formed: k === "party_building" ? (values.organisation_formed ?? null) : null,
  };
}

function common(values: ActivityValues) {
  const value = values.value_fen?.trim() ? (parseYuan(values.value_fen) ?? -1) : 0;
  return {
    date: values.date ?? "",
    kind: values.kind ?? "",
    title: values.title.trim().normalize("NFC"),
    organiser: values.organiser.trim().normalize("NFC"),
    participants: values.participants ?? 0,
    beneficiaries: values.beneficiaries ?? 0,
    value_fen: value,
    notes: text(values.notes),
    household_ids: [...new Set(values.household_ids ?? [])],
    project_id: values.project_id ?? null,
    ...kindFields(values),
  };
}

export function toCreateBody(values: ActivityValues, villageId?: number): Schemas["ActivityCreate"] {
  return { village_id: villageId ?? values.village_id ?? 0, ...common(values) };
}

export function toPatchBody(values: ActivityValues): Schemas["ActivityPatch"] {
  return common(values);
}

export function toValues(a: Activity): Partial<ActivityValues> {
  return {
    village_id: a.village_id,
    date: a.date,
    kind: a.kind,
    title: a.title,
    organiser: a.organiser,
    participants: a.participants,
    beneficiaries: a.beneficiaries,
    value_fen: a.value_fen === 0 ? "" : fenToYuan(a.value_fen),
    notes: a.notes ?? "",
    household_ids: a.household_ids,
    project_id: a.project_id ?? null,
    skill: a.skill ?? null,
    people_seen: a.people_seen ?? null,
    partner_institution: a.partner_institution ?? null,
    destination: a.destination ?? null,
    party_members_developed: a.party_members_developed ?? null,
    organisation_formed: a.organisation_formed ?? null,
  };
}

export function activityForm(villageId: number | undefined): RecordFormDef<Activity, ActivityValues> {
  return {
    resource: "activities",
    i18n: "activity",
    fields: ACTIVITY_FIELDS,
    fetchOne: fetchActivity,
    toValues,
    empty: { village_id: villageId, date: today(), title: "", organiser: "", participants: 0, beneficiaries: 0, value_fen: "", notes: "", household_ids: [], project_id: null },
    create: (values) => postTo("/api/v1/activities", toCreateBody(values, villageId)),
    update: (id, values) => patchAt("/api/v1/activities/{id}", { id }, toPatchBody(values)),
    label: (values) => values.title ?? "",
    after: () => "/activities",
  };
}
