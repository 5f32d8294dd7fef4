/* global document */
// Weak-link figures for the README: a real server with demo data and Chromium with CDP network
// emulation (800 ms RTT, 256 kbit/s down, 128 kbit/s up). Not a test: it prints numbers.
//
//   ZHUCUN_BIN=/path/to/zhucun node bench/weak-link.mjs            # the build in dist/
//   ZHUCUN_STATIC_DIR=/other/dist ZHUCUN_BIN=… node bench/weak-link.mjs
//   WEAK_LINK_LOG=1 …                                                # and every response on stderr
//   WEAK_LINK_USER=office_staff …     # the department's home page instead of the admin's villages
//
// Measures: first visit (first paint, login form usable, requests and bytes), login → first page
// with data (after typing the credentials at phone speed), repeat visit (online and offline).
import { startBrowser, startServer } from "../../tests/browser/harness.mjs";

const LINK = { offline: false, latency: 800, downloadThroughput: (256 * 1024) / 8, uploadThroughput: (128 * 1024) / 8 };
const TYPING_DELAY_MS = Number(process.env.TYPING_DELAY_MS ?? 180);
// Who logs in, where they land and what shows that the first page has its data.
const USER = process.env.WEAK_LINK_USER ?? "admin";
const LANDINGS = {
  admin: { path: "/villages", ready: (page) => page.getByTestId("village-table").locator("tr.data-table-row").first() },
  office_staff: { path: "/", ready: (page) => page.getByTestId("home-funds-table").locator("tr.data-table-row").first() },
};
const LANDING = LANDINGS[USER];
if (!LANDING) throw new Error(`WEAK_LINK_USER: one of ${Object.keys(LANDINGS).join(", ")}`);

const cleanups = [];
const t = { after: (fn) => cleanups.push(fn), name: "weak-link" };
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

async function emulate(page, conditions) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("Network.enable");
  await cdp.send("Network.emulateNetworkConditions", conditions);
  const traffic = { requests: 0, bytes: 0 };
  cdp.on("Network.requestWillBeSent", () => traffic.requests++);
  cdp.on("Network.loadingFinished", (e) => (traffic.bytes += e.encodedDataLength));
  if (process.env.WEAK_LINK_LOG) {
    // Every response: when it finished, its size on the wire and its coding (WEAK_LINK_LOG=1).
    const started = Date.now();
    const seen = new Map();
    cdp.on("Network.responseReceived", (e) => seen.set(e.requestId, { url: e.response.url, coding: e.response.headers["content-encoding"] ?? "-" }));
    cdp.on("Network.loadingFinished", (e) => {
      const r = seen.get(e.requestId);
      if (r) console.error(`${((Date.now() - started) / 1000).toFixed(1)} s  ${(e.encodedDataLength / 1024).toFixed(1)} KB  ${r.coding}  ${r.url.replace(/^https?:\/\/[^/]+/, "")}`);
    });
  }
  return { cdp, traffic };
}

try {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const context = await browser.newContext({ locale: "zh-CN", viewport: { width: 360, height: 740 }, isMobile: true });
  const page = await context.newPage();
  const { cdp, traffic } = await emulate(page, LINK);

  // First visit: empty cache, no service worker.
  const start = Date.now();
  await page.goto(`${server.baseUrl}/login`, { waitUntil: "commit" });
  await page.waitForFunction(() => performance.getEntriesByType("paint").some((p) => p.name === "first-contentful-paint"));
  const fcp = await page.evaluate(() => performance.getEntriesByType("paint").find((p) => p.name === "first-contentful-paint").startTime);
  const shellText = await page.evaluate(() => document.body.innerText.slice(0, 40).replace(/\s+/g, " "));
  await page.getByTestId("login-submit").waitFor({ timeout: 120_000 });
  const usable = Date.now() - start;
  const loginTraffic = { ...traffic };

  // The user types the credentials at phone speed (chunks may arrive meanwhile), then logs in.
  await page.getByTestId("login-username").pressSequentially(USER, { delay: TYPING_DELAY_MS });
  await page.getByTestId("login-password").pressSequentially(USER === "admin" ? server.adminPassword : server.demoPassword, { delay: TYPING_DELAY_MS });
  const typedAt = Date.now();
  await page.getByTestId("login-submit").click();
  await LANDING.ready(page).waitFor({ timeout: 120_000 });
  const toData = Date.now() - typedAt;
  const afterLoginTraffic = { requests: traffic.requests - loginTraffic.requests, bytes: traffic.bytes - loginTraffic.bytes };

  // Repeat visit: the same browser comes back to the last page.
  // The service worker registers 3 s after the first page has its data and is `ready` once it has precached
  // the app; then the query cache copy is saved (throttled to 1 s).
  const hasWorker = await page
    .waitForFunction(() => navigator.serviceWorker?.getRegistration().then((r) => r !== undefined), null, { timeout: 20_000 })
    .then(() => true, () => false);
  if (hasWorker) {
    await page.waitForFunction(() => navigator.serviceWorker.ready.then(() => true), null, { timeout: 120_000 }).catch(() => undefined);
  }
  await page.waitForTimeout(2_000);
  const page2 = await context.newPage();
  await emulate(page2, LINK);
  const again = Date.now();
  await page2.goto(`${server.baseUrl}${LANDING.path}`, { waitUntil: "commit" });
  await LANDING.ready(page2).waitFor({ timeout: 120_000 });
  const repeat = Date.now() - again;
  const swControlled = await page2.evaluate(() => Boolean(navigator.serviceWorker?.controller));
  await page2.close();

  const page3 = await context.newPage();
  await emulate(page3, { ...LINK, offline: true });
  const offlineStart = Date.now();
  let offline = "failed";
  try {
    await page3.goto(`${server.baseUrl}${LANDING.path}`, { waitUntil: "commit" });
    await LANDING.ready(page3).waitFor({ timeout: 30_000 });
    offline = seconds(Date.now() - offlineStart);
  } catch (error) {
    offline = `failed (${String(error.message).split("\n")[0]})`;
  }
  await cdp.detach();

  console.log(`weak link: RTT ${LINK.latency} ms, 256 kbit/s down, 128 kbit/s up; typing ${TYPING_DELAY_MS} ms/key; ${USER} → ${LANDING.path}`);
  console.log(`first visit: first paint ${seconds(fcp)} ("${shellText}")`);
  console.log(`first visit: login form usable ${seconds(usable)} (${loginTraffic.requests} requests, ${(loginTraffic.bytes / 1024).toFixed(0)} KB)`);
  console.log(`login → first page with data: ${seconds(toData)} (${afterLoginTraffic.requests} requests, ${(afterLoginTraffic.bytes / 1024).toFixed(0)} KB since the login form was usable)`);
  console.log(`repeat visit (service worker ${swControlled ? "active" : "absent"}): last page with data ${seconds(repeat)}`);
  console.log(`repeat visit offline: ${offline}`);
} finally {
  for (const fn of cleanups.reverse()) await fn();
}
