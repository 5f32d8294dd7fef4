// A route chunk that cannot be fetched (weak link, or removed by a new deployment) is retried and
// then explained in Chinese with a retry button — never a white page.
import assert from "node:assert/strict";
import { test } from "node:test";
import { login, startBrowser, startServer, withPage } from "./harness.mjs";

test("a chunk that does not arrive is retried, then 页面加载失败 with a working retry", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  // Service workers blocked: a chunk served from its cache would never reach page.route.
  await withPage(t, browser, { viewport: { width: 1280, height: 900 }, serviceWorkers: "block" }, async (page) => {
    await login(page, server.baseUrl, "admin", server.adminPassword);
    await page.getByTestId("nav-audit").waitFor();
    let attempts = 0;
    let blocked = true;
    await page.route(/\/assets\/AuditPage-[^/]+\.js$/, (route) => {
      if (!blocked) return route.continue();
      attempts++;
      return route.abort("connectionreset");
    });
    await page.getByTestId("nav-audit").click();
    const error = page.getByTestId("chunk-error");
    await error.getByText("页面加载失败").waitFor();
    assert.ok(attempts >= 2, `the chunk was requested ${attempts} time(s) before giving up`);
    // The rest of the app is still there (header, menu), not a white page.
    await page.getByTestId("user-name").waitFor();
    blocked = false;
    await error.getByTestId("chunk-retry").click();
    await page.getByTestId("audit-table").waitFor();
  });
});
