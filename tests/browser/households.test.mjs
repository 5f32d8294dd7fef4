// Households (农牧户) in the browser: a team member on a phone finds a household by its Chinese and
// by its Tibetan name, changes its category and sees the history, fills this year's checklist and
// gets the ID-number refusal in Chinese; an admin sees no phone; the village committee sees its
// households without pairings or assistance.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
/** Today in Beijing (the server's and the SPA's day). */
const TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const THIS_YEAR = Number(TODAY.slice(0, 4));

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Waits until every card of the list (at least one) names `text` (the previous page's cards stay while the next loads). */
async function onlyCardsWith(page, text, selector = '[data-testid="household-link"]') {
  await page.waitForFunction(
    ([sel, want]) => {
      const cards = [...document.querySelectorAll(sel)];
      return cards.length > 0 && cards.every((c) => (c.textContent ?? "").includes(want));
    },
    [selector, text],
  );
}

/** Picks an option of the antd Select with this test id. */
async function choose(page, scope, testId, option) {
  await scope.getByTestId(testId).click();
  await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: option }).first().click();
}

/** A household of the team's village with a Tibetan name and a phone, through the API. */
async function householdWithPhone(server, user = "team_magada") {
  const call = await apiLogin(server.baseUrl, user, server.demoPassword);
  const list = await (await call(`/households?limit=500`)).json();
  const household = list.items.find((h) => h.head_name_bo && h.phone && h.category === "lifted");
  assert.ok(household, "a lifted household with a phone and a Tibetan name");
  return { call, household };
}

test("households", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);

  await t.test("a team member finds a household by Chinese and Tibetan text, changes its category and fills the checklist at 360 px", async (t) => {
    const { call, household } = await householdWithPhone(server);
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("village-title").getByText("马格达村").waitFor();
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-households").click();
      const list = page.getByTestId("household-list");
      await list.getByTestId("household-card").first().waitFor();
      assert.ok((await overflow(page)) <= 1, "list fits 360 px");

      // By the Chinese name.
      const searchBox = page.getByTestId("household-search");
      await searchBox.fill(household.head_name);
      await searchBox.press("Enter");
      await page.waitForURL(/q=/);
      await onlyCardsWith(page, household.head_name);

      // By a part of the Tibetan name.
      const syllable = household.head_name_bo.split("་")[0];
      await searchBox.fill(syllable);
      await searchBox.press("Enter");
      await page.waitForURL((url) => url.searchParams.get("q") === syllable);
      await onlyCardsWith(page, syllable, '[data-testid="household-link"] [lang="bo"]');
      const card = list.getByTestId("household-card").filter({ hasText: household.head_name }).first();
      await checkA11y(page, "households list searched in Tibetan");
      await card.getByTestId("household-link").click();

      await page.waitForURL(new RegExp(`/households/${household.id}$`));
      const title = page.getByTestId("household-title");
      await title.getByText(household.head_name).waitFor();
      assert.equal(await title.locator('[lang="bo"]').textContent(), household.head_name_bo);
      await page.getByTestId("household-phone").getByText(household.phone).waitFor();
      await page.getByTestId("household-category").getByText("脱贫户").waitFor();
      assert.ok((await overflow(page)) <= 1, "household page fits 360 px");

      // Change the category: the monitoring type appears only for 监测户.
      const history = page.getByTestId("household-history");
      const before = await history.getByTestId("history-entry").count();
      await history.getByTestId("category-change").click();
      const form = page.getByTestId("category-form");
      assert.equal(await form.getByTestId("field-monitoring_type").count(), 0);
      await choose(page, form, "field-category", "监测户");
      await form.getByTestId("field-monitoring_type").waitFor();
      // Without a monitoring type the form refuses before sending.
      await form.getByTestId("form-save").click();
      await form.getByText("必填").first().waitFor();
      await choose(page, form, "field-monitoring_type", "突发严重困难户");
      await form.getByTestId("field-note").fill("主要劳动力因病住院");
      await checkA11y(page, "category change form");
      await form.getByTestId("form-save").click();
      await form.waitFor({ state: "detached" });
      await history.getByTestId("history-entry").nth(before).waitFor();
      const newest = history.getByTestId("history-entry").first();
      await newest.getByText("突发严重困难户").waitFor();
      await newest.getByText("当前").waitFor();
      await newest.getByText("主要劳动力因病住院").waitFor();
      await page.getByTestId("household-category").getByText("监测户 · 突发严重困难户").waitFor();

      // This year's checklist (the demo may have one already: then it is replaced with its If-Match):
      // five met, medical not met with a note.
      const check = page.getByTestId("household-check");
      await check.getByTestId("check-edit").click();
      const checkForm = page.getByTestId("check-form");
      for (const item of ["food", "clothing", "education", "housing", "water"]) {
        await checkForm.getByTestId(`check-${item}`).getByText("达标", { exact: true }).click();
      }
      await checkForm.getByTestId("check-medical").getByText("未达标", { exact: true }).click();
      await checkForm.getByTestId("check-medical-note").fill("慢性病签约服务未落实");
      await checkA11y(page, "checklist form");
      await checkForm.getByTestId("form-save").click();
      await checkForm.waitFor({ state: "detached" });
      await check.getByText("1 项未达标").waitFor();
      await check.getByTestId("check-item-medical").getByText("慢性病签约服务未落实").waitFor();
      assert.ok((await overflow(page)) <= 1, "household page fits 360 px after the changes");
    });

    const categories = await (await call(`/households/${household.id}/categories`)).json();
    const last = categories.items.at(-1);
    assert.equal(last.category, "monitored");
    assert.equal(last.monitoring_type, "sudden_hardship");
    assert.equal(last.since, TODAY);
    const checks = await (await call(`/households/${household.id}/checks`)).json();
    const mine = checks.items.filter((c) => c.year === THIS_YEAR);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].unmet, 1);
    assert.equal(mine[0].medical.met, false);
    assert.equal(mine[0].medical.note, "慢性病签约服务未落实");
  });

  await t.test("a team member creates a household; an ID number is refused in Chinese", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      const section = page.getByTestId("village-households");
      await section.getByTestId("village-household-new").click();
      const form = page.getByTestId("household-form");
      await page.getByTestId("household-village").getByText("马格达村").waitFor();
      await form.getByTestId("field-head_name").fill("次仁卓玛");
      await form.getByTestId("field-head_name_bo").fill("ཚེ་རིང་སྒྲོལ་མ།");
      await form.getByTestId("field-members").fill("5");
      await form.getByTestId("field-phone").fill("13908001234");
      await choose(page, form, "field-category", "建档立卡贫困户");
      await choose(page, form, "field-causes", "因病");
      await page.keyboard.press("Escape");
      await form.getByTestId("field-notes").fill("身份证 540102198001011234");
      await form.getByTestId("form-save").click();
      await form.getByText("不能包含身份证号（系统不保存身份证号）").waitFor();
      await checkA11y(page, "household form with the ID-number refusal");
      assert.ok((await overflow(page)) <= 1, "form fits 360 px");
      await form.getByTestId("field-notes").fill("2016年识别为贫困户");
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/households\/\d+$/);
      await page.getByTestId("household-title").getByText("次仁卓玛").waitFor();
      await page.getByTestId("household-category").getByText("建档立卡贫困户").waitFor();
      await page.getByTestId("household-causes").getByText("因病").waitFor();
    });
    const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
    const found = await (await call(`/households?q=${encodeURIComponent("次仁卓玛")}&limit=500`)).json();
    const created = found.items.filter((h) => h.phone === "13908001234");
    assert.equal(created.length, 1);
    assert.equal(created[0].head_name_bo, "ཚེ་རིང་སྒྲོལ་མ།");
    assert.deepEqual(created[0].causes, ["illness"]);
  });

  await t.test("an admin sees the household without phone or member names", async (t) => {
    const { household } = await householdWithPhone(server, "office_staff");
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword, { path: `/households/${household.id}` });
      await page.getByTestId("household-title").getByText(household.head_name).waitFor();
      await page.getByTestId("household-phone").getByText("不可见").waitFor();
      await page.getByTestId("household-member-names").getByText("不可见").waitFor();
      assert.equal(await page.getByText(household.phone).count(), 0);
      // Admins read: no write buttons.
      assert.equal(await page.getByTestId("household-edit").count(), 0);
      assert.equal(await page.getByTestId("category-change").count(), 0);
      assert.equal(await page.getByTestId("check-edit").count(), 0);
    });
  });

  await t.test("the village committee sees its village's households, without pairings or assistance", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "committee_xiadi", server.demoPassword);
      await page.getByTestId("village-households").getByTestId("village-households-link").click();
      const list = page.getByTestId("household-list");
      await list.getByTestId("household-card").first().waitFor();
      for (const text of await list.getByTestId("household-card").allTextContents()) assert.match(text, /下地村/);
      assert.equal(await page.getByTestId("household-new").count(), 0);
      await list.getByTestId("household-link").first().click();
      await page.getByTestId("household-history").getByTestId("history-entry").first().waitFor();
      await page.getByTestId("household-check").waitFor();
      assert.equal(await page.getByTestId("household-pairings").count(), 0);
      assert.equal(await page.getByTestId("household-assistance").count(), 0);
      assert.equal(await page.getByTestId("category-change").count(), 0);
      assert.ok((await overflow(page)) <= 1, "household page fits 360 px");
    });
  });
});
