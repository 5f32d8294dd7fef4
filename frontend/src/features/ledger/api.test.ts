import { describe, expect, it } from "vitest";
import { emptyEntry, isQuantity, kindsFor, ledgerFilters, mayReverse, net, toCreateBody, totalsFor, waitingTooLong, type EntryValues, type LedgerEntry } from "./api";

function entry(extra: Partial<LedgerEntry> = {}): LedgerEntry {
  return {
    id: 1,
    village_id: 2,
    village_name: "下地村",
    date: "2026-05-12",
    kind: "allocation",
    source: "finance",
    amount_fen: 15_000_000,
    direction: "in",
    confirmable: true,
    created_by_username: "office_staff",
    created_at: "2026-05-12T02:00:00Z",
    ...extra,
  };
}

const values = (extra: Partial<EntryValues> = {}): EntryValues => ({
  village_id: 2,
  project_id: null,
  date: "2026-05-12",
  kind: "allocation",
  source: "finance",
  donor_id: 9,
  item: "草种",
  quantity: "15",
  unit: "吨",
  amount_fen: "0.3",
  evidence: " 藏财农〔2019〕45号 ",
  ...extra,
});

describe("the entry form", () => {
  it("stores 元 as fen exactly: typing 0.3 stores 30 fen", () => {
    expect(toCreateBody(values()).amount_fen).toBe(30);
    expect(toCreateBody(values({ amount_fen: "0.1" })).amount_fen).toBe(10);
    expect(toCreateBody(values({ amount_fen: "0.29" })).amount_fen).toBe(29);
    expect(toCreateBody(values({ amount_fen: "１２" })).amount_fen).toBe(1200);
    expect(toCreateBody(values({ amount_fen: "1,234,567.89" })).amount_fen).toBe(123_456_789);
  });
  it("sends what it cannot read as -1, for the server to name the field (the form refuses it first)", () => {
    for (const bad of ["1.005", "1e3", "-5", "", "12,34", "abc"]) expect(toCreateBody(values({ amount_fen: bad })).amount_fen, bad).toBe(-1);
  });
  it("takes the village the form was opened for", () => {
    expect(toCreateBody(values({ village_id: undefined }), 4).village_id).toBe(4);
    expect(toCreateBody(values()).village_id).toBe(2);
  });
  it("keeps goods and a donor only where they belong", () => {
    const allocation = toCreateBody(values());
    expect(allocation).toMatchObject({ kind: "allocation", source: "finance", donor_id: null, item: null, quantity: null, unit: null });
    expect(allocation.evidence).toBe("藏财农〔2019〕45号");
    const goods = toCreateBody(values({ kind: "in_kind_donation", source: "finance", quantity: "１５．５", amount_fen: "150000" }));
    expect(goods).toMatchObject({ source: "donor", donor_id: 9, item: "草种", quantity: "15.5", unit: "吨", amount_fen: 15_000_000 });
    const cash = toCreateBody(values({ kind: "cash_donation", source: undefined }));
    expect(cash).toMatchObject({ source: "donor", donor_id: 9, item: null, quantity: null, unit: null });
    const spending = toCreateBody(values({ kind: "expenditure", source: "donor" }));
    expect(spending).toMatchObject({ source: "donor", donor_id: 9, item: null });
  });
  it("reads quantities like the server: above 0, at most three decimals", () => {
    for (const ok of ["15", "0.5", "2.125", "１５", "1,200"]) expect(isQuantity(ok), ok).toBe(true);
    for (const bad of ["", "0", "0.000", "-1", "1.2345", "1e3", "十五"]) expect(isQuantity(bad), bad).toBe(false);
  });
  it("offers each role its kinds and starts from today", () => {
    expect(kindsFor("department")).toEqual(["allocation"]);
    expect(kindsFor("team")).toEqual(["expenditure", "cash_donation", "in_kind_donation"]);
    expect(kindsFor("village_committee")).toEqual([]);
    expect(kindsFor("admin")).toEqual([]);
    const start = emptyEntry("department", 3, 7, new Date("2026-11-29T18:00:00Z"));
    expect(start).toMatchObject({ village_id: 3, project_id: 7, kind: "allocation", source: "finance", date: "2026-11-30" });
    expect(emptyEntry("team", undefined, undefined).kind).toBeUndefined();
  });
});

describe("the list", () => {
  it("reads its filters from the URL, dropping what the API would refuse", () => {
    const url = new URLSearchParams("village=3&project=7&kind=allocation&source=donor&year=2019&unconfirmed=1&q=%20草种%20");
    expect(ledgerFilters((n) => url.get(n) ?? undefined)).toEqual({
      village_id: 3,
      project_id: 7,
      kind: "allocation",
      source: "donor",
      donor_id: undefined,
      year: 2019,
      unconfirmed: true,
      q: "草种",
      sort: "-date",
    });
    const bad = new URLSearchParams("village=abc&kind=gift&source=bank&year=1999&unconfirmed=yes");
    expect(ledgerFilters((n) => bad.get(n) ?? undefined)).toMatchObject({ village_id: undefined, kind: undefined, source: undefined, year: undefined, unconfirmed: undefined });
  });
  it("asks the totals for the same filter, without sort or paging", () => {
    const filters = ledgerFilters((n) => ({ village: "3", kind: "allocation" })[n]);
    expect(totalsFor(filters)).toEqual({ village_id: 3, project_id: undefined, kind: "allocation", source: undefined, donor_id: undefined, year: undefined, unconfirmed: undefined, q: undefined, group_by: "kind" });
    expect(net({ received_fen: 30_000, spent_fen: 41_800, amount_fen: 71_800, entries: 2 })).toBe(-11_800);
  });
  it("offers a reversal to whoever may record the kind, once, never of a reversal", () => {
    expect(mayReverse("department", entry())).toBe(true);
    expect(mayReverse("team", entry())).toBe(false);
    expect(mayReverse("team", entry({ kind: "expenditure", direction: "out" }))).toBe(true);
    expect(mayReverse("department", entry({ reversed_by_id: 5 }))).toBe(false);
    expect(mayReverse("department", entry({ reverses_id: 4, amount_fen: -15_000_000 }))).toBe(false);
    expect(mayReverse("village_committee", entry())).toBe(false);
  });
  it("flags entries waiting for the committee over 30 days", () => {
    const now = new Date("2026-06-20T04:00:00Z");
    expect(waitingTooLong(entry({ date: "2026-05-12" }), now)).toBe(true);
    expect(waitingTooLong(entry({ date: "2026-05-21" }), now)).toBe(false);
    expect(waitingTooLong(entry({ date: "2026-05-12", confirmable: false }), now)).toBe(false);
  });
});
