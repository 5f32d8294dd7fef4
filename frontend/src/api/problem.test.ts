import { describe, expect, it } from "vitest";
import { mapProblemToForm, parseFieldPath, problemKind } from "./problem";

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
