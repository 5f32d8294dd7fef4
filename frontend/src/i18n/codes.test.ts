// The server's error codes (crates/api/src/i18n.rs) all have a Chinese text in the SPA, so no
// server message shows up in English inside the Chinese UI.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import zh from "./zh-CN";

function codes(fn: string): string[] {
  const src = readFileSync(resolve(__dirname, "../../../crates/api/src/i18n.rs"), "utf8");
  const start = src.indexOf(`fn ${fn}(`);
  const end = src.indexOf("_ => return None", start);
  return [...src.slice(start, end).matchAll(/"([a-z_]+)" => "/g)].map((m) => m[1] ?? "");
}

describe("error codes", () => {
  it("every field error code of the server has a Chinese text", () => {
    const server = codes("field_zh");
    expect(server.length).toBeGreaterThan(30);
    const missing = server.filter((c) => !(c in zh.fieldError));
    expect(missing).toEqual([]);
  });

  it("every problem code of the server has a Chinese text", () => {
    const server = codes("problem_zh");
    expect(server.length).toBeGreaterThan(10);
    const missing = server.filter((c) => !(c in zh.problem));
    expect(missing).toEqual([]);
  });
});
