import { describe, expect, it } from "vitest";
import { assistanceForm, deletePairingRequest, pairingRequest, toAssistanceBody, toAssistancePatch } from "./api";
import { sumByKind } from "./HouseholdAssistance";

describe("pairings and assistance api", () => {
  it("元 typed become integer fen by string arithmetic; the cadre is optional", () => {
    const body = toAssistanceBody(41, { given_on: "2026-11-30", kind: "goods", amount_fen: "456.78", description: " 棉被 ", cadre_id: undefined });
    expect(body).toEqual({ household_id: 41, given_on: "2026-11-30", kind: "goods", amount_fen: 45_678, description: "棉被", cadre_id: null });
    expect(toAssistanceBody(41, { given_on: "2026-11-30", kind: "cash", amount_fen: "4.35", description: "x" }).amount_fen).toBe(435);
    // Something the form let through by mistake is sent as -1 so the server names the field.
    expect(toAssistanceBody(41, { given_on: "2026-11-30", kind: "cash", amount_fen: "4.355", description: "x" }).amount_fen).toBe(-1);
  });

  it("a correction never empties the cadre", () => {
    expect(toAssistancePatch({ given_on: "2019-02-06", kind: "cash", amount_fen: "500", description: "慰问金", cadre_id: null })).toEqual({
      given_on: "2019-02-06",
      kind: "cash",
      amount_fen: 50_000,
      description: "慰问金",
    });
    expect(toAssistancePatch({ given_on: "2019-02-06", kind: "cash", amount_fen: "500", description: "慰问金", cadre_id: 7 }).cadre_id).toBe(7);
  });

  it("the form starts with today and cash, and goes back to the household", () => {
    const def = assistanceForm(41);
    expect(def.empty.kind).toBe("cash");
    expect(def.empty.given_on).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(def.create({ given_on: "2026-11-30", kind: "service", amount_fen: "0", description: "就医陪同" })).toMatchObject({
      method: "POST",
      path: "/api/v1/assistance",
      body: { household_id: 41, amount_fen: 0 },
    });
    expect(def.toValues({ amount_fen: 45_678 } as never).amount_fen).toBe("456.78");
  });

  it("pairings: create with a key, delete with the pairing's If-Match", () => {
    expect(pairingRequest(41, { cadre_id: 7, year: 2026, note: "" })).toEqual({
      method: "POST",
      path: "/api/v1/pairings",
      body: { household_id: 41, cadre_id: 7, year: 2026, note: null },
    });
    expect(deletePairingRequest({ id: 12, version: 3 })).toEqual({ method: "DELETE", path: "/api/v1/pairings/12", body: undefined, ifMatch: '"3"' });
  });

  it("totals add up in integer fen, by kind", () => {
    const sums = sumByKind([
      { kind: "cash", amount_fen: 13_900 },
      { kind: "goods", amount_fen: 36_880 },
      { kind: "cash", amount_fen: 1 },
      { kind: "service", amount_fen: 0 },
    ]);
    expect(sums).toEqual({ total: 50_781, byKind: { cash: 13_901, goods: 36_880, service: 0 } });
  });
});
