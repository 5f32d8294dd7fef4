// A new version of the app is offered, never swapped in by itself: with a half-filled form open,
// the service worker of the new version waits, the page shows 有新版本可用, and the form keeps what
// was typed. Only the user's click activates it; the draft survives the reload.
import assert from "node:assert/strict";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { BUILT_SPA, login, startBrowser, startServer, withPage } from "./harness.mjs";

/** Evaluates the async `predicate` in the page until it is true (waitForFunction takes a promise for true). */
async function poll(page, predicate, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await page.evaluate(predicate))) {
    if (Date.now() > deadline) throw new Error(`not true within ${timeoutMs} ms: ${predicate}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Changes the served service worker by a byte, asks the browser to check, waits for the offer. */
async function deployAndOffer(page, spa, version) {
  const sw = join(spa, "sw.js");
  writeFileSync(sw, `${readFileSync(sw, "utf8")}\n// version ${version}\n`);
  await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
  await page.getByTestId("update-prompt").getByText("有新版本可用").waitFor({ timeout: 30_000 });
}

test("a new version waits for the user's yes and the half-filled form stays", async (t) => {
  // A copy of the built app that this test can change under the running server.
  const spa = mkdtempSync(join(tmpdir(), "zhucun-spa-"));
  t.after(() => rmSync(spa, { recursive: true, force: true }));
  cpSync(BUILT_SPA, spa, { recursive: true });
  const server = await startServer(t, { staticDir: spa });
  const browser = await startBrowser(t);
  await withPage(t, browser, { viewport: { width: 360, height: 740 } }, async (page) => {
    await login(page, server.baseUrl, "admin", server.adminPassword, { path: "/villages/new" });
    await page.getByTestId("field-name").fill("半填的村");
    // The service worker registers in the quiet time after the first page and activates.
    await poll(page, async () => (await navigator.serviceWorker.getRegistration())?.active?.state === "activated");
    assert.equal(await page.getByTestId("update-prompt").count(), 0, "no prompt before there is a new version");

    // First visit: this page is not controlled by the worker (no clients.claim). A new version
    // is deployed (its service worker differs by a byte) and offered; nothing is swapped.
    await deployAndOffer(page, spa, "second");
    assert.equal(new URL(page.url()).pathname, "/villages/new");
    assert.equal(await page.getByTestId("field-name").inputValue(), "半填的村");
    // The user says yes: the page reloads under the new version, the draft is back.
    await Promise.all([page.waitForEvent("load"), page.getByTestId("update-apply").click()]);
    await page.getByTestId("draft-restored").waitFor();
    assert.equal(await page.getByTestId("field-name").inputValue(), "半填的村");
    assert.equal(await page.getByTestId("update-prompt").count(), 0);
    assert.ok(await page.evaluate(() => navigator.serviceWorker.controller !== null), "now controlled by the worker");

    // Repeat visit, controlled: the next version must wait while this page is open.
    await page.getByTestId("field-name").fill("又改了的村");
    await deployAndOffer(page, spa, "third");
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting?.state), "installed");
    assert.equal(await page.getByTestId("field-name").inputValue(), "又改了的村");
    await Promise.all([page.waitForEvent("load"), page.getByTestId("update-apply").click()]);
    await page.getByTestId("draft-restored").waitFor();
    assert.equal(await page.getByTestId("field-name").inputValue(), "又改了的村");
    assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null), null);
  });
});
