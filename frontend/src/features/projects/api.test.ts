import { describe, expect, it } from "vitest";
import { ApiError, NetworkError } from "../../api/client";
import {
  boardFilters,
  classifyMoveError,
  groupByStage,
  mayEdit,
  orderMoves,
  phoneStage,
  toCreateBody,
  toPatchBody,
  toValues,
  type Project,
  type ProjectValues,
} from "./api";

function project(id: number, stage: string, extra: Partial<Project> = {}): Project {
  return {
    id,
    village_id: 1,
    village_name: "马格达村",
    year: 2026,
    title: `项目${id}`,
    category: "infrastructure",
    budget_fen: 100,
    funds_received_fen: 0,
    funds_spent_fen: 0,
    beneficiaries: { households: 1, people: 2 },
    stage,
    iati_status: "pipeline",
    iati_status_code: 1,
    version: 1,
    created_at: "2026-03-10T02:00:00Z",
    updated_at: "2026-03-10T02:00:00Z",
    ...extra,
  };
}

const values = (extra: Partial<ProjectValues> = {}): ProjectValues => ({
  village_id: 3,
  team_id: null,
  year: 2026,
  title: "  饮水管网延伸工程 ",
  category: "infrastructure",
  office_id: null,
  supporting_unit: " ",
  budget_fen: "180,000",
  funding_source: "",
  beneficiaries: { households: 40, people: null },
  description: "第一行\n第二行\n",
  problems: "",
  measures: "",
  ...extra,
});

describe("the board", () => {
  it("groups projects by stage in the list's order", () => {
    const groups = groupByStage([project(1, "mature"), project(2, "proposed"), project(3, "mature"), project(4, "cancelled")]);
    expect(groups.mature.map((p) => p.id)).toEqual([1, 3]);
    expect(groups.proposed.map((p) => p.id)).toEqual([2]);
    expect(groups.cancelled.map((p) => p.id)).toEqual([4]);
    expect(groups.accepted).toEqual([]);
  });
  it("shows the URL's stage on a phone, else the first stage with projects", () => {
    const groups = groupByStage([project(1, "declared"), project(2, "accepted")]);
    expect(phoneStage("accepted", groups)).toBe("accepted");
    expect(phoneStage(undefined, groups)).toBe("declared");
    expect(phoneStage("nonsense", groups)).toBe("declared");
    expect(phoneStage(undefined, groupByStage([]))).toBe("proposed");
  });
  it("reads its filters from the URL, dropping what the API would refuse", () => {
    const url = new URLSearchParams("village=4&year=2019&category=health&q=%20水井%20&stage=mature");
    expect(boardFilters((n) => url.get(n) ?? undefined)).toEqual({ village_id: 4, year: 2019, category: "health", q: "水井", sort: "-updated" });
    const bad = new URLSearchParams("village=x&year=19.5&category=roads&q=");
    expect(boardFilters((n) => bad.get(n) ?? undefined)).toEqual({ village_id: undefined, year: undefined, category: undefined, q: undefined, sort: "-updated" });
  });
});

describe("the form", () => {
  it("sends the budget in fen, read from 元 exactly", () => {
    expect(toCreateBody(values(), null).budget_fen).toBe(18_000_000);
    expect(toCreateBody(values({ budget_fen: "0.3" }), null).budget_fen).toBe(30);
    expect(toCreateBody(values({ budget_fen: "１２．５" }), null).budget_fen).toBe(1250);
    // Unreadable (three decimals) is sent as -1 so the server names the field; the form refuses it first.
    expect(toCreateBody(values({ budget_fen: "1.005" }), null).budget_fen).toBe(-1);
  });
  it("trims text, sends blanks as null and missing counts as 0", () => {
    const body = toCreateBody(values(), 7);
    expect(body.village_id).toBe(7);
    expect(body.title).toBe("饮水管网延伸工程");
    expect(body.supporting_unit).toBeNull();
    expect(body.funding_source).toBeNull();
    expect(body.description).toBe("第一行\n第二行");
    expect(body.beneficiaries).toEqual({ households: 40, people: 0 });
    expect(toCreateBody(values(), null).village_id).toBe(3);
    expect("village_id" in toPatchBody(values())).toBe(false);
    expect(toPatchBody(values()).team_id).toBeNull();
  });
  it("shows a stored budget as 元 and round-trips it", () => {
    const p = project(1, "proposed", { budget_fen: 95_000_050 });
    const v = toValues(p);
    expect(v.budget_fen).toBe("950000.50");
    expect(toPatchBody({ ...values(), ...v } as ProjectValues).budget_fen).toBe(95_000_050);
  });
  it("offers editing where the server allows it", () => {
    expect(mayEdit("team", "declared")).toBe(true);
    expect(mayEdit("team", "coordinating")).toBe(false);
    expect(mayEdit("department", "completed")).toBe(true);
    expect(mayEdit("department", "accepted")).toBe(false);
    expect(mayEdit("department", "cancelled")).toBe(false);
    expect(mayEdit("village_committee", "proposed")).toBe(false);
    expect(mayEdit("admin", "proposed")).toBe(false);
  });
});

describe("stage moves", () => {
  it("orders the buttons: forward, return, cancel", () => {
    const moves = orderMoves([
      { to: "cancelled", kind: "cancel", comment_required: false },
      { to: "proposed", kind: "return", comment_required: true },
      { to: "declared", kind: "forward", comment_required: false },
    ]);
    expect(moves.map((m) => m.to)).toEqual(["declared", "proposed", "cancelled"]);
  });
  it("tells a stale version, an illegal move, a missing comment and no link apart", () => {
    expect(classifyMoveError(new ApiError(412, { code: "precondition_failed", status: 412 }))).toEqual({ kind: "stale" });
    expect(classifyMoveError(new ApiError(409, { code: "illegal_transition", status: 409, allowed: ["mature", "cancelled"] }))).toEqual({
      kind: "illegal",
      allowed: ["mature", "cancelled"],
    });
    expect(classifyMoveError(new ApiError(409, { code: "illegal_transition", status: 409, params: { allowed: "mature, cancelled" } }))).toEqual({
      kind: "illegal",
      allowed: ["mature", "cancelled"],
    });
    expect(classifyMoveError(new ApiError(409, { code: "illegal_transition", status: 409, allowed: [] }))).toEqual({ kind: "illegal", allowed: [] });
    expect(
      classifyMoveError(new ApiError(400, { code: "validation", status: 400, errors: [{ field: "comment", code: "required", message: "a return must say why" }] })),
    ).toEqual({ kind: "comment" });
    expect(classifyMoveError(new NetworkError(new TypeError("Failed to fetch")))).toEqual({ kind: "offline" });
    expect(classifyMoveError(new ApiError(403, { code: "forbidden", status: 403 })).kind).toBe("other");
  });
});
