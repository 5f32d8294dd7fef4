// 四议两公开 (decisions): calls, query keys and the vote check the step form shows as numbers are
// typed — the same integer arithmetic as crates/domain/src/decision.rs (the server decides; the
// page only tells in advance). Recording a step is an online action, like a project's move.
import { api, unwrap, unwrapWithEtag, type Schemas } from "../../api/client";
import { patchAt, postTo } from "../../api/requests";
import type { paths } from "../../api/schema";
import type { RecordFormDef } from "../../components/RecordPage";
import { fenToYuan, parseYuan } from "../../lib/amounts";
import { today } from "../households/api";

export type Decision = Schemas["Decision"];
export type DecisionQuery = NonNullable<paths["/api/v1/decisions"]["get"]["parameters"]["query"]>;
export type StepBody = Schemas["StepCreate"];

export const STEP_CODES = [
  "proposal",
  "joint_discussion",
  "party_review",
  "resolution",
  "resolution_disclosure",
  "result_disclosure",
] as const;

export const decisionKeys = {
  all: ["decisions"] as const,
  list: (query: DecisionQuery) => ["decisions", "list", query] as const,
  one: (id: number) => ["decisions", "one", id] as const,
};

export const fetchDecisions = (query: DecisionQuery) => unwrap(api.GET("/api/v1/decisions", { params: { query } }));
export const fetchDecision = (id: number) => unwrapWithEtag(api.GET("/api/v1/decisions/{id}", { params: { path: { id } } }));

export const recordStep = (id: number, etag: string, body: StepBody) =>
  unwrapWithEtag(api.POST("/api/v1/decisions/{id}/steps", { params: { path: { id }, header: { "If-Match": etag } }, body }));

/** Steps 3 and 4 vote. */
export const votes = (step: number) => step === 3 || step === 4;
/** Steps 5 and 6 publish a disclosure (their notes are the text). */
export const discloses = (step: number) => step === 5 || step === 6;

export interface VoteCheck {
  quorate: boolean;
  majority: boolean;
  passed: boolean;
  /** Present needed for the quorum. */
  needed: number;
  /** In favour needed for a majority of those present. */
  favourNeeded: number;
}

/**
 * The vote as the server will judge it: step 3 needs at least ⅔ of the members present
 * (3 × present ≥ 2 × members), step 4 the department's quorum percent; both more than half of
 * those present in favour (a tie is not enough). `null` until the numbers are there.
 */
export function checkVote(step: number, entitled?: number | null, present?: number | null, inFavour?: number | null, quorumPercent = 50): VoteCheck | null {
  if (!votes(step) || entitled == null || present == null || inFavour == null || entitled <= 0) return null;
  const needed = step === 3 ? Math.ceil((2 * entitled) / 3) : Math.ceil((quorumPercent * entitled) / 100);
  const quorate = step === 3 ? 3 * present >= 2 * entitled : 100 * present >= quorumPercent * entitled;
  const majority = present > 0 && 2 * inFavour > present;
  return { quorate, majority, passed: quorate && majority, needed, favourNeeded: Math.floor(present / 2) + 1 };
}

// ----- putting a matter on record (the team or the committee), through RecordForm and the outbox -----

export const DECISION_FIELDS = ["village_id", "title", "description", "estimated_amount_fen", "raised_on"] as const;

export interface DecisionValues {
  village_id?: number;
  title: string;
  description: string;
  /** 元 as typed. */
  estimated_amount_fen: string;
  raised_on?: string;
}

function decisionFields(values: DecisionValues) {
  const amount = values.estimated_amount_fen.trim() ? (parseYuan(values.estimated_amount_fen) ?? -1) : null;
  return {
    title: values.title.trim().normalize("NFC"),
    description: values.description.trim().normalize("NFC"),
    estimated_amount_fen: amount,
    raised_on: values.raised_on ?? "",
  };
}

export function decisionForm(villageId: number | undefined): RecordFormDef<Decision, DecisionValues> {
  return {
    resource: "decisions",
    i18n: "decisionForm",
    fields: DECISION_FIELDS,
    fetchOne: fetchDecision,
    toValues: (d) => ({
      village_id: d.village_id,
      title: d.title,
      description: d.description,
      estimated_amount_fen: d.estimated_amount_fen == null ? "" : fenToYuan(d.estimated_amount_fen),
      raised_on: d.raised_on,
    }),
    empty: { village_id: villageId, title: "", description: "", estimated_amount_fen: "", raised_on: today() },
    create: (values) => postTo("/api/v1/decisions", { village_id: villageId ?? values.village_id ?? 0, ...decisionFields(values) }),
    update: (id, values) => patchAt("/api/v1/decisions/{id}", { id }, decisionFields(values)),
    label: (values) => values.title ?? "",
    after: (saved) => `/decisions/${saved.id}`,
  };
}
