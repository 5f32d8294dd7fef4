// 活动 in the browser, at 360 px: team_magada records a free clinic from the phone — the clinic's
// fields appear only for that kind (and a training's skill only for a training), the medicine's
// value is read in 元 exactly — and finds it in the list filtered by kind; links an activity to
// households of the village and a project. The department reads the 2019 summary (the 下地村
// clinic's 146 seen) as tables and a chart, at 360 px. axe on each page.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const OPEN_DROPDOWN = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)";

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function closed(page) {
  if (await page.locator(OPEN_DROPDOWN).count()) await page.keyboard.press("Escape");
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((e) => e.getBoundingClientRect().height === 0), OPEN_DROPDOWN);
}

async function choose(page, scope, testId, option) {
  const select = scope.getByTestId(testId);
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await page.locator(`${OPEN_DROPDOWN} .ant-select-item-option`, { hasText: option }).first().click();
    await closed(page);
    if ((await select.locator(".ant-select-selection-item", { hasText: option }).count()) > 0) return;
    if (attempt === 3) throw new Error(`${option} was not chosen in ${testId}`);
  }
}

test("activities", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);

  await t.test("a team member records a free clinic at 360 px; only the clinic's fields are asked", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-activities").click();
      await page.getByTestId("activity-list").waitFor();
      assert.ok((await overflow(page)) <= 1, "the list fits 360 px");
      await checkA11y(page, "activities at 360 px");

      await page.getByTestId("activity-new").click();
      const form = page.getByTestId("activity-form");
      await form.waitFor();
      // A training asks for its skill, nothing of a clinic.
      await choose(page, form, "field-kind", "技能培训");
      await form.getByTestId("field-skill").waitFor();
      assert.equal(await form.getByTestId("field-people_seen").count(), 0);
      // A clinic asks for the people seen and the partner, no skill.
      await choose(page, form, "field-kind", "义诊");
      await form.getByTestId("field-people_seen").waitFor();
      await form.getByTestId("field-partner_institution").waitFor();
      assert.equal(await form.getByTestId("field-skill").count(), 0);
      assert.equal(await form.getByTestId("field-destination").count(), 0);

      await form.getByTestId("field-title").fill("马格达村冬季义诊");
      await form.getByTestId("field-organiser").fill("驻村工作队");
      await form.getByTestId("field-people_seen").fill("58");
      await form.getByTestId("field-partner_institution").fill("南木林县人民医院");
      await form.getByTestId("field-participants").fill("6");
      await form.getByTestId("field-beneficiaries").fill("210");
      await form.getByTestId("field-value_fen").fill("3,456.7");
      assert.ok((await overflow(page)) <= 1, "the form fits 360 px");
      await checkA11y(page, "activity form at 360 px");
      await form.getByTestId("form-save").click();

      await page.waitForURL(/\/activities$/);
      await choose(page, page, "activity-filter-kind", "义诊");
      await page.waitForURL(/kind=free_clinic/);
      const card = page.getByTestId("activity-card").filter({ hasText: "马格达村冬季义诊" });
      await card.getByText("价值 3,456.70 元").waitFor();
      await card.getByText("看诊 58 人").waitFor();
      await card.getByText("南木林县人民医院").waitFor();
      assert.ok((await overflow(page)) <= 1, "the list fits 360 px");
      await page.locator(".ant-message-notice").last().waitFor({ state: "detached", timeout: 10_000 }).catch(() => undefined);
    });
    const found = (await (await call(`/activities?kind=free_clinic&q=${encodeURIComponent("马格达村冬季义诊")}`)).json()).items;
    assert.equal(found.length, 1, "recorded once");
    const [a] = found;
    assert.equal(a.value_fen, 345_670);
    assert.equal(a.people_seen, 58);
    assert.equal(a.partner_institution, "南木林县人民医院");
    assert.equal(a.skill ?? null, null);
    assert.equal(a.participants, 6);
    assert.equal(a.beneficiaries, 210);
  });

  await t.test("an activity's links: households of the village who benefited and a project", async (t) => {
    const villageId = (await (await call("/activities?limit=1")).json()).items[0].village_id;
    const households = (await (await call(`/households?village_id=${villageId}&limit=2&sort=name`)).json()).items;
    const [project] = (await (await call(`/projects?village_id=${villageId}&limit=1&sort=title`)).json()).items;
    assert.equal(households.length, 2);
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: "/activities/new" });
      const form = page.getByTestId("activity-form");
      await form.waitFor();
      await choose(page, form, "field-kind", "慰问");
      await form.getByTestId("field-title").fill("春节入户慰问困难群众");
      await form.getByTestId("field-organiser").fill("驻村工作队");
      for (const h of households) {
        const select = form.getByTestId("field-household_ids");
        await select.click();
        await page.locator(`${OPEN_DROPDOWN} .ant-select-item-option`, { hasText: h.head_name }).first().click();
        await closed(page);
        await select.locator(".ant-select-selection-item", { hasText: h.head_name }).waitFor();
      }
      await choose(page, form, "field-project_id", project.title);
      assert.ok((await overflow(page)) <= 1, "the form fits 360 px");
      await checkA11y(page, "activity form with links at 360 px");
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/activities$/);
    });
    const [saved] = (await (await call(`/activities?q=${encodeURIComponent("春节入户慰问困难群众")}`)).json()).items;
    assert.deepEqual([...saved.household_ids].sort((a, b) => a - b), households.map((h) => h.id).sort((a, b) => a - b));
    assert.equal(saved.project_id, project.id);
    // The edit form shows them again, by name.
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: `/activities/${saved.id}/edit` });
      const form = page.getByTestId("activity-form");
      for (const h of households) await form.getByTestId("field-household_ids").locator(".ant-select-selection-item", { hasText: h.head_name }).waitFor();
      await form.getByTestId("field-project_id").locator(".ant-select-selection-item", { hasText: project.title }).waitFor();
    });
  });

  await t.test("the department's 2019 summary: tables and a chart, at 360 px", async (t) => {
    const dept = await apiLogin(server.baseUrl, "office_staff", server.demoPassword);
    const { figures } = await (await dept("/activities/summary?year=2019")).json();
    assert.ok(figures.clinics.seen >= 146, "the 下地村 clinic is in 2019");
    const xiadi = (await (await dept(`/villages?q=${encodeURIComponent("下地村")}&limit=1`)).json()).items[0];
    const village = (await (await dept(`/activities/summary?year=2019&village_id=${xiadi.id}`)).json()).figures;
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-activities").click();
      await page.getByTestId("activity-summary-link").click();
      await page.getByTestId("summary-year").waitFor();
      await choose(page, page, "summary-year", "2019 年");
      await page.waitForURL(/year=2019/);
      const byKind = page.getByTestId("summary-by-kind");
      await page.getByTestId("summary-total-count").getByText(String(figures.total.count), { exact: true }).waitFor();
      const clinicRow = byKind.locator("tr", { hasText: "义诊" });
      await clinicRow.getByText(String(figures.by_kind.free_clinic.count), { exact: true }).first().waitFor();
      await page.getByTestId("activity-chart").locator("canvas").waitFor();
      assert.equal(await page.getByTestId("activity-chart").getAttribute("role"), "img");
      const skills = page.getByTestId("summary-skills");
      for (const skill of Object.keys(figures.trainings_by_skill)) await skills.getByText(skill, { exact: true }).waitFor();
      assert.ok((await overflow(page)) <= 1, "the summary fits 360 px");
      await checkA11y(page, "activities summary at 360 px");

      await choose(page, page, "summary-village", "下地村");
      await page.waitForURL(/village=/);
      const clinics = page.getByTestId("summary-clinics");
      await clinics.getByText("146", { exact: true }).waitFor();
      const medicine = (village.clinics.medicine_fen / 100).toLocaleString("en", { minimumFractionDigits: 2 });
      await clinics.getByText(medicine, { exact: true }).waitFor();
      await clinics.getByText(village.clinics.beneficiaries.toLocaleString("en"), { exact: true }).waitFor();
      assert.ok((await overflow(page)) <= 1, "the summary fits 360 px");
    });
  });
});
