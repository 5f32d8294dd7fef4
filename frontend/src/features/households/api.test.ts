import { describe, expect, it } from "vitest";
import { categoryRequest, checkRequest, checkToValues, householdForm, today, toCategoryBody, toCheckBody, type Check } from "./api";
import { householdFilters } from "./HouseholdListPage";

describe("households api", () => {
  it("today is the Beijing day, not the browser's", () => {
    // 2026-11-29 22:30 UTC is already 30 November in Beijing.
    expect(today(new Date("2026-11-29T22:30:00Z"))).toBe("2026-11-30");
    expect(today(new Date("2026-11-29T15:59:00Z"))).toBe("2026-11-29");
  });

  it("a new household's body: trimmed, blanks as null, the monitoring type only for 监测户", () => {
    const def = householdForm(9);
    const req = def.create({
      head_name: " 次仁卓玛 ",
      head_name_bo: "",
      members: 5,
      member_names: "",
      phone: " 13908001234 ",
      address: "三组",
      category: "poor",
      monitoring_type: "sudden_hardship",
      category_since: "2016-03-01",
      causes: ["illness"],
      notes: "",
    });
    expect(req).toMatchObject({ method: "POST", path: "/api/v1/households" });
    expect(req.body).toEqual({
      village_id: 9,
      head_name: "次仁卓玛",
      head_name_bo: null,
      members: 5,
      member_names: null,
      phone: "13908001234",
      address: "三组",
      causes: ["illness"],
      notes: null,
      category: "poor",
      monitoring_type: null,
      category_since: "2016-03-01",
    });
  });

  it("a category change is a POST with the household's If-Match", () => {
    const req = categoryRequest(12, { category: "monitored", monitoring_type: "sudden_hardship", since: "2025-08-15", note: " 住院 " }, '"3"');
    expect(req).toEqual({
      method: "POST",
      path: "/api/v1/households/12/categories",
      ifMatch: '"3"',
      body: { category: "monitored", monitoring_type: "sudden_hardship", since: "2025-08-15", note: "住院" },
    });
    expect(toCategoryBody({ category: "lifted", monitoring_type: "sudden_hardship", since: "2020-12-01", note: "" }).monitoring_type).toBeNull();
  });

  it("the checklist is a PUT of all six items; an existing one's values come back", () => {
    const values = checkToValues(undefined);
    expect(Object.keys(values)).toEqual(["food", "clothing", "education", "medical", "housing", "water"]);
    values.food = { met: true, note: "" };
    values.medical = { met: false, note: "未签约" };
    const body = toCheckBody(values);
    expect(body.food).toEqual({ met: true, note: null });
    expect(body.medical).toEqual({ met: false, note: "未签约" });
    // Unanswered stays unanswered: the server names the item.
    expect(body.water.met).toBeUndefined();
    expect(checkRequest(12, 2026, values, undefined)).toMatchObject({ method: "PUT", path: "/api/v1/households/12/checks/2026", ifMatch: undefined });
    const check = { medical: { met: false, note: "x" } } as unknown as Check;
    expect(checkToValues({ ...check, food: { met: true }, clothing: { met: true }, education: { met: true }, housing: { met: true }, water: { met: true } } as Check).medical).toEqual({
      met: false,
      note: "x",
    });
  });

  it("the list's filters from the URL: paired needs a year, the monitoring type needs 监测户", () => {
    const params = new Map([
      ["paired", "no"],
      ["year", "2019"],
      ["category", "lifted"],
      ["monitoring", "sudden_hardship"],
      ["village", "3"],
      ["q", "扎西"],
    ]);
    expect(householdFilters((n) => params.get(n))).toEqual({
      q: "扎西",
      village_id: 3,
      category: "lifted",
      monitoring_type: undefined,
      paired: false,
      year: 2019,
      sort: "name",
    });
    expect(householdFilters(() => undefined)).toMatchObject({ paired: undefined, year: undefined, village_id: undefined });
  });
});
