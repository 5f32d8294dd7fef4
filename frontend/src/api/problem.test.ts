import { describe, expect, it } from "vitest";
import { fieldMessage, mapProblemToForm, parseFieldPath, problemKind, problemMessage } from "./problem";

describe("parseFieldPath", () => {
  it("understands dotted, indexed and JSON-pointer paths", () => {
    expect(parseFieldPath("name")).toEqual(["name"]);
    expect(parseFieldPath("members[0].from_date")).toEqual(["members", 0, "from_date"]);
    expect(parseFieldPath("members.1.to_date")).toEqual(["members", 1, "to_date"]);
    expect(parseFieldPath("/members/2/cadre_id")).toEqual(["members", 2, "cadre_id"]);
  });
});

describe("mapProblemToForm", () => {
  const fields = ["name", "name_bo", "latitude"];

  it("puts each message next to its field and groups messages of one field", () => {
    const mapped = mapProblemToForm(
      {
        type: "https://zhucun.example/problems/validation",
        status: 422,
        errors: [
          { field: "name", message: "必须填写" },
          { field: "latitude", message: "超出范围" },
          { field: "name", message: "太长" },
        ],
      },
      fields,
    );
    expect(mapped.fields).toEqual([
      { name: ["name"], errors: ["必须填写", "太长"] },
      { name: ["latitude"], errors: ["超出范围"] },
    ]);
    expect(mapped.general).toEqual([]);
  });

  it("keeps messages for fields the form does not show as general messages", () => {
    const mapped = mapProblemToForm(
      { status: 422, errors: [{ field: "code", message: "已存在" }, { field: "", message: "整体错误" }] },
      fields,
    );
    expect(mapped.fields).toEqual([]);
    expect(mapped.general).toEqual(["code: 已存在", "整体错误"]);
  });

  it("falls back to the detail when there are no field errors", () => {
    expect(mapProblemToForm({ status: 409, detail: "名称重复" }, fields)).toEqual({ fields: [], general: ["名称重复"] });
  });

  it("ignores what is not a problem", () => {
    expect(mapProblemToForm(null, fields)).toEqual({ fields: [], general: [] });
    expect(mapProblemToForm("oops", fields)).toEqual({ fields: [], general: [] });
  });

  it("maps nested paths", () => {
    const mapped = mapProblemToForm({ status: 400, errors: [{ field: "name_bo[0]", message: "x" }] }, fields);
    expect(mapped.fields).toEqual([{ name: ["name_bo", 0], errors: ["x"] }]);
  });
});

describe("problemKind", () => {
  it("reads the stable type suffix", () => {
    expect(problemKind({ type: "https://zhucun.example/problems/precondition-failed" })).toBe("precondition-failed");
    expect(problemKind({ type: "about:blank" })).toBeNull();
    expect(problemKind(null)).toBeNull();
  });
});

describe("translation by code", () => {
  // A stand-in for i18next: a small table with {{param}} interpolation.
  const table: Record<string, string> = { "fieldError.digits": "应为 {{min}} 到 {{max}} 位数字", "problem.not_found": "记录不存在" };
  const t = (key: string, options: Record<string, unknown> & { defaultValue: string }) =>
    (table[key] ?? options.defaultValue).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));

  it("translates field errors with their params and keeps unknown codes in English", () => {
    expect(fieldMessage({ field: "code", message: "must be 6 to 12 digits", code: "digits", params: { min: "6", max: "12" } }, t)).toBe(
      "应为 6 到 12 位数字",
    );
    expect(fieldMessage({ field: "code", message: "brand new rule", code: "brand_new" }, t)).toBe("brand new rule");
    expect(fieldMessage({ field: "code", message: "no code yet" }, t)).toBe("no code yet");
  });

  it("translates the whole problem by code, else by its type, else shows the detail", () => {
    expect(problemMessage({ code: "not_found", detail: "village 9 not found" }, t)).toBe("记录不存在");
    expect(problemMessage({ type: "https://zhucun.example/problems/not-found", detail: "x" }, t)).toBe("记录不存在");
    expect(problemMessage({ code: "unknown_thing", detail: "English detail" }, t)).toBe("English detail");
    expect(problemMessage(null, t, 502)).toBe("HTTP 502");
  });

  it("names the statuses a 409 illegal_transition allows in the user's language", () => {
    const names: Record<string, string> = {
      "problem.illegal_transition": "现在可以转到：{{allowed}}",
      "need.statuses.resolved": "已解决",
      "need.statuses.declined": "不予办理",
      "project.stages.mature": "成熟",
      "common.none": "无",
    };
    const tt = (key: string, options: Record<string, unknown> & { defaultValue: string }) =>
      (names[key] ?? options.defaultValue).replace(/\{\{(\w+)\}\}/g, (_, name: string) => String(options[name]));
    expect(problemMessage({ code: "illegal_transition", params: { allowed: "resolved, declined" } }, tt)).toBe("现在可以转到：已解决、不予办理");
    expect(problemMessage({ code: "illegal_transition", params: { allowed: "mature" } }, tt)).toBe("现在可以转到：成熟");
    expect(problemMessage({ code: "illegal_transition", params: { allowed: "" } }, tt)).toBe("现在可以转到：无");
  });

  it("maps translated messages onto the form", () => {
    const mapped = mapProblemToForm(
      { status: 422, code: "validation", errors: [{ field: "code", message: "m", code: "digits", params: { min: "6", max: "12" } }] },
      ["code"],
      t,
    );
    expect(mapped.fields).toEqual([{ name: ["code"], errors: ["应为 6 到 12 位数字"] }]);
  });
});
