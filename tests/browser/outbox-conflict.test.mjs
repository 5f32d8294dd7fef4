// An update saved offline that meets a 412 when the link returns (someone else saved the record in
// between) is not sent over the other person's change and not dropped: 待同步 shows it as a
// conflict with what they changed, and the user decides to keep theirs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

/** Client-side navigation without reloading the app (the outbox runner keeps running). */
async function go(page, path) {
  await page.evaluate((p) => {
    window.history.pushState({}, "", p);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

test("a queued update that meets a 412 asks the user, and keeping mine saves it", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const call = await apiLogin(server.baseUrl, "admin", server.adminPassword);
  const list = await (await call(`/villages?q=${encodeURIComponent("琼果村")}`)).json();
  const village = list.items.find((v) => v.name === "琼果村");
  assert.ok(village, "the demo has 琼果村");

  await withPage(t, browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
    await page.addInitScript(() => localStorage.setItem("zhucun.outbox.retry_ms", "200"));
    await login(page, server.baseUrl, "admin", server.adminPassword);
    // The 待同步 page's chunk once while online (a first visit has no precache yet).
    await go(page, "/outbox");
    await page.getByTestId("outbox-empty").waitFor();
    await go(page, `/villages/${village.id}/edit`);
    const form = page.getByTestId("village-form");
    await form.getByTestId("field-township").waitFor();

    const cdp = await page.context().newCDPSession(page);
    const setOffline = (offline) =>
      cdp.send("Network.emulateNetworkConditions", { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await setOffline(true);
    await page.getByTestId("offline-banner").waitFor();
    await form.getByTestId("field-township").fill("离线时改的乡");
    await form.getByTestId("form-save").click();
    await page.waitForURL(/\/outbox$/);
    const item = page.getByTestId("outbox-item");
    await item.getByTestId("outbox-state").getByText("等待发送").waitFor();

    // Meanwhile someone at the office saves the same village.
    const current = await call(`/villages/${village.id}`);
    const theirs = await call(`/villages/${village.id}`, {
      method: "PATCH",
      headers: { "If-Match": current.headers.get("etag") },
      body: JSON.stringify({ township: "办公室改的乡" }),
    });
    assert.equal(theirs.status, 200);

    // Back online: the queued save meets 412 and waits for the user; nothing was overwritten.
    await setOffline(false);
    const conflict = item.getByTestId("outbox-conflict");
    await conflict.waitFor({ timeout: 60_000 });
    assert.equal((await (await call(`/villages/${village.id}`)).json()).township, "办公室改的乡");
    await checkA11y(page, "outbox with a conflict");

    // The user keeps their value: sent with the current version, the queue empties.
    await conflict.getByTestId("outbox-keep-mine").click();
    await page.getByTestId("outbox-empty").waitFor({ timeout: 60_000 });
  });
  const after = await (await call(`/villages/${village.id}`)).json();
  assert.equal(after.township, "离线时改的乡");
});
