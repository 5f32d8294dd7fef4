// The outbox under a bad link: 100 simulated drops (offline periods through Chromium's network
// emulation, and requests aborted before or *after* they reached the server), then a count through
// the API: every record created exactly once — none lost, none duplicated.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, login, startBrowser, startServer, withPage } from "./harness.mjs";

const DROPS = 100;
const PREFIX = "掉线测试";

/** mulberry32: a small seeded RNG, so a failure can be replayed. */
function rng(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Client-side navigation without reloading the app (the outbox runner keeps running). */
async function go(page, path) {
  await page.evaluate((p) => {
    window.history.pushState({}, "", p);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

test("creates survive 100 dropped links: 0 lost, 0 duplicated", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const seed = Number(process.env.OUTBOX_SEED ?? 20261129);
  const random = rng(seed);
  const counts = { beforeServer: 0, afterServer: 0, offline: 0, passed: 0, replayed: 0, created: 0 };
  const drops = () => counts.beforeServer + counts.afterServer + counts.offline;

  await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
    // Retry quickly in the test; the product default starts at 2 s.
    await page.addInitScript(() => localStorage.setItem("zhucun.outbox.retry_ms", "200"));
    await login(page, server.baseUrl, "admin", server.adminPassword, { path: "/cadres" });
    const cdp = await page.context().newCDPSession(page);
    const setOffline = (offline) =>
      cdp.send("Network.emulateNetworkConditions", { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });

    await page.route("**/api/v1/cadres", async (route) => {
      if (route.request().method() !== "POST") return route.continue();
      const roll = random();
      if (drops() < DROPS && roll < 0.35) {
        counts.beforeServer++;
        return route.abort("internetdisconnected");
      }
      const response = await route.fetch();
      if (drops() < DROPS && roll < 0.75) {
        counts.afterServer++; // the server has it; the answer is lost
        return route.abort("connectionreset");
      }
      counts.passed++;
      if (response.headers()["idempotent-replayed"] === "true") counts.replayed++;
      return route.fulfill({ response });
    });

    // The form's chunk is loaded once while online (on a first visit without the service worker's
    // precache an unvisited page cannot load offline; that case is chunks.test.mjs's).
    await go(page, "/cadres/new");
    await page.getByTestId("field-name").waitFor();

    let offline = false;
    for (let i = 0; drops() < DROPS; i++) {
      // Now and then the link goes away entirely for a few saves.
      if (!offline && random() < 0.15) {
        offline = true;
        await setOffline(true);
        await page.getByTestId("offline-banner").waitFor();
      } else if (offline && random() < 0.4) {
        offline = false;
        await setOffline(false);
        await page.getByTestId("offline-banner").waitFor({ state: "detached" });
      }
      await go(page, "/cadres/new");
      await page.getByTestId("field-name").fill(`${PREFIX}-${i}`);
      await page.getByTestId("form-save").click();
      if (offline) counts.offline++;
      counts.created++;
      // Saved (back at the list) or queued (the outbox page).
      await page.waitForURL((url) => url.pathname === "/cadres" || url.pathname === "/outbox");
      if (i % 5 === 4 && !offline) {
        await go(page, "/outbox");
        // "Sync now" when anything waits; the queue may drain by itself meanwhile (the button is
        // then disabled), which is fine.
        await page.getByTestId("outbox-sync").click({ timeout: 1_000 }).catch(() => undefined);
      }
    }
    await setOffline(false);

    // The link is back for good: the queue drains by itself (online event, timer), then is empty.
    await go(page, "/outbox");
    await page.getByTestId("outbox-empty").waitFor({ timeout: 120_000 });
    assert.equal(await page.evaluate(() => localStorage.getItem("zhucun.outbox.retry_ms")), "200");
  });

  const call = await apiLogin(server.baseUrl, "admin", server.adminPassword);
  const list = await (await call(`/cadres?q=${encodeURIComponent(PREFIX)}&limit=500`)).json();
  const names = list.items.map((c) => c.name);
  const expected = Array.from({ length: counts.created }, (_, i) => `${PREFIX}-${i}`);
  const lost = expected.filter((n) => !names.includes(n));
  const duplicated = names.filter((n, i) => names.indexOf(n) !== i);
  console.log(`# outbox drops seed=${seed}: ${JSON.stringify({ ...counts, drops: drops(), lost: lost.length, duplicated: duplicated.length })}`);
  assert.ok(drops() >= DROPS, `only ${drops()} drops`);
  assert.ok(counts.afterServer > 0 && counts.replayed > 0, "some answers were lost after the server created the record, and replayed");
  assert.deepEqual(lost, [], "lost records");
  assert.deepEqual(duplicated, [], "duplicated records");
  assert.equal(names.length, counts.created);
});
