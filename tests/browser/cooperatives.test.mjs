// 合作社 in the browser, at 360 px: team_magada records a year's accounts for the demo's
// 马格达村民族手工艺合作社, types the members' trade volumes in the distribution planner and sees
// the server's 60 % check fail at 59.99 % (naming the shortfall in 元) and pass at 60 %, with each
// member's share; the stored plan's shares add up to the distributable surplus to the fen. Then a
// new cooperative from the village page, with two rule documents and a member linked to a
// household, contributions read in 元 exactly. axe on every page visited.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const THIS_YEAR = Number(new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric" }).format(new Date()));
const YEAR = THIS_YEAR - 1;
const COOP = "马格达村民族手工艺合作社";
const OPEN_DROPDOWN = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)";

/** Client-side navigation without reloading the app (loaded chunks and the outbox runner stay). */
async function go(page, path) {
  await page.evaluate((p) => {
    window.history.pushState({}, "", p);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

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

/** Types a day into an antd DatePicker and leaves it with Tab (Enter would submit the form). */
async function pickDate(page, testId, day) {
  const input = page.getByTestId(testId);
  await input.click();
  await input.fill(day);
  await page.keyboard.press("Tab");
  await page.waitForFunction(
    ({ id, value }) => document.querySelector(`[data-testid="${id}"]`)?.value === value,
    { id: testId, value: day },
  );
  await closed(page);
  await page.waitForFunction(() => [...document.querySelectorAll(".ant-picker-dropdown")].every((e) => e.getBoundingClientRect().height === 0 || e.classList.contains("ant-picker-dropdown-hidden")));
}

/** The planner's check has answered for what is typed now: `state` is ok / short / refused. */
async function checkIs(page, state) {
  await page.locator(`[data-testid="plan-check"][data-state="${state}"]`).waitFor();
}

test("cooperatives", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
  const coop = (await (await call("/cooperatives")).json()).items.find((c) => c.name === COOP);
  assert.ok(coop, `${COOP} is in the demo`);
  const members = (await (await call(`/cooperatives/${coop.id}/members`)).json()).items;
  assert.equal(members.length, 6);

  await t.test("the distribution planner: accounts, trade volumes, the 60 % check at 59.99 % and 60 %, the stored plan", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-cooperatives").click();
      const card = page.locator(`[data-testid="coop-card"][data-coop-id="${coop.id}"]`);
      await card.getByText(COOP).waitFor();
      await card.getByText("规章制度 1/5").waitFor();
      assert.ok((await overflow(page)) <= 1, "the list fits 360 px");
      await checkA11y(page, "cooperatives at 360 px");

      await card.getByTestId("coop-link").click();
      await page.getByTestId("coop-title").getByText(COOP).waitFor();
      // The rule checklist: 社员守则 adopted, the other four missing (缺).
      await page.locator('[data-testid="coop-rule-members"][data-present="true"]').waitFor();
      for (const r of ["investment", "finance", "safety", "wages"]) {
        await page.locator(`[data-testid="coop-rule-${r}"][data-present="false"]`).getByText("缺").waitFor();
      }
      await page.getByTestId("coop-member").nth(5).waitFor();
      await page.getByTestId("coop-years").getByText("尚无年度账目").waitFor();
      assert.ok((await overflow(page)) <= 1, "the cooperative's page fits 360 px");
      await checkA11y(page, "cooperative page at 360 px");

      // A year's accounts: 150,000 − 40,000 − 5,000 − 5,000 = 100,000.00 元 distributable.
      await page.getByTestId("coop-year-new").click();
      const form = page.getByTestId("year-form");
      await form.waitFor();
      await form.getByTestId("field-year").fill(String(YEAR));
      await form.getByTestId("field-revenue_fen").fill("150,000");
      await form.getByTestId("field-costs_fen").fill("40000");
      await form.getByTestId("field-losses_made_good_fen").fill("5000");
      await form.getByTestId("field-reserves_fen").fill("5000.00");
      await page.locator('[data-testid="year-distributable"][data-fen="10000000"]').getByText("可分配盈余：100,000.00 元").waitFor();
      assert.ok((await overflow(page)) <= 1, "the accounts form fits 360 px");
      await checkA11y(page, "accounts form at 360 px");
      await form.getByTestId("form-save").click();
      const year = page.locator(`[data-testid="coop-year"][data-year="${YEAR}"]`);
      await year.getByTestId("coop-year-distributable").getByText("100,000.00 元").waitFor();

      // The planner: the year just recorded is chosen.
      await page.getByTestId("coop-plan-new").click();
      const plan = page.getByTestId("plan-form");
      await plan.waitFor();
      await plan.getByTestId("field-year").getByText(`${YEAR} 年（可分配盈余 100,000.00 元）`).waitFor();
      await page.getByTestId("plan-check").getByText("选择年度并填写按交易量返还的金额后").waitFor();
      const trades = ["12,000", "8000", "0.3", "", "4500.5", "1"];
      for (const [i, m] of members.entries()) {
        if (trades[i]) await plan.getByTestId(`trade-${m.id}`).fill(trades[i]);
      }
      // 59.99 %: 59,990.00 元 back by trade volume is 10.00 元 short of 60,000.00 元.
      await plan.getByTestId("field-by_trade_fen").fill("59990");
      await checkIs(page, "short");
      await page.getByTestId("plan-planned").getByText("59,990.00 元 (占 59.99%)").waitFor();
      await page.getByTestId("plan-required").getByText("60,000.00 元").waitFor();
      const short = page.getByTestId("plan-short");
      await short.getByText("不符合规定：还差 10.00 元").waitFor();
      await short.getByText("至少应为 60,000.00 元，方案为 59,990.00 元，还差 10.00 元").waitFor();
      assert.equal(await page.getByTestId("plan-shares").count(), 0, "no shares for a plan that fails");
      assert.ok((await overflow(page)) <= 1, "the planner fits 360 px");
      await checkA11y(page, "planner failing the 60 % check at 360 px");

      // 60 %: passes, with every member's share.
      await plan.getByTestId("field-by_trade_fen").fill("60,000");
      await checkIs(page, "ok");
      await page.getByTestId("plan-pass").waitFor();
      await page.getByTestId("plan-by-capital").getByText("40,000.00 元").waitFor();
      const shares = page.getByTestId("plan-shares").getByTestId("coop-share");
      assert.equal(await shares.count(), 6);
      const fen = await shares.evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-total-fen"))));
      assert.equal(fen.reduce((a, b) => a + b, 0), 10_000_000, "the shares add up to the distributable surplus");
      await page.locator('[data-testid="plan-shares-total"][data-fen="10000000"]').getByText("100,000.00 元").waitFor();
      await page.getByTestId("plan-shares-check").getByText("合计 100,000.00 元，等于可分配盈余").waitFor();
      // The member without trade gets capital only.
      const idle = page.locator(`[data-testid="plan-shares"] [data-testid="coop-share"][data-member-id="${members[3].id}"]`);
      await idle.getByText("按交易量 0.00 元").waitFor();
      assert.ok((await overflow(page)) <= 1, "the planner fits 360 px");
      await checkA11y(page, "planner passing the 60 % check at 360 px");

      await plan.getByTestId("form-save").getByText("保存方案").click();
      const stored = page.locator(`[data-testid="coop-distribution"][data-year="${YEAR}"]`);
      await stored.waitFor();
      await stored.locator(`[data-testid="coop-distribution-${YEAR}-total"][data-fen="10000000"]`).waitFor();
      assert.equal(await stored.getByTestId("coop-share").count(), 6);
      assert.ok((await overflow(page)) <= 1, "the cooperative's page fits 360 px");
      await page.locator(".ant-message-notice").last().waitFor({ state: "detached", timeout: 10_000 }).catch(() => undefined);
    });
    const stored = (await (await call(`/cooperatives/${coop.id}/distributions`)).json()).items;
    assert.equal(stored.length, 1, "stored once");
    const [d] = stored;
    assert.equal(d.year, YEAR);
    assert.equal(d.distributable_fen, 10_000_000);
    assert.equal(d.by_trade_fen, 6_000_000);
    assert.equal(d.shares.reduce((sum, s) => sum + s.total_fen, 0), 10_000_000);
    assert.equal(d.shares.find((s) => s.member_id === members[2].id).trade_fen, 30, "0.3 元 typed is 30 fen");
    assert.equal(d.shares.find((s) => s.member_id === members[4].id).trade_fen, 450_050);
  });

  await t.test("a new cooperative from the village page, with rule documents and a member linked to a household", async (t) => {
    const households = (await (await call(`/households?village_id=${coop.village_id}&limit=5`)).json()).items;
    const household = households[0];
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.goto(`${server.baseUrl}/villages/${coop.village_id}`);
      const section = page.getByTestId("village-coops");
      await section.getByText(COOP).waitFor();
      await section.getByTestId("village-coop-new").click();
      const form = page.getByTestId("coop-form");
      await form.waitFor();
      await form.getByTestId("coop-form-village").getByText("马格达村").waitFor();
      await form.getByTestId("field-name").fill("马格达村牦牛奶合作社");
      await choose(page, form, "field-kind", "养殖");
      await pickDate(page, "field-founded_on", "2024-04-01");
      await pickDate(page, "field-rules-investment", "2024-04-01");
      await pickDate(page, "field-rules-finance", "2024-05-01");
      assert.ok((await overflow(page)) <= 1, "the form fits 360 px");
      await checkA11y(page, "cooperative form at 360 px");
      await form.getByTestId("form-save").click();
      await page.getByTestId("coop-title").getByText("马格达村牦牛奶合作社").waitFor();
      await page.locator('[data-testid="coop-rule-investment"][data-present="true"]').waitFor();
      await page.locator('[data-testid="coop-rule-finance"][data-present="true"]').waitFor();
      await page.locator('[data-testid="coop-rule-wages"][data-present="false"]').waitFor();

      await page.getByTestId("coop-member-new").click();
      const member = page.getByTestId("member-form");
      await member.waitFor();
      await member.getByTestId("field-name").fill("次仁");
      await choose(page, member, "field-household_id", household.head_name);
      await member.getByTestId("field-cash_fen").fill("3,000");
      await member.getByTestId("field-livestock_fen").fill("１．５");
      await member.getByTestId("member-capital").getByText("出资合计：3,001.50 元").waitFor();
      await checkA11y(page, "member form at 360 px");
      await member.getByTestId("form-save").click();
      const row = page.getByTestId("coop-member").filter({ hasText: "次仁" });
      await row.getByTestId("coop-member-capital").getByText("3,001.50 元").waitFor();
      await row.getByTestId("coop-member-household").waitFor();
      await page.getByTestId("coop-members-total").getByText("在社成员 1 人，出资合计 3,001.50 元").waitFor();
      assert.ok((await overflow(page)) <= 1, "the cooperative's page fits 360 px");
      await page.locator(".ant-message-notice").last().waitFor({ state: "detached", timeout: 10_000 }).catch(() => undefined);
    });
    const created = (await (await call(`/cooperatives?q=${encodeURIComponent("牦牛奶")}`)).json()).items[0];
    assert.equal(created.rules_present, 2);
    assert.deepEqual(created.rules, { investment: "2024-04-01", finance: "2024-05-01", safety: null, members: null, wages: null });
    const [m] = (await (await call(`/cooperatives/${created.id}/members`)).json()).items;
    assert.equal(m.household_id, household.id);
    assert.equal(m.cash_fen, 300_000);
    assert.equal(m.livestock_fen, 150);
    assert.equal(m.capital_fen, 300_150);
  });
  await t.test("a plan saved offline waits in 待同步 and is stored once when the link returns", async (t) => {
    const earlier = YEAR - 1;
    const put = await call(`/cooperatives/${coop.id}/years/${earlier}`, {
      method: "PUT",
      body: JSON.stringify({ revenue_fen: 5_000_000, costs_fen: 3_000_000, losses_made_good_fen: 0, reserves_fen: 0 }),
    });
    assert.equal(put.status, 201);
    await withPage(t, browser, PHONE, async (page) => {
      await page.addInitScript(() => localStorage.setItem("zhucun.outbox.retry_ms", "200"));
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: "/outbox" });
      // The 待同步 page's chunk is fetched once while online.
      await page.getByTestId("outbox-empty").waitFor();
      await go(page, `/cooperatives/${coop.id}/distributions/new`);
      const plan = page.getByTestId("plan-form");
      await plan.waitFor();
      // The year with a plan is not offered again; the earlier one is chosen.
      await plan.getByTestId("field-year").getByText(`${earlier} 年（可分配盈余 20,000.00 元）`).waitFor();
      const cdp = await page.context().newCDPSession(page);
      const setOffline = (offline) => cdp.send("Network.emulateNetworkConditions", { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await setOffline(true);
      await page.getByTestId("offline-banner").waitFor();
      await plan.getByTestId(`trade-${members[0].id}`).fill("3000");
      await plan.getByTestId(`trade-${members[1].id}`).fill("1000");
      await plan.getByTestId("field-by_trade_fen").fill("12000");
      await checkIs(page, "offline");
      await page.getByTestId("plan-planned").getByText("12,000.00 元 (占 60.00%)").waitFor();
      await checkA11y(page, "planner offline");
      await plan.getByTestId("form-save").click();
      await page.waitForURL(/\/outbox$/);
      await page.getByTestId("outbox-item").getByTestId("outbox-state").getByText("等待发送").waitFor();
      await setOffline(false);
      await page.getByTestId("outbox-empty").waitFor({ timeout: 60_000 });
      await go(page, `/cooperatives/${coop.id}`);
      await page.locator(`[data-testid="coop-distribution"][data-year="${earlier}"] [data-testid="coop-distribution-${earlier}-total"][data-fen="2000000"]`).waitFor();
    });
    const stored = (await (await call(`/cooperatives/${coop.id}/distributions`)).json()).items.filter((d) => d.year === earlier);
    assert.equal(stored.length, 1, "stored once");
    assert.equal(stored[0].by_trade_fen, 1_200_000);
    assert.equal(stored[0].shares.reduce((sum, s) => sum + s.total_fen, 0), 2_000_000);
  });

  await t.test("the village committee reads the cooperative and plans nothing", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "committee_magada", server.demoPassword, { path: `/cooperatives/${coop.id}` });
      await page.getByTestId("coop-title").getByText(COOP).waitFor();
      await page.locator('[data-testid="coop-distribution"]').nth(1).waitFor();
      for (const id of ["coop-edit", "coop-member-new", "coop-year-new", "coop-plan-new", "coop-member-edit", "coop-year-edit"]) {
        assert.equal(await page.getByTestId(id).count(), 0, `no ${id} for the committee`);
      }
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-cooperatives").waitFor();
      await page.keyboard.press("Escape");
      await page.goto(`${server.baseUrl}/cooperatives/${coop.id}/distributions/new`);
      await page.getByTestId("forbidden").waitFor();
    });
  });
});
