import { describe, expect, it } from "vitest";
import type { Problem } from "../../api/problem";
import { toCreateBody as activityCreate, toPatchBody as activityPatch, kindRows, type ActivityValues } from "../activities/api";
import { allowedOf, movesFrom, needFilters, queueOrder, toCreateBody, toPatchBody, toTransitionBody, toValues, transitionRequest, type Need, type NeedValues } from "./api";

function need(id: number, status: string, overdue = false, extra: Partial<Need> = {}): Need {
  return {
    id,
    village_id: 3,
    village_name: "马格达村",
    raised_on: "2026-01-10",
    category: "road",
    description: `诉求${id}`,
    overdue,
    status,
    version: 2,
    created_at: "2026-01-10T02:00:00Z",
    updated_at: "2026-01-10T02:00:00Z",
    ...extra,
  };
}

const values = (extra: Partial<NeedValues> = {}): NeedValues => ({
  raised_kind: "person",
  household_id: 77,
  raised_by: "  村民代表 次仁 ",
  raised_on: "2026-03-01",
  category: "water",
  description: " 水井损坏\n",
  due_on: "",
  project_id: null,
  ...extra,
});

describe("the village queue", () => {
  it("puts the overdue needs first, then the other open ones in the server's order, never an answered one or one twice", () => {
    const overdue = [need(5, "open", true), need(9, "in_progress", true)];
    const queue = [need(1, "open"), need(5, "open", true), need(2, "in_progress"), need(9, "in_progress", true), need(3, "resolved"), need(4, "declined")];
    expect(queueOrder(overdue, queue).map((n) => n.id)).toEqual([5, 9, 1, 2]);
  });

  it("shows the overdue part even when the queue's first page has not come", () => {
    expect(queueOrder([need(5, "open", true)], []).map((n) => n.id)).toEqual([5]);
  });
});

describe("status changes", () => {
  it("offers the moves the server's machine allows", () => {
    expect(movesFrom("open")).toEqual(["in_progress", "resolved", "declined"]);
    expect(movesFrom("in_progress")).toEqual(["resolved", "declined"]);
    expect(movesFrom("resolved")).toEqual([]);
    expect(movesFrom("declined")).toEqual([]);
  });

  it("sends only the fields of the move's target, trimmed, blanks as null", () => {
    const typed = { reason: " 不在支持范围 ", resolution: " 已修复 ", satisfaction: " " };
    expect(toTransitionBody("declined", typed)).toEqual({ to: "declined", reason: "不在支持范围", resolution: null, satisfaction: null });
    expect(toTransitionBody("resolved", typed)).toEqual({ to: "resolved", reason: null, resolution: "已修复", satisfaction: null });
    expect(toTransitionBody("in_progress", typed)).toEqual({ to: "in_progress", reason: null, resolution: null, satisfaction: null });
    // A decline without a reason is sent as such: the server names the field (and the form asks first).
    expect(toTransitionBody("declined", { reason: "  " }).reason).toBeNull();
  });

  it("is a POST with the If-Match of the version shown, for the outbox", () => {
    const req = transitionRequest(need(12, "open"), "resolved", { resolution: "修好了" });
    expect(req).toEqual({ method: "POST", path: "/api/v1/needs/12/transitions", body: { to: "resolved", reason: null, resolution: "修好了", satisfaction: null }, ifMatch: '"2"' });
  });

  it("reads the moves a 409 names, from `allowed` or from its params", () => {
    expect(allowedOf({ code: "illegal_transition", allowed: ["resolved", "declined"] } as Problem)).toEqual(["resolved", "declined"]);
    expect(allowedOf({ code: "illegal_transition", params: { allowed: "resolved, declined" } } as Problem)).toEqual(["resolved", "declined"]);
    expect(allowedOf({ code: "illegal_transition", params: { allowed: "" } } as Problem)).toEqual([]);
    expect(allowedOf({ code: "precondition_failed" } as Problem)).toEqual([]);
  });
});

describe("raising a need", () => {
  it("sends who raised it in words, never a household with it", () => {
    expect(toCreateBody(values(), 3)).toEqual({
      village_id: 3,
      household_id: null,
      raised_by: "村民代表 次仁",
      raised_on: "2026-03-01",
      category: "water",
      description: "水井损坏",
      due_on: null,
      project_id: null,
    });
  });

  it("sends the household, never words with it", () => {
    const body = toPatchBody(values({ raised_kind: "household", due_on: "2026-06-30", project_id: 8 }));
    expect(body).toMatchObject({ household_id: 77, raised_by: null, due_on: "2026-06-30", project_id: 8 });
  });

  it("reads a need back into the form's values", () => {
    expect(toValues(need(1, "open", false, { household_id: 4, household_name: "扎西" }))).toMatchObject({ raised_kind: "household", household_id: 4, raised_by: "" });
    expect(toValues(need(1, "open", false, { raised_by: "村小学" }))).toMatchObject({ raised_kind: "person", household_id: null, raised_by: "村小学" });
  });

  it("keeps only filters the API accepts", () => {
    const params: Record<string, string> = { village: "3", status: "open", category: "bogus", overdue: "true", q: " 水 " };
    expect(needFilters((n) => params[n])).toEqual({ village_id: 3, status: "open", category: undefined, overdue: true, q: "水", sort: "queue" });
    expect(needFilters(() => undefined)).toMatchObject({ village_id: undefined, overdue: undefined, sort: "queue" });
  });
});

describe("an activity's links", () => {
  const activity = (extra: Partial<ActivityValues> = {}): ActivityValues => ({
    village_id: 3,
    date: "2019-07-16",
    kind: "meeting",
    title: "村民大会",
    organiser: "驻村工作队",
    value_fen: "",
    notes: "",
    ...extra,
  });

  it("sends the households once each and the project, or none", () => {
    expect(activityCreate(activity({ household_ids: [5, 3, 5], project_id: 9 }))).toMatchObject({ household_ids: [5, 3], project_id: 9 });
    expect(activityPatch(activity())).toMatchObject({ household_ids: [], project_id: null });
  });

  it("orders the summary's kinds as the list does, unknown kinds last", () => {
    const zero = { count: 1, participants: 0, beneficiaries: 0, value_fen: 0 };
    const rows = kindRows({
      total: zero,
      by_kind: { meeting: zero, free_clinic: zero, future_kind: zero, policy_briefing: zero },
      trainings_by_skill: {},
      clinics: { count: 0, seen: 0, beneficiaries: 0, medicine_fen: 0 },
      party_members_developed: 0,
      organisations_formed: {},
    });
    expect(rows.map((r) => r.kind)).toEqual(["policy_briefing", "free_clinic", "meeting", "future_kind"]);
  });
});
