// A decision's steps on a phone (360 px): the village committee opens a matter at step 2, types
// the party members' meeting numbers and sees the vote check change as it types (one short of ⅔:
// fails; exactly ⅔ with one more than half in favour: passes), records step 3, and the page shows
// it passed with step 4 next. The team sees the steps but no form. The disclosure calendar shows
// 琼果村's overdue items for 2019.
import assert from "node:assert/strict";
import { test } from "node:test";
import { checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

test("the committee records the party members' review with the vote check", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  await withPage(t, browser, { viewport: { width: 360, height: 740 } }, async (page) => {
    await login(page, server.baseUrl, "committee_magada", server.demoPassword, { path: "/decisions" });
    await page.goto(`${server.baseUrl}/decisions`);
    const card = page.getByTestId("decision-card").filter({ hasText: "通村道路养护分工" });
    await card.getByTestId("decision-link").click();
    const form = page.getByTestId("step-form");
    await form.getByText("记录第 3 步：党员大会审议").waitFor();
    await form.getByTestId("step-entitled").fill("30");
    await form.getByTestId("step-present").fill("19");
    await form.getByTestId("step-in_favour").fill("19");
    await page.getByTestId("vote-check").getByText("表决不通过").waitFor();
    await page.getByTestId("vote-check").getByText("需至少 20 人").waitFor();
    await form.getByTestId("step-present").fill("20");
    await form.getByTestId("step-in_favour").fill("10");
    await page.getByTestId("vote-check").getByText("表决不通过").waitFor(); // a tie
    await form.getByTestId("step-in_favour").fill("11");
    await page.getByTestId("vote-check").getByText("按这些人数，表决通过").waitFor();
    await form.getByTestId("step-notes").fill("党员大会审议通过");
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width}px wide`);
    await checkA11y(page, "decision step form");
    await form.getByTestId("step-submit").click();
    await page.getByTestId("step-3").getByText("表决通过").waitFor();
    await page.getByTestId("step-form").getByText("记录第 4 步：村民（代表）会议决议").waitFor();
  });
  await withPage(t, browser, { viewport: { width: 360, height: 740 } }, async (page) => {
    await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: "/decisions" });
    await page.goto(`${server.baseUrl}/decisions`);
    await page.getByTestId("decision-card").filter({ hasText: "通村道路养护分工" }).getByTestId("decision-link").click();
    await page.getByText("各步骤由村委会记录").waitFor();
    assert.equal(await page.getByTestId("step-form").count(), 0);
    // The team helps: it puts a matter on record through the form.
    await page.goto(`${server.baseUrl}/decisions`);
    await page.getByTestId("decision-new").click();
    const form = page.getByTestId("decision-form");
    await form.getByTestId("field-title").fill("浏览器测试事项");
    await form.getByTestId("field-description").fill("村口修建垃圾收集点");
    await form.getByTestId("field-estimated_amount_fen").fill("12,345.6");
    await checkA11y(page, "decision form");
    await form.getByTestId("form-save").click();
    await page.waitForURL(/\/decisions\/\d+$/);
    await page.getByText("浏览器测试事项").first().waitFor();
    await page.getByText("12345.60 元").waitFor();
    await page.getByTestId("decision-steps").waitFor();
  });
  await withPage(t, browser, { viewport: { width: 360, height: 740 } }, async (page) => {
    await login(page, server.baseUrl, "office_staff", server.demoPassword, { path: "/disclosures/calendar" });
    await page.goto(`${server.baseUrl}/disclosures/calendar`);
    await page.getByTestId("calendar-year").click();
    await page.getByTitle("2019").click();
    await page.getByTestId("calendar-village").click();
    await page.keyboard.type("琼果");
    await page.keyboard.press("Enter");
    await page.getByTestId("calendar-overdue").first().waitFor();
    assert.ok((await page.getByTestId("calendar-overdue").count()) >= 2);
    await checkA11y(page, "disclosure calendar");
  });
});
