// 村务公开 on a phone (360 px): the committee drafts a disclosure through the form (RecordForm and
// the outbox), publishes it from the list, finds it on the public board, withdraws it with a
// reason, and the board shows it as withdrawn without its text.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

async function date(form, testId, value) {
  const input = form.getByTestId(testId);
  await input.click();
  await input.fill(value);
  await input.press("Enter");
}

test("the committee drafts, publishes and withdraws a disclosure", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const admin = await apiLogin(server.baseUrl, "admin", server.adminPassword);
  const magada = (await (await admin(`/villages?q=${encodeURIComponent("马格达村")}`)).json()).items[0].id;
  await withPage(t, browser, { viewport: { width: 360, height: 740 } }, async (page) => {
    await login(page, server.baseUrl, "committee_magada", server.demoPassword, { path: "/disclosures" });
    await page.goto(`${server.baseUrl}/disclosures`);
    await page.getByTestId("disclosure-list").waitFor();
    await page.getByTestId("disclosure-new").click();
    const form = page.getByTestId("disclosure-form");
    await form.waitFor();
    await form.getByTestId("field-title").fill("浏览器测试季度公开");
    await form.getByTestId("field-body").fill("本季度公开事项：冬季取暖物资发放。");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `form is ${width}px wide`);
    await checkA11y(page, "disclosure form");
    // Enter in a date field submits the form (antd): the first is refused (the other day is
    // missing), the second saves.
    await date(form, "field-period_from", "2020-01-01");
    await date(form, "field-period_to", "2020-03-31");
    // The second Enter saves and the page moves to the list; only when it did not (a browser
    // where Enter in a date field does not submit) is the save button pressed. Deciding by the
    // URL at once raced the save: on a loaded machine the button was pressed again while the
    // first save was on its way, and the draft was saved twice.
    const saved = await page.waitForURL(/\/disclosures$/, { timeout: 20_000 }).then(() => true, () => false);
    if (!saved) {
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/disclosures$/);
    }
    const card = page.getByTestId("disclosure-card").filter({ hasText: "浏览器测试季度公开" });
    await card.getByText("草稿").waitFor();
    assert.equal(await card.count(), 1, "saved once");
    await card.getByTestId("disclosure-publish").click();
    await card.getByText("已公开").waitFor();
    await checkA11y(page, "disclosure list");
    const board = async () => (await (await fetch(`${server.baseUrl}/api/v1/public/villages/${magada}/disclosures?limit=100`)).json()).items;
    const published = (await board()).find((d) => d.title === "浏览器测试季度公开");
    assert.equal(published?.status, "published");
    assert.equal(published?.body, "本季度公开事项：冬季取暖物资发放。");
    await card.getByTestId("disclosure-withdraw").click();
    await page.getByTestId("withdraw-reason").fill("内容有误");
    await page.locator(".ant-modal-footer .ant-btn-dangerous").click();
    await card.getByText("撤回原因：内容有误").waitFor();
    const withdrawn = (await board()).find((d) => d.title === "浏览器测试季度公开");
    assert.equal(withdrawn?.status, "withdrawn");
    assert.equal(withdrawn?.body, null);
  });
});
