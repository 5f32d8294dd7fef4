import assert from "node:assert/strict";
import { test } from "node:test";
import { login, startBrowser, startServer, withPage } from "./harness.mjs";

test("admin creates a village with a Tibetan name and finds it by part of that name", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
    await login(page, server.baseUrl, "admin", server.adminPassword);

    // The header says who is logged in, in which role and department.
    await page.getByTestId("user-role").getByText("系统管理员").waitFor();
    await page.getByTestId("user-department").getByText("西藏自治区财政厅").waitFor();
    // The admin menu is there.
    for (const key of ["users", "offices", "cadres", "villages", "rounds", "teams", "audit"]) {
      await page.getByTestId(`nav-${key}`).waitFor();
    }

    await page.getByTestId("nav-villages").click();
    await page.getByTestId("village-table").getByText("马格达村").waitFor();
    // The list says how many villages there are (the demo's active ones, counted by the server).
    const total = await page.getByTestId("list-total").textContent();
    assert.match(total ?? "", /^共 \d+ 条$/);
    await page.getByTestId("village-new").click();

    const form = page.getByTestId("village-form");
    await form.getByTestId("field-name").fill("扎西岗村");
    await form.getByTestId("field-name_bo").fill("བཀྲ་ཤིས་སྒང་");
    await form.getByTestId("field-prefecture").fill("日喀则市");
    // The county suggestions follow the prefecture: 南木林县 is offered, 班戈县 (那曲市) is not.
    await page.locator('[data-testid="county-options"] option[value="南木林县"]').waitFor({ state: "attached" });
    assert.equal(await page.locator('[data-testid="county-options"] option[value="班戈县"]').count(), 0);
    await form.getByTestId("field-county").fill("南木林县");
    await form.getByTestId("form-save").click();

    // Saved: the detail page shows both names.
    await page.getByTestId("village-title").getByText("扎西岗村").waitFor();
    await page.getByTestId("village-title").getByText("བཀྲ་ཤིས་སྒང་").waitFor();
    assert.match(page.url(), /\/villages\/\d+$/);

    // Search by a part of the Tibetan name only.
    await page.getByTestId("nav-villages").click();
    const search = page.getByTestId("village-search");
    await search.fill("ཤིས་སྒང");
    await search.press("Enter");
    const table = page.getByTestId("village-table");
    await table.getByText("扎西岗村").waitFor();
    await table.getByText("马格达村").waitFor({ state: "detached" });
    assert.equal(await table.locator("tbody tr.data-table-row").count(), 1);
    assert.match(page.url(), /q=/);

    // The Tibetan text is rendered with glyphs, not as empty boxes: its width is non-trivial.
    const width = await table.locator('[lang="bo"]').first().evaluate((el) => el.getBoundingClientRect().width);
    assert.ok(width > 20, `Tibetan name rendered ${width}px wide`);

    // The creation is in the audit log, filtered by entity and action, in Chinese, field by field.
    await page.getByTestId("nav-audit").click();
    await page.getByTestId("audit-filter-entity").click();
    await page.locator(".ant-select-item-option", { hasText: "村庄" }).click();
    await page.waitForURL(/entity=village/);
    await page.getByTestId("audit-filter-action").click();
    await page.locator(".ant-select-item-option", { hasText: "新建" }).click();
    await page.waitForURL(/action=create/);
    const audit = page.getByTestId("audit-table");
    const entry = audit.locator("tr.data-table-row", { hasText: "新建" });
    await entry.first().waitFor();
    assert.equal(await audit.locator("tr.data-table-row", { hasText: "登录" }).count(), 0);
    const expand = entry.first().getByRole("button", { name: "展开" });
    assert.equal(await expand.getAttribute("aria-expanded"), "false");
    await expand.click();
    assert.equal(await entry.first().getByRole("button", { name: "收起" }).getAttribute("aria-expanded"), "true");
    const changes = page.getByTestId("audit-changes").first();
    await changes.getByText("扎西岗村").waitFor();
    await changes.getByText("村名").waitFor();
    // The filters survive a reload (they live in the URL).
    await page.reload();
    await audit.locator("tr.data-table-row", { hasText: "新建" }).first().waitFor();
    assert.match(page.url(), /entity=village/);
  });
});

test("server field errors appear next to the fields", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
    await login(page, server.baseUrl, "admin", server.adminPassword, { path: "/villages/new" });
    const form = page.getByTestId("village-form");
    await form.getByTestId("field-name").fill("错误坐标村");
    await form.getByTestId("field-prefecture").fill("那曲市");
    await form.getByTestId("field-county").fill("班戈县");
    // A code the server rejects (not 12 digits) — the message comes back per field.
    await form.getByTestId("field-code").fill("abc");
    await form.getByTestId("form-save").click();
    const item = form.locator(".ant-form-item", { has: page.getByTestId("field-code") });
    await item.locator(".ant-form-item-explain-error").waitFor();
    // What was typed is kept.
    assert.equal(await form.getByTestId("field-name").inputValue(), "错误坐标村");
  });
});
