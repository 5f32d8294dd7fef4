// Village surveys (村情调研) in the browser: a team member adds this year's survey on a phone, the
// department compares the years (chart + table), a reader gets no write buttons, and a save made
// offline waits in 待同步 and is sent once when the link returns.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const THIS_YEAR = new Date().getFullYear();

async function fillSurvey(form, { year, poor = "0", perCapita = "18500.35" }) {
  if (year !== undefined) await form.getByTestId("field-year").fill(String(year));
  await form.getByTestId("field-population").fill("1200");
  await form.getByTestId("field-households").fill("250");
  await form.getByTestId("field-poor_households").fill(poor);
  await form.getByTestId("field-marginal_households").fill("7");
  await form.getByTestId("field-pasture_mu").fill("38000.5");
  await form.getByTestId("field-cultivated_mu").fill("1000");
  await form.getByTestId("field-livestock-yaks").fill("3100");
  await form.getByTestId("field-livestock-sheep").fill("6200");
  await form.getByTestId("field-per_capita_income_fen").fill(perCapita);
  await form.getByTestId("field-collective_income_fen").fill("520000");
  await form.getByTestId("field-main_industries").fill("牦牛养殖、人工种草");
}

/** Client-side navigation without reloading the app (the outbox runner keeps running). */
async function go(page, path) {
  await page.evaluate((p) => {
    window.history.pushState({}, "", p);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

async function surveysOf(server, user, villageName) {
  const call = await apiLogin(server.baseUrl, user, server.demoPassword);
  const villages = await (await call(`/villages?limit=500`)).json();
  const village = villages.items.find((v) => v.name === villageName);
  const list = await (await call(`/surveys?village_id=${village.id}&limit=500`)).json();
  return { village, surveys: list.items };
}

test("village surveys", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);

  await t.test("a team member adds this year's survey at 360 px and sees it listed", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("home-village").first().click();
      await page.getByTestId("village-title").getByText("马格达村").waitFor();
      const section = page.getByTestId("village-surveys");
      await section.getByTestId("survey-table").getByText("2025", { exact: true }).waitFor();
      assert.equal(await section.getByTestId("survey-table").getByText(String(THIS_YEAR), { exact: true }).count(), 0);
      await section.getByTestId("survey-new").click();

      const form = page.getByTestId("survey-form");
      await form.waitFor();
      // The year not yet recorded is suggested.
      assert.equal(await form.getByTestId("field-year").inputValue(), String(THIS_YEAR));
      assert.ok((await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)) <= 1, "form fits 360 px");

      // Client-side: 亩 with two decimals and 元 with three are refused before sending.
      await fillSurvey(form, { perCapita: "18500.355" });
      await form.getByTestId("field-pasture_mu").fill("38000.55");
      await form.getByTestId("form-save").click();
      await form.getByText("须为亩数，最多一位小数，例如 12500.5").waitFor();
      await form.getByText("须为金额（元），最多两位小数，不超过 100 亿元").waitFor();

      // Server-side: more poor households than households comes back by code, in Chinese, beside the field.
      await fillSurvey(form, { poor: "300" });
      await form.getByTestId("form-save").click();
      await form.getByText("不能多于全村户数").first().waitFor();
      await checkA11y(page, "survey form with errors");

      await form.getByTestId("field-poor_households").fill("0");
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/villages\/\d+#surveys$/);
      await section.getByTestId("survey-table").getByText(String(THIS_YEAR), { exact: true }).waitFor();
      // Money shown in 元 with two decimals, grouped.
      await section.getByTestId("survey-table").getByText("18,500.35").waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `village page is ${overflow}px wider than the screen`);
    });
    // Sent as integer fen, areas as exact decimal strings.
    const { surveys } = await surveysOf(server, "team_magada", "马格达村");
    const added = surveys.filter((s) => s.year === THIS_YEAR);
    assert.equal(added.length, 1);
    assert.equal(added[0].per_capita_income_fen, 1_850_035);
    assert.equal(added[0].collective_income_fen, 52_000_000);
    assert.equal(added[0].pasture_mu, "38000.5");
    assert.equal(added[0].livestock.yaks, 3100);
  });

  await t.test("the department compares the years: chart and a table of every year", async (t) => {
    const call = await apiLogin(server.baseUrl, "office_staff", server.demoPassword);
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword, { path: "/villages" });
      await page.getByTestId("village-table").getByText("马格达村").click();
      await page.getByTestId("village-title").getByText("马格达村").waitFor();
      // The department corrects surveys: the write buttons are there, and an edit saves.
      await page.getByTestId("survey-new").waitFor();
      await page.getByTestId("survey-edit-2025").click();
      const form = page.getByTestId("survey-form");
      await page.getByTestId("survey-subject").getByText("马格达村 · 2025").waitFor();
      const income = form.getByTestId("field-per_capita_income_fen");
      assert.match(await income.inputValue(), /^\d+\.\d{2}$/);
      await income.fill("21000.01");
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/villages\/\d+#surveys$/);
      await page.getByTestId("survey-table").getByText("21,000.01").waitFor();
      await page.getByTestId("survey-compare").click();
      await page.waitForURL(/\/villages\/(\d+)\/surveys\/compare$/);
      const villageId = Number(/\/villages\/(\d+)\//.exec(page.url())[1]);
      const expected = await (await call(`/villages/${villageId}/surveys/compare`)).json();
      assert.ok(expected.years.length >= 10, `${expected.years.length} years`);

      const table = page.getByTestId("compare-table");
      await table.locator("tbody tr.ant-table-row").first().waitFor();
      assert.equal(await table.locator("tbody tr.ant-table-row").count(), expected.years.length);
      for (const year of expected.years) await table.getByText(String(year), { exact: true }).waitFor();
      // Incomes in 元 with two decimals from the integer fen.
      const last = expected.years.length - 1;
      const yuan = (fen) => `${Math.floor(fen / 100).toLocaleString("zh-CN")}.${String(fen % 100).padStart(2, "0")}`;
      await table.getByText(yuan(expected.per_capita_income_fen[last]), { exact: true }).first().waitFor();
      await table.getByText(yuan(expected.collective_income_fen[last]), { exact: true }).first().waitFor();

      // The chart is drawn (a canvas) and labelled; switching the figures redraws it.
      const chart = page.getByTestId("survey-chart");
      await chart.locator("canvas").waitFor();
      assert.match((await chart.getAttribute("aria-label")) ?? "", /人口与户数/);
      await page.getByTestId("compare-group").getByText("收入").click();
      await page.waitForURL(/g=income/);
      await page.locator('[data-testid="survey-chart"][aria-label*="收入"]').waitFor();
      await page.getByTestId("chart-legend").getByText("村集体经济收入（元）").waitFor();
      await chart.locator("canvas").waitFor();

      // A narrower span of years.
      await page.getByTestId("compare-from").click();
      await page.locator(".ant-select-item-option", { hasText: "2020" }).click();
      await page.waitForURL(/from=2020/);
      await table.getByText("2019", { exact: true }).waitFor({ state: "detached" });
      await table.getByText("2020", { exact: true }).waitFor();
    });
    const { surveys } = await surveysOf(server, "office_staff", "马格达村");
    const corrected = surveys.find((s) => s.year === 2025);
    assert.equal(corrected.per_capita_income_fen, 2_100_001);
    assert.equal(corrected.version, 2);
  });

  await t.test("the village committee reads the surveys without write buttons", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "committee_xiadi", server.demoPassword);
      await page.getByTestId("home-village").first().click();
      const section = page.getByTestId("village-surveys");
      await section.getByTestId("survey-table").getByText("2025", { exact: true }).waitFor();
      assert.equal(await page.getByTestId("survey-new").count(), 0);
      assert.equal(await page.locator('[data-testid^="survey-edit-"]').count(), 0);
      // Every figure of a year is in its expanded row.
      await section.locator(".ant-table-row-expand-icon").first().click();
      await page.getByTestId("survey-figures-2025").getByText("牦牛").waitFor();
      await section.getByTestId("survey-compare").click();
      await page.getByTestId("compare-table").locator("tbody tr.ant-table-row").first().waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `comparison is ${overflow}px wider than the screen`);
    });
  });

  await t.test("a survey saved offline waits in 待同步 and is sent once when back online", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await page.addInitScript(() => localStorage.setItem("zhucun.outbox.retry_ms", "200"));
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      // The 待同步 page's chunk is fetched once while online (a first visit has no service-worker
      // precache yet; that case is chunks.test.mjs's).
      await go(page, "/outbox");
      await page.getByTestId("outbox-empty").waitFor();
      await go(page, "/");
      await page.getByTestId("home-village").first().click();
      const section = page.getByTestId("village-surveys");
      await section.getByTestId("survey-new").click();
      const form = page.getByTestId("survey-form");
      await form.waitFor();

      const cdp = await page.context().newCDPSession(page);
      const setOffline = (offline) =>
        cdp.send("Network.emulateNetworkConditions", { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await setOffline(true);
      await page.getByTestId("offline-banner").waitFor();
      await fillSurvey(form, { year: 2014, perCapita: "4.35" });
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/outbox$/);
      const item = page.getByTestId("outbox-item");
      await item.getByTestId("outbox-state").getByText("等待发送").waitFor();
      await checkA11y(page, "outbox with a queued survey");

      await setOffline(false);
      await page.getByTestId("outbox-empty").waitFor({ timeout: 60_000 });
    });
    const { surveys } = await surveysOf(server, "team_magada", "马格达村");
    const sent = surveys.filter((s) => s.year === 2014);
    assert.equal(sent.length, 1, "created exactly once");
    assert.equal(sent[0].per_capita_income_fen, 435);
  });
});
