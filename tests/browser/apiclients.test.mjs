// API 客户端 (admin) at 360 px: create a client with two scopes → the secret is shown once with a
// copy button and a warning, and works at the token endpoint → after closing the dialog it is
// nowhere on the page or in storage → revoke (with confirmation) ends it. axe on the list and
// the dialogs.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function token(baseUrl, clientId, secret) {
  const basic = Buffer.from(`${clientId}:${secret}`).toString("base64");
  return fetch(`${baseUrl}/api/v1/auth/token`, {
    method: "POST",
    headers: { authorization: `Basic ${basic}`, "content-type": "application/x-www-form-urlencoded" },
    body: "grant_type=client_credentials",
  });
}

test("admin creates an API client, sees the secret once, and revokes it", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  await withPage(t, browser, PHONE, async (page) => {
    await login(page, server.baseUrl, "admin", server.adminPassword);
    await page.getByTestId("menu-button").click();
    await page.getByTestId("nav-apiClients").click();
    await page.getByTestId("page-title").getByText("API 客户端", { exact: true }).waitFor();
    assert.ok((await overflow(page)) <= 1, "the list fits 360 px");
    await checkA11y(page, "API clients at 360 px");

    await page.getByRole("button", { name: "新建客户端" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("名称").fill("浏览器测试程序");
    await dialog.getByLabel(/读取年度报告/).check();
    await dialog.getByLabel(/读取资金台账/).check();
    // The operator department's admin may make regional clients.
    await dialog.getByLabel("区域级客户端").waitFor();
    await checkA11y(page, "create dialog");
    await dialog.getByRole("button", { name: /创\s*建/ }).click();

    const secretDialog = page.getByRole("dialog", { name: "请立即保存客户端密钥" });
    await secretDialog.getByText("密钥只显示这一次", { exact: false }).waitFor();
    const clientId = (await secretDialog.getByTestId("client-id").innerText()).trim();
    const secret = (await secretDialog.getByTestId("client-secret").innerText()).trim();
    assert.match(clientId, /^zc_[0-9a-f]{20}$/);
    assert.ok(secret.length >= 40, secret);
    assert.ok((await secretDialog.getByRole("button", { name: /复制|copy/i }).count()) >= 1, "a copy button");
    await checkA11y(page, "secret dialog");
    assert.equal((await token(server.baseUrl, clientId, secret)).status, 200);

    await secretDialog.getByRole("button", { name: /我已保存/ }).click();
    await secretDialog.waitFor({ state: "hidden" });
    const row = page.locator("tr.data-table-row", { hasText: "浏览器测试程序" });
    await row.getByText("有效").waitFor();
    // Shown once: not on the page, not in any storage.
    assert.equal(await page.evaluate((s) => document.body.innerHTML.includes(s), secret), false);
    assert.equal(
      await page.evaluate((s) => JSON.stringify(localStorage).includes(s) || JSON.stringify(sessionStorage).includes(s), secret),
      false,
    );

    await row.getByRole("button", { name: /吊\s*销/ }).click();
    const confirm = page.getByRole("dialog").filter({ hasText: "确定吊销" });
    await confirm.getByRole("button", { name: /吊\s*销/ }).click();
    await row.getByText("已吊销").first().waitFor();
    const refused = await token(server.baseUrl, clientId, secret);
    assert.equal(refused.status, 401);
    assert.equal((await refused.json()).error, "invalid_client");
  });
});
