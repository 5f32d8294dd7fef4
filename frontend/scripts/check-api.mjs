// Fails when src/api/schema.d.ts is not what openapi-typescript makes of ../openapi/openapi.json.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const spec = join(root, "..", "openapi", "openapi.json");
const committed = join(root, "src", "api", "schema.d.ts");
const dir = mkdtempSync(join(tmpdir(), "zhucun-api-"));
const fresh = join(dir, "schema.d.ts");
try {
  execFileSync(join(root, "node_modules", ".bin", "openapi-typescript"), [spec, "-o", fresh], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  let current = "";
  try {
    current = readFileSync(committed, "utf8");
  } catch {
    console.error(`check:api: ${committed} is missing; run \`npm run gen:api\``);
    process.exit(1);
  }
  if (current !== readFileSync(fresh, "utf8")) {
    console.error("check:api: src/api/schema.d.ts is stale; run `npm run gen:api` and commit it");
    process.exit(1);
  }
  console.log("check:api: src/api/schema.d.ts matches ../openapi/openapi.json");
} finally {
  rmSync(dir, { recursive: true, force: true });
}
