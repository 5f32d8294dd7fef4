import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, login, startBrowser, startServer, withPage } from "./harness.mjs";

test("sessions and saving", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);

  await t.test("a stale edit shows that someone else changed the record, and reload recovers", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      const call = await apiLogin(server.baseUrl, "admin", server.adminPassword);
      const list = await (await call(`/villages?q=${encodeURIComponent("琼果村")}`)).json();
      const village = list.items.find((v) => v.name === "琼果村");
      assert.ok(village, "demo village 琼果村 exists");

      await login(page, server.baseUrl, "admin", server.adminPassword, { path: `/villages/${village.id}/edit` });
      const form = page.getByTestId("village-form");
      await form.getByTestId("field-township").waitFor();
      assert.equal(await form.getByTestId("field-name").inputValue(), "琼果村");

      // Someone else changes the record meanwhile.
      const current = await call(`/villages/${village.id}`);
      const changed = await call(`/villages/${village.id}`, {
        method: "PATCH",
        headers: { "If-Match": current.headers.get("etag") },
        body: JSON.stringify({ township: "他人修改乡" }),
      });
      assert.equal(changed.status, 200);

      await form.getByTestId("field-code").fill("540627100299");
      await form.getByTestId("form-save").click();
      await page.getByTestId("form-conflict").getByText("该记录已被他人修改").waitFor();
      // Still on the form, with the input kept.
      assert.equal(await form.getByTestId("field-code").inputValue(), "540627100299");

      await page.getByTestId("form-reload").click();
      await page.getByTestId("form-conflict").waitFor({ state: "detached" });
      await page.waitForFunction(
        () => document.querySelector('[data-testid="field-township"]')?.value === "他人修改乡",
      );
    });
  });

  await t.test("a save without an answer goes to 待同步 and is resent with the same Idempotency-Key", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword, { path: "/offices/new" });
      const keys = [];
      let failNext = true;
      await page.route("**/api/v1/offices", async (route) => {
        if (route.request().method() !== "POST") return route.continue();
        keys.push(await route.request().headerValue("idempotency-key"));
        if (failNext) {
          failNext = false;
          return route.abort("internetdisconnected");
        }
        return route.continue();
      });
      await page.getByTestId("field-name").fill("网络测试处");
      await page.getByTestId("form-save").click();
      // Kept in the outbox, shown with its state; sent again by "sync now".
      await page.getByTestId("page-title").getByText("待同步", { exact: true }).waitFor();
      const item = page.getByTestId("outbox-item").filter({ hasText: "网络测试处" });
      await item.getByTestId("outbox-state").getByText("等待发送").waitFor();
      await page.getByTestId("outbox-sync").click();
      await page.getByTestId("outbox-empty").waitFor();
      assert.equal(keys.length, 2);
      assert.match(keys[0], /^[0-9a-f-]{36}$/);
      assert.equal(keys[1], keys[0]);
      const call = await apiLogin(server.baseUrl, "admin", server.adminPassword);
      const offices = await (await call(`/offices?q=${encodeURIComponent("网络测试处")}`)).json();
      assert.equal(offices.items.filter((o) => o.name === "网络测试处").length, 1);
    });
  });

  await t.test("a 412 shows what the other person changed; keeping mine saves over it", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      const call = await apiLogin(server.baseUrl, "admin", server.adminPassword);
      const list = await (await call(`/villages?q=${encodeURIComponent("下地村")}`)).json();
      const village = list.items.find((v) => v.name === "下地村");
      await login(page, server.baseUrl, "admin", server.adminPassword, { path: `/villages/${village.id}/edit` });
      const form = page.getByTestId("village-form");
      await form.getByTestId("field-township").waitFor();
      const current = await call(`/villages/${village.id}`);
      await call(`/villages/${village.id}`, {
        method: "PATCH",
        headers: { "If-Match": current.headers.get("etag") },
        body: JSON.stringify({ township: "对方的乡" }),
      });
      await form.getByTestId("field-township").fill("我的乡");
      await form.getByTestId("form-save").click();
      const diff = page.getByTestId("conflict-diff");
      await diff.getByText("对方的乡").waitFor();
      await diff.getByText("我的乡").waitFor();
      await page.getByTestId("form-keep-mine").click();
      await page.getByTestId("village-title").getByText("下地村").waitFor();
      const after = await (await call(`/villages/${village.id}`)).json();
      assert.equal(after.township, "我的乡");
    });
  });

  await t.test("logging out clears the offline copy of fetched data", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword, { path: "/villages" });
      await page.getByTestId("village-table").getByText("马格达村").waitFor();
      await page.waitForFunction(() => (localStorage.getItem("zhucun.query-cache") ?? "").includes("马格达村"));
      await page.getByTestId("logout").click();
      await page.getByTestId("login-submit").waitFor();
      await page.waitForFunction(() => !(localStorage.getItem("zhucun.query-cache") ?? "").includes("马格达村"));
    });
  });

  await t.test("what was typed survives a reload as a draft", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword, { path: "/villages/new" });
      await page.getByTestId("field-name").fill("草稿村");
      await page.reload();
      await page.getByTestId("draft-restored").waitFor();
      assert.equal(await page.getByTestId("field-name").inputValue(), "草稿村");
    });
  });

  await t.test("logout returns to the login page and protected pages redirect there", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword);
      const refresh = await page.evaluate(() => localStorage.getItem("zhucun.refresh_token"));
      assert.ok(refresh);
      await page.getByTestId("logout").click();
      await page.getByTestId("login-submit").waitFor();
      assert.equal(new URL(page.url()).pathname, "/login");
      assert.equal(await page.evaluate(() => localStorage.getItem("zhucun.refresh_token")), null);
      // The refresh token was revoked on the server.
      const reuse = await fetch(`${server.baseUrl}/api/v1/auth/refresh`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ refresh_token: refresh }),
      });
      assert.equal(reuse.status, 401);

      // A protected page sends to login, and back there after logging in.
      await page.goto(`${server.baseUrl}/rounds`);
      await page.getByTestId("login-submit").waitFor();
      assert.equal(new URL(page.url()).searchParams.get("next"), "/rounds");
      await page.getByTestId("login-username").fill("admin");
      await page.getByTestId("login-password").fill(server.adminPassword);
      await page.getByTestId("login-submit").click();
      await page.getByTestId("page-title").getByText("驻村批次", { exact: true }).waitFor();
      assert.equal(new URL(page.url()).pathname, "/rounds");
    });
  });

  await t.test("a session whose refresh token is refused returns to login, then to the same page", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword, { path: "/cadres" });
      await page.getByTestId("page-title").getByText("干部", { exact: true }).waitFor();
      // Both tokens stop working (as after a password change elsewhere).
      await page.evaluate(() => {
        localStorage.setItem("zhucun.access_token", "expired-access");
        localStorage.setItem("zhucun.refresh_token", "revoked-refresh");
      });
      await page.goto(`${server.baseUrl}/offices`);
      await page.getByTestId("login-error").waitFor();
      assert.equal(new URL(page.url()).searchParams.get("next"), "/offices");
      await page.getByTestId("login-username").fill("admin");
      await page.getByTestId("login-password").fill(server.adminPassword);
      await page.getByTestId("login-submit").click();
      await page.getByTestId("page-title").getByText("处室", { exact: true }).waitFor();
    });
  });

  await t.test("changing one's password ends the session; the new password works", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      await page.getByTestId("change-password").click();
      const dialog = page.getByRole("dialog", { name: "修改密码" });
      await dialog.getByLabel("当前密码").fill(server.demoPassword);
      await dialog.getByLabel("新密码（至少 10 个字符）").fill("new-password-2026");
      await dialog.getByRole("button", { name: /确\s*定|OK/ }).click();
      await page.getByTestId("login-submit").waitFor();
      await login(page, server.baseUrl, "office_staff", "new-password-2026");
      await page.getByTestId("user-role").getByText("厅机关").waitFor();
    });
  });
});
