// 驻村项目 in the browser: the board (one stage at a time on a 360 px phone, columns on a desktop,
// filters in the URL), the team leader moving a proposed project to 成熟 with a comment (the timeline
// shows it; a return without a reason is refused before sending; someone else's change in between
// is a 412 that reloads; offline the moves are off), the form (budget in 元 → fen exactly, the
// Chinese refusal of an edit past 申报), and the village committee reading without moving.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
const THIS_YEAR = Number(
  new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric" }).format(new Date()),
);

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

const OPEN_DROPDOWN = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)";

async function closed(page) {
  if (await page.locator(OPEN_DROPDOWN).count()) await page.keyboard.press("Escape");
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((e) => e.getBoundingClientRect().height === 0), OPEN_DROPDOWN);
}

/** Picks an option of the antd Select with this test id (retried if the click met the dropdown still sliding in). */
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

/** Waits until every card (at least one) of `scope` names `text`. */
async function onlyCardsWith(page, selector, text) {
  await page.waitForFunction(
    ([sel, want]) => {
      const cards = [...document.querySelectorAll(sel)];
      return cards.length > 0 && cards.every((c) => (c.textContent ?? "").includes(want));
    },
    [selector, text],
  );
}

async function projectByTitle(call, title) {
  const list = await (await call(`/projects?limit=500&q=${encodeURIComponent(title)}`)).json();
  const project = list.items.find((p) => p.title === title);
  assert.ok(project, `demo project ${title}`);
  return project;
}

test("projects", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);

  await t.test("the board at 360 px: one stage at a time, chosen in the stage filter", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("home-village").first().click();
      const section = page.getByTestId("village-projects");
      await section.getByTestId("village-project").first().waitFor();
      await section.getByText("马格达村人工种草基地").waitFor();
      await section.getByTestId("village-projects-link").click();
      await page.waitForURL(/\/projects\?village=\d+/);
      const filter = page.getByTestId("project-stage-filter");
      await filter.waitFor();
      assert.ok((await overflow(page)) <= 1, "board fits 360 px");
      // No desktop columns on a phone.
      assert.equal(await page.getByTestId("project-board").count(), 0);

      await choose(page, page, "project-stage-filter", "成熟");
      await page.waitForURL(/stage=mature/);
      await page.locator('[data-testid="project-stage-list"][data-stage="mature"]').waitFor();
      await onlyCardsWith(page, '[data-testid="project-card"]', "马格达村");
      await page.getByTestId("project-card").filter({ hasText: "马格达村人工种草基地" }).waitFor();

      await choose(page, page, "project-stage-filter", "协调");
      await page.waitForURL(/stage=coordinating/);
      const card = page.getByTestId("project-card").filter({ hasText: "马格达村双语幼儿园改造" });
      await card.waitFor();
      await card.getByText("400,000.00 元").waitFor();
      await card.getByText("教育").waitFor();
      assert.equal(await page.getByTestId("project-card").filter({ hasText: "人工种草基地" }).count(), 0);
      assert.ok((await overflow(page)) <= 1, "board fits 360 px");
      await checkA11y(page, "project board at 360 px");
      // The stage survives a reload (it is in the URL).
      await page.reload();
      await page.getByTestId("project-card").filter({ hasText: "马格达村双语幼儿园改造" }).waitFor();
    });
  });

  await t.test("the board on a desktop: a column per stage, filters in the URL", async (t) => {
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      await page.getByTestId("nav-projects").click();
      const board = page.getByTestId("project-board");
      await board.waitFor();
      assert.equal(await board.locator("section").count(), 8);
      await page.getByTestId("project-column-accepted").getByText("亚卡亚村养殖专业合作社养殖项目").waitFor();
      await page.getByTestId("project-column-implementing").getByText("亚卡亚村卫生室设备更新").waitFor();
      await checkA11y(page, "project board on a desktop");

      const search = page.getByTestId("project-search");
      await search.fill("水井");
      await search.press("Enter");
      await page.waitForURL(/q=/);
      await onlyCardsWith(page, '[data-testid="project-card"]', "水井");
      await page.getByTestId("project-column-accepted").getByText("下地村水井、机井建设维修").waitFor();

      await search.fill("");
      await search.press("Enter");
      await choose(page, page, "project-filter-year", `${THIS_YEAR} 年`);
      await page.waitForURL(new RegExp(`year=${THIS_YEAR}`));
      await choose(page, page, "project-filter-category", "产业发展");
      await page.waitForURL(/category=industry/);
      await onlyCardsWith(page, '[data-testid="project-card"]', String(THIS_YEAR));
      await onlyCardsWith(page, '[data-testid="project-card"]', "产业发展");
      await page.getByTestId("project-column-mature").getByText("马格达村人工种草基地").waitFor();
      assert.equal(await page.getByText("亚卡亚村灌溉防渗水工程项目").count(), 0, "2019 is filtered out");
    });
  });

  await t.test("the team leader moves a proposed project to 成熟; the timeline shows it", async (t) => {
    const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
    const project = await projectByTitle(call, "马格达村饮水管网延伸工程");
    assert.equal(project.stage, "proposed");
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: "/projects?stage=proposed" });
      await page.getByTestId("project-card").filter({ hasText: project.title }).getByTestId("project-link").click();
      await page.waitForURL(new RegExp(`/projects/${project.id}$`));
      await page.getByTestId("project-title").getByText(project.title).waitFor();
      await page.getByTestId("project-budget").getByText("180,000.00 元").waitFor();
      await page.getByTestId("project-iati").getByText("筹备（代码 1）").waitFor();
      const moves = page.getByTestId("project-moves");
      // From 提出 the leader may move forward or cancel; there is nothing to return to.
      await moves.getByTestId("move-mature").waitFor();
      await moves.getByTestId("move-cancelled").waitFor();
      assert.equal(await moves.locator("[data-testid^='move-'][data-kind]").count(), 2);
      assert.equal(await page.getByTestId("timeline-event").count(), 0);
      assert.ok((await overflow(page)) <= 1, "project page fits 360 px");
      await checkA11y(page, "project page at 360 px");

      await moves.getByTestId("move-comment").fill("可行性研究已完成");
      await moves.getByTestId("move-mature").click();
      await page.getByTestId("project-stage").getByText("成熟").waitFor();
      const newest = page.getByTestId("timeline-event").first();
      await newest.getByText("可行性研究已完成").waitFor();
      await newest.getByText("team_magada").waitFor();
      assert.equal(await newest.getAttribute("data-to"), "mature");
      assert.equal(await moves.getByTestId("move-comment").inputValue(), "");

      // At 成熟 the leader may return it (with a reason), declare it or cancel it.
      await moves.getByTestId("move-proposed").waitFor();
      await moves.getByTestId("move-declared").waitFor();
      await moves.getByTestId("move-proposed").click();
      await moves.getByText("退回须填写原因").waitFor();

      // Someone else changes the project meanwhile: the move meets a 412, the page reloads.
      const res = await call(`/projects/${project.id}`, {
        method: "PATCH",
        headers: { "If-Match": "*" },
        body: JSON.stringify({ measures: "分两期施工" }),
      });
      assert.equal(res.status, 200);
      await moves.getByTestId("move-comment").fill("已完成可研，申报财政资金");
      await moves.getByTestId("move-declared").click();
      await moves.getByTestId("move-error").getByText("该项目刚被他人修改，已重新加载最新数据，请确认后再操作。").waitFor();
      await page.getByTestId("project-facts").getByText("分两期施工").waitFor();
      await page.getByTestId("project-stage").getByText("成熟").waitFor();

      // Offline: the moves are off and say why (they are not queued). The reload above fetches the
      // moves again: wait for them, so going offline does not cut that fetch short.
      await moves.getByTestId("move-declared").waitFor();
      await page.context().setOffline(true);
      await moves.getByTestId("moves-offline").waitFor();
      assert.equal(await moves.getByTestId("move-declared").isDisabled(), true);
      await page.context().setOffline(false);
      await moves.getByTestId("moves-offline").waitFor({ state: "detached" });

      await moves.getByTestId("move-declared").click();
      await page.getByTestId("project-stage").getByText("申报").waitFor();
      await page.getByTestId("timeline-event").first().getByText("已完成可研，申报财政资金").waitFor();
      // From 申报 on the department moves it: nothing left for the team.
      await moves.getByTestId("moves-none").waitFor();
      assert.equal(await page.getByTestId("timeline-event").count(), 2);
      await page.locator(".ant-message-notice").last().waitFor({ state: "detached", timeout: 10_000 }).catch(() => undefined);
    });
    const events = await (await call(`/projects/${project.id}/events`)).json();
    assert.deepEqual(
      events.items.map((e) => [e.from, e.to, e.comment]),
      [
        ["proposed", "mature", "可行性研究已完成"],
        ["mature", "declared", "已完成可研，申报财政资金"],
      ],
    );
  });

  await t.test("a team member proposes a project from the village page; the budget is read in 元 exactly", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("home-village").first().click();
      await page.getByTestId("village-projects").getByTestId("village-project-new").click();
      const form = page.getByTestId("project-form");
      await page.getByTestId("project-form-village").getByText("马格达村").waitFor();
      assert.equal(await form.getByTestId("field-year").inputValue(), String(THIS_YEAR));
      await form.getByTestId("field-title").fill("马格达村光伏路灯");
      await choose(page, form, "field-category", "基础设施");
      await form.getByTestId("field-budget_fen").fill("1.005");
      await form.getByTestId("form-save").click();
      await form.getByText("须为金额（元），最多两位小数，不超过 100 亿元").waitFor();
      await form.getByTestId("field-budget_fen").fill("１２,３４５.６");
      await form.getByTestId("field-households").fill("35");
      await form.getByTestId("field-people").fill("160");
      await form.getByTestId("field-description").fill("主干道安装太阳能路灯二十盏");
      assert.ok((await overflow(page)) <= 1, "form fits 360 px");
      await checkA11y(page, "project form at 360 px");
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/projects\/\d+$/);
      await page.getByTestId("project-title").getByText("马格达村光伏路灯").waitFor();
      await page.getByTestId("project-budget").getByText("12,345.60 元").waitFor();
      await page.getByTestId("project-beneficiaries").getByText("35 户，160 人").waitFor();
      await page.getByTestId("project-stage").getByText("提出").waitFor();
      await page.getByTestId("timeline-created").waitFor();
      await page.getByTestId("project-edit").waitFor();
    });
    const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
    const created = await projectByTitle(call, "马格达村光伏路灯");
    assert.equal(created.budget_fen, 1_234_560);
    assert.equal(created.category, "infrastructure");
    assert.deepEqual(created.beneficiaries, { households: 35, people: 160 });
  });

  await t.test("past 申报 the team may not edit: no edit button, and the server's refusal in Chinese", async (t) => {
    const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
    const project = await projectByTitle(call, "马格达村双语幼儿园改造");
    assert.equal(project.stage, "coordinating");
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: `/projects/${project.id}` });
      await page.getByTestId("project-title").getByText(project.title).waitFor();
      await page.getByTestId("project-moves").getByTestId("moves-none").waitFor();
      assert.equal(await page.getByTestId("project-edit").count(), 0);
      await page.goto(`${server.baseUrl}/projects/${project.id}/edit`);
      const form = page.getByTestId("project-form");
      await form.getByTestId("field-problems").fill("施工队进场推迟");
      await form.getByTestId("form-save").click();
      await form.getByTestId("form-error").getByText("项目已过申报阶段，只有厅机关可以修改").waitFor();
    });
  });

  await t.test("the village committee reads its projects and moves none", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "committee_yakaya", server.demoPassword);
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-projects").click();
      await page.getByTestId("project-stage-filter").waitFor();
      assert.equal(await page.getByTestId("project-new").count(), 0);
      await choose(page, page, "project-stage-filter", "实施");
      const card = page.getByTestId("project-card").filter({ hasText: "亚卡亚村卫生室设备更新" });
      await card.getByTestId("project-link").click();
      await page.getByTestId("project-title").getByText("亚卡亚村卫生室设备更新").waitFor();
      await page.getByTestId("project-moves").getByTestId("moves-none").waitFor();
      assert.equal(await page.getByTestId("project-edit").count(), 0);
      await page.getByTestId("timeline-event").first().waitFor();
      assert.ok((await overflow(page)) <= 1, "project page fits 360 px");
    });
  });
});
