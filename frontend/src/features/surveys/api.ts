// The surveys feature (村情调研): calls, query keys and the form definition. The form keeps land in
// 亩 as decimal strings (as the API takes them) and incomes as 元 strings, turned into integer fen
// by string arithmetic when the request is built (src/lib/amounts.ts).
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";
import { fenToYuan, yuanToFen } from "../../lib/amounts";
import { blankToNull } from "../../lib/values";

export type Survey = Schemas["Survey"];
export type Livestock = Schemas["Livestock"];
export type SurveyComparison = Schemas["SurveyComparison"];
export type SurveyQuery = NonNullable<paths["/api/v1/surveys"]["get"]["parameters"]["query"]>;
export type CompareQuery = NonNullable<paths["/api/v1/villages/{id}/surveys/compare"]["get"]["parameters"]["query"]>;

/** One survey per village and year: a village's list is short (the programme began in 2011). */
export const VILLAGE_SURVEYS_LIMIT = 100;

export const surveyKeys = {
  all: ["surveys"] as const,
  list: (query: SurveyQuery) => ["surveys", "list", query] as const,
  compare: (villageId: number, query: CompareQuery) => ["surveys", "compare", villageId, query] as const,
};

export const fetchSurvey = (id: number) => unwrapWithEtag(api.GET("/api/v1/surveys/{id}", { params: { path: { id } } }));
export const fetchSurveys = (query: SurveyQuery) => unwrap(api.GET("/api/v1/surveys", { params: { query } }));
export const fetchComparison = (villageId: number, query: CompareQuery) =>
  unwrap(api.GET("/api/v1/villages/{id}/surveys/compare", { params: { path: { id: villageId }, query } }));

export const villageSurveysQuery = (villageId: number): SurveyQuery => ({ village_id: villageId, sort: "-year", limit: VILLAGE_SURVEYS_LIMIT });

export const LIVESTOCK_KINDS = ["yaks", "sheep", "goats", "horses", "other"] as const;

/** The form's values: API field names (so the server's field errors land beside them), incomes in 元. */
export interface SurveyValues {
  year: number;
  population: number;
  households: number;
  poor_households: number;
  marginal_households: number;
  pasture_mu: string;
  cultivated_mu: string;
  livestock: Livestock;
  /** 元 as typed, e.g. "18500.00"; sent as integer fen. */
  per_capita_income_fen: string;
  collective_income_fen: string;
  main_industries: string;
  report: string;
}

/** A value the form validated already; a leftover non-number becomes -1 so the server names the field. */
const fen = (yuan: string) => yuanToFen(yuan) ?? -1;

function livestock(l: Partial<Livestock> | undefined): Livestock {
  return { yaks: l?.yaks ?? 0, sheep: l?.sheep ?? 0, goats: l?.goats ?? 0, horses: l?.horses ?? 0, other: l?.other ?? 0 };
}

export function toBody(values: SurveyValues): Omit<Schemas["SurveyCreate"], "village_id"> {
  return {
    year: values.year,
    population: values.population,
    households: values.households,
    poor_households: values.poor_households,
    marginal_households: values.marginal_households,
    pasture_mu: values.pasture_mu.trim(),
    cultivated_mu: values.cultivated_mu.trim(),
    livestock: livestock(values.livestock),
    per_capita_income_fen: fen(values.per_capita_income_fen),
    collective_income_fen: fen(values.collective_income_fen),
    main_industries: blankToNull(values.main_industries?.trim()),
    report: blankToNull(values.report?.trim()),
  };
}

export function toValues(s: Survey): SurveyValues {
  return {
    year: s.year,
    population: s.population,
    households: s.households,
    poor_households: s.poor_households,
    marginal_households: s.marginal_households,
    pasture_mu: s.pasture_mu,
    cultivated_mu: s.cultivated_mu,
    livestock: livestock(s.livestock),
    per_capita_income_fen: fenToYuan(s.per_capita_income_fen),
    collective_income_fen: fenToYuan(s.collective_income_fen),
    main_industries: s.main_industries ?? "",
    report: s.report ?? "",
  };
}

/** The form for a survey: `villageId` for a new one (the village is fixed once recorded). */
export function surveyForm(villageId: number | null, year?: number): RecordFormDef<Survey, SurveyValues> {
  return {
    resource: "surveys",
    i18n: "survey",
    fields: [
      "year",
      "population",
      "households",
      "poor_households",
      "marginal_households",
      "pasture_mu",
      "cultivated_mu",
      "livestock",
      "per_capita_income_fen",
      "collective_income_fen",
      "main_industries",
      "report",
    ],
    fetchOne: fetchSurvey,
    toValues,
    empty: { year, livestock: livestock(undefined) },
    create: (values) => postTo("/api/v1/surveys", { village_id: villageId ?? 0, ...toBody(values) }),
    update: (id, values) => patchAt("/api/v1/surveys/{id}", { id }, toBody(values)),
    label: (values) => `${values.year ?? ""}`,
    after: (survey) => `/villages/${survey.village_id}#surveys`,
  };
}
