// Sums the gzipped JavaScript a browser loads to show the login page: the entry chunk, every chunk
// it imports statically (transitively), and the login route's chunk with its static imports.
// Prints the figure and exits 1 when it is over budget.
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const BUDGET_KB = Number(process.env.BUNDLE_BUDGET_KB ?? 350);
const LOGIN_SOURCE = "src/features/login/LoginPage.tsx";

const dist = join(dirname(fileURLToPath(import.meta.url)), "..", "dist");
const manifest = JSON.parse(readFileSync(join(dist, ".vite", "manifest.json"), "utf8"));

const entries = Object.entries(manifest).filter(([, chunk]) => chunk.isEntry);
if (entries.length !== 1) {
  console.error(`bundle-budget: expected one entry chunk, found ${entries.length}`);
  process.exit(1);
}
// The login route's chunk: keyed by its source, or (when small chunks were merged into it, see
// vite.config.ts) by its name.
const login = manifest[LOGIN_SOURCE]
  ? LOGIN_SOURCE
  : Object.keys(manifest).find((key) => manifest[key].name === "LoginPage" && manifest[key].isDynamicEntry);
if (!login) {
  console.error(`bundle-budget: ${LOGIN_SOURCE} is not a chunk of its own (is the login route lazy?)`);
  process.exit(1);
}

const seen = new Set();
function collect(key) {
  if (seen.has(key)) return;
  seen.add(key);
  for (const imported of manifest[key]?.imports ?? []) collect(imported);
}
collect(entries[0][0]);
collect(login);

let total = 0;
const rows = [];
for (const key of seen) {
  const file = manifest[key].file;
  if (!file.endsWith(".js")) continue;
  const size = gzipSync(readFileSync(join(dist, file)), { level: 9 }).length;
  total += size;
  rows.push([file, size]);
}
rows.sort((a, b) => b[1] - a[1]);
for (const [file, size] of rows) console.log(`  ${(size / 1024).toFixed(1).padStart(8)} KB  ${file}`);
const kb = total / 1024;
console.log(`bundle-budget: login page JavaScript ${kb.toFixed(1)} KB gzipped (budget ${BUDGET_KB} KB)`);
if (kb > BUDGET_KB) {
  console.error("bundle-budget: over budget");
  process.exit(1);
}
