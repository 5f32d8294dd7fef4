import { describe, expect, it } from "vitest";
import { surveyForm, toBody, toValues, type Survey } from "./api";

const survey: Survey = {
  id: 7,
  village_id: 3,
  village_name: "马格达村",
  year: 2025,
  population: 1130,
  households: 240,
  poor_households: 0,
  marginal_households: 6,
  pasture_mu: "38000.5",
  cultivated_mu: "1000",
  livestock: { yaks: 3100, sheep: 6200, goats: 0, horses: 12, other: 0 },
  per_capita_income_fen: 1_850_035,
  collective_income_fen: 52_000_000,
  main_industries: "牦牛养殖",
  report: null,
  version: 2,
  created_at: "2026-01-01T00:00:00Z",
  updated_at: "2026-01-01T00:00:00Z",
};

describe("survey form ↔ API body", () => {
  it("shows fen as 元 and sends them back as the same integer fen", () => {
    const values = toValues(survey);
    expect(values.per_capita_income_fen).toBe("18500.35");
    expect(values.collective_income_fen).toBe("520000.00");
    const body = toBody(values);
    expect(body.per_capita_income_fen).toBe(1_850_035);
    expect(body.collective_income_fen).toBe(52_000_000);
    expect(body.pasture_mu).toBe("38000.5");
    expect(body.report).toBeNull();
  });

  it("converts typed 元 exactly, and the 亩 string is sent as typed", () => {
    const body = toBody({ ...toValues(survey), per_capita_income_fen: "12.34", collective_income_fen: "4.35", pasture_mu: " 120.5 " });
    expect(body.per_capita_income_fen).toBe(1234);
    expect(body.collective_income_fen).toBe(435);
    expect(body.pasture_mu).toBe("120.5");
  });

  it("creates for the page's village and patches without it", () => {
    const def = surveyForm(3, 2026);
    const values = { ...toValues(survey), year: 2026 };
    const create = def.create(values);
    expect(create.method).toBe("POST");
    expect(create.path).toBe("/api/v1/surveys");
    expect((create.body as { village_id: number }).village_id).toBe(3);
    const update = def.update(7, values);
    expect(update.path).toBe("/api/v1/surveys/7");
    expect("village_id" in (update.body as object)).toBe(false);
    expect(def.empty.year).toBe(2026);
  });
});
