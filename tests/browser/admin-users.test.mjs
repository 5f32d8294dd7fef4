import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, login, startBrowser, startServer, withPage } from "./harness.mjs";

test("admin creates a user, resets the password and disables the account", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
    await login(page, server.baseUrl, "admin", server.adminPassword, { path: "/users/new" });
    await page.getByTestId("field-username").fill("staff_test");
    await page.getByTestId("field-display_name").fill("测试职员");
    await page.getByTestId("field-password").fill("first-password-1");
    await page.getByTestId("form-save").click();
    await page.getByTestId("page-title").getByText("用户", { exact: true }).waitFor();
    // The password is never kept in the form's draft.
    assert.equal(await page.evaluate(() => JSON.stringify(sessionStorage).includes("first-password-1")), false);
    await apiLogin(server.baseUrl, "staff_test", "first-password-1");

    const row = page.locator("tr.data-table-row", { hasText: "staff_test" });
    await row.getByRole("button", { name: "重置密码" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.getByLabel("新密码").fill("second-password-2");
    await dialog.getByRole("button", { name: /确\s*定/ }).click();
    await dialog.waitFor({ state: "hidden" });
    await apiLogin(server.baseUrl, "staff_test", "second-password-2");

    await row.getByRole("link", { name: "编辑" }).click();
    await page.getByTestId("field-disabled").check();
    await page.getByTestId("form-save").click();
    await row.getByText("停用").waitFor();
    await assert.rejects(apiLogin(server.baseUrl, "staff_test", "second-password-2"));
  });
});
