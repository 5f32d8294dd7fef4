// Shared set-up for the browser tests: a real zhucun server on a free port with its own temporary
// database and demo data, headless Chromium through playwright-core, and a screenshot on failure.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
export const repo = resolve(here, "..", "..");
const frontend = join(repo, "frontend");
// playwright-core is a devDependency of frontend/; resolve it from there.
const requireFrontend = createRequire(join(frontend, "package.json"));
const { chromium } = requireFrontend("playwright-core");
const { AxeBuilder } = requireFrontend("@axe-core/playwright");

const BIN = process.env.ZHUCUN_BIN ?? join(repo, "target", "debug", "zhucun");
const STATIC_DIR = process.env.ZHUCUN_STATIC_DIR ?? join(frontend, "dist");
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const READY_TIMEOUT_MS = 60_000;
export const RESULTS_DIR = join(frontend, "test-results");
/** The built SPA the tests serve. */
export const BUILT_SPA = STATIC_DIR;

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

const delay = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts `zhucun serve --demo` and resolves once /readyz answers 200. Stops it when `t` ends.
 * `staticDir`: serve another copy of the built SPA (a test that changes files under it).
 */
export async function startServer(t, { staticDir = STATIC_DIR } = {}) {
  if (!existsSync(BIN)) throw new Error(`server binary not found at ${BIN}: build it (cargo build) or set ZHUCUN_BIN`);
  if (!existsSync(join(staticDir, "index.html"))) throw new Error(`no built SPA in ${staticDir}: run npm run build`);
  const dir = mkdtempSync(join(tmpdir(), "zhucun-browser-"));
  const port = await freePort();
  const adminPassword = `admin-${randomBytes(9).toString("hex")}`;
  const demoPassword = `demo-${randomBytes(9).toString("hex")}`;
  const output = [];
  const child = spawn(BIN, ["serve", "--demo", "--bind", `127.0.0.1:${port}`], {
    env: {
      ...process.env,
      DATABASE_URL: `sqlite://${join(dir, "z.db")}`,
      ZHUCUN_DATA_DIR: dir,
      ZHUCUN_ADMIN_PASSWORD: adminPassword,
      ZHUCUN_DEMO_PASSWORD: demoPassword,
      ZHUCUN_STATIC_DIR: staticDir,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout.on("data", (d) => output.push(d));
  child.stderr.on("data", (d) => output.push(d));
  const exited = new Promise((r) => child.once("exit", r));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  t.after(stop);

  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (child.exitCode !== null) {
      throw new Error(`server exited with ${child.exitCode}:\n${Buffer.concat(output).toString().slice(-4000)}`);
    }
    try {
      const res = await fetch(`${baseUrl}/readyz`);
      if (res.status === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      throw new Error(`server not ready after ${READY_TIMEOUT_MS} ms:\n${Buffer.concat(output).toString().slice(-4000)}`);
    }
    await delay(200);
  }
  return { baseUrl, adminPassword, demoPassword, logs: () => Buffer.concat(output).toString() };
}

/**
 * Launches Chromium for the test and closes it when `t` ends. `options.env` adds to the browser's
 * environment (e.g. `FONTCONFIG_FILE` to take fonts away).
 */
export async function startBrowser(t, options = {}) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    env: options.env ? { ...process.env, ...options.env } : undefined,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
  t.after(() => browser.close());
  return browser;
}

/**
 * Opens a fresh browser context (own localStorage) and runs `body(page)`; on failure saves a
 * screenshot under frontend/test-results/ named after the test.
 */
export async function withPage(t, browser, options, body) {
  const contextOptions = { ...options };
  delete contextOptions.a11y;
  const context = await browser.newContext({ locale: "zh-CN", timezoneId: "Europe/London", ...contextOptions });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  try {
    await body(page);
    // Every test ends with an accessibility check of the page it finished on.
    if (options.a11y !== false) await checkA11y(page);
    if (errors.length > 0) throw new Error(`uncaught errors in the page: ${errors.map(String).join("; ")}`);
  } catch (error) {
    console.error(`# ${t.name}: failed at ${page.url()}`);
    mkdirSync(RESULTS_DIR, { recursive: true });
    const name = t.name.replace(/[^\p{L}\p{N}]+/gu, "-").slice(0, 80);
    await page.screenshot({ path: join(RESULTS_DIR, `${name}.png`), fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
}

/** WCAG 2.2 AA rules axe checks; serious and critical findings fail the test. */
const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/**
 * Runs axe-core on the page as it is now and throws on serious or critical violations, listing
 * each rule with a few of the offending elements.
 */
export async function checkA11y(page, label = page.url()) {
  // Measured as the page settles, not mid-animation: a toast fading out (antd's *-leave-active)
  // or a button halfway through a 0.2 s colour transition would be measured at a contrast nobody
  // reads it at. Wait for running enter/leave animations, then switch transitions off for the check.
  await page
    .waitForFunction(() => !document.querySelector('[class*="-leave-active"], [class*="-enter-active"], [class*="-appear-active"]'), undefined, {
      timeout: 5_000,
    })
    .catch(() => undefined);
  const settle = await page.addStyleTag({ content: "*, *::before, *::after { transition: none !important; }" });
  // antd's toasts (`.ant-message`) come and go on their own timers, often mid-animation when the
  // check runs; at rest they are antd's default text on white.
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).exclude(".ant-message").analyze();
  await settle.evaluate((el) => el.remove()).catch(() => undefined);
  const bad = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length > 0) {
    const lines = bad.map(
      (v) => `${v.id} (${v.impact}, ${v.nodes.length}×): ${v.help}\n      ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join("\n      ")}`,
    );
    throw new Error(`accessibility violations on ${label}:\n  ${lines.join("\n  ")}`);
  }
  return results;
}

/** Logs in through the login form and waits for the header to show who is logged in. */
export async function login(page, baseUrl, username, password, { path = "/" } = {}) {
  await page.goto(`${baseUrl}${path}`);
  await page.getByTestId("login-username").fill(username);
  await page.getByTestId("login-password").fill(password);
  await page.getByTestId("login-submit").click();
  await page.getByTestId("user-name").waitFor();
}

/** Logs in through the API (for changing records behind the page's back). */
export async function apiLogin(baseUrl, username, password) {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  const { access_token } = await res.json();
  return (path, init = {}) =>
    fetch(`${baseUrl}/api/v1${path}`, {
      ...init,
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${access_token}`, ...(init.headers ?? {}) },
    });
}
