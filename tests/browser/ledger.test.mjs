// 资金台账 in the browser, at 360 px: the department reverses an allocation with a reason (the
// list shows it reversed, the reversal with its reason, and the totals change); the village
// committee confirms a waiting entry from its home page (it leaves the list; offline the button
// is off); a team member records a donation in kind from a project's page with a donor added on
// the spot, the value read in 元 exactly.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

const OPEN_DROPDOWN = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)";

async function closed(page) {
  if (await page.locator(OPEN_DROPDOWN).count()) await page.keyboard.press("Escape");
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((e) => e.getBoundingClientRect().height === 0), OPEN_DROPDOWN);
}

/** Inside a dialog: no Escape (it would close the dialog); wait for the list to slide away. */
async function chooseInDialog(page, scope, testId, option) {
  const select = scope.getByTestId(testId);
  await select.click();
  await page.locator(`${OPEN_DROPDOWN} .ant-select-item-option`, { hasText: option }).first().click();
  await select.locator(".ant-select-selection-item", { hasText: option }).waitFor();
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

/** "1,234.50" in a totals figure → 123450 fen. */
async function figure(page, testId) {
  const text = await page.getByTestId(testId).locator(".ant-statistic-content-value").textContent();
  const match = /^(-?)([\d,]+)\.(\d{2})$/.exec(text.trim());
  assert.ok(match, `${testId} shows an amount: ${text}`);
  return Number(match[1] + match[2].replaceAll(",", "") + match[3]);
}

test("ledger", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);

  await t.test("the department reverses an allocation with a reason; the list shows it and the totals change", async (t) => {
    const call = await apiLogin(server.baseUrl, "office_staff", server.demoPassword);
    const found = await (await call(`/ledger?kind=allocation&q=${encodeURIComponent("财厅驻村〔当年〕09号")}`)).json();
    const original = found.items.find((e) => e.project_title === "下地村文化活动室");
    assert.ok(original, "this year's allocation to 下地村文化活动室");
    assert.equal(original.reversed_by_id ?? null, null);
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-ledger").click();
      await page.getByTestId("ledger-list").waitFor();
      // The department records allocations only.
      await page.getByTestId("ledger-new").click();
      const kinds = page.getByTestId("field-kind");
      await kinds.getByText("拨付").waitFor();
      assert.equal(await kinds.locator("input[type=radio]").count(), 1);
      await page.goBack();

      await choose(page, page, "ledger-filter-village", "下地村");
      await choose(page, page, "ledger-filter-kind", "拨付");
      await page.waitForURL(/kind=allocation/);
      const card = page.locator(`[data-testid="ledger-entry"][data-entry-id="${original.id}"]`);
      await card.getByText("+150,000.00 元").waitFor();
      await page.waitForFunction(() => document.querySelector('[data-testid="ledger-totals"]')?.getAttribute("aria-busy") === "false");
      const before = await figure(page, "totals-received");
      assert.ok((await overflow(page)) <= 1, "ledger fits 360 px");
      await checkA11y(page, "ledger at 360 px");

      await card.getByTestId("entry-reverse").click();
      const form = page.getByTestId("reversal-form");
      await form.waitFor();
      // The reason is required: nothing is sent without it.
      await form.getByTestId("form-save").click();
      await form.getByText("请填写冲销原因").waitFor();
      await form.getByTestId("field-reason").fill("重复拨付，已另行下达");
      await checkA11y(page, "reversal dialog");
      await form.getByTestId("form-save").click();
      await form.waitFor({ state: "detached" });

      await card.getByTestId("entry-reversed").getByText("已冲销").waitFor();
      const reversal = page.getByTestId("ledger-entry").filter({ has: page.getByTestId("entry-reason") }).filter({ hasText: "重复拨付，已另行下达" });
      await reversal.getByText("−150,000.00 元").waitFor();
      await reversal.getByText(`冲销第 ${original.id} 号记录`).waitFor();
      assert.equal(await card.getByTestId("entry-reverse").count(), 0, "reversed once only");
      assert.equal(await reversal.getByTestId("entry-reverse").count(), 0, "a reversal is never reversed");
      await page.waitForFunction(
        (want) => {
          const el = document.querySelector('[data-testid="totals-received"] .ant-statistic-content-value');
          return el && Number(el.textContent.replace(/[,.]/g, "")) === want;
        },
        before - 15_000_000,
      );
      assert.ok((await overflow(page)) <= 1, "ledger fits 360 px");
      await page.locator(".ant-message-notice").last().waitFor({ state: "detached", timeout: 10_000 }).catch(() => undefined);
    });
    const after = await (await call(`/ledger/${original.id}`)).json();
    assert.ok(after.reversed_by_id, "the original points at its reversal");
    const rev = await (await call(`/ledger/${after.reversed_by_id}`)).json();
    assert.equal(rev.amount_fen, -15_000_000);
    assert.equal(rev.reverses_id, original.id);
    assert.equal(rev.reversal_reason, "重复拨付，已另行下达");
  });

  await t.test("the village committee confirms a waiting entry from its home page", async (t) => {
    const call = await apiLogin(server.baseUrl, "committee_magada", server.demoPassword);
    const waiting = (await (await call("/ledger?unconfirmed=true&limit=500")).json()).items;
    const entry = waiting.find((e) => e.project_title === "马格达村双语幼儿园改造");
    assert.ok(entry, "this year's allocation to 马格达村双语幼儿园改造 waits for the committee");
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "committee_magada", server.demoPassword);
      // The home page counts what waits for the committee, then the village page has the banner.
      await page.getByTestId("home-card-confirm-count").getByText(String(waiting.length), { exact: true }).waitFor();
      await page.getByTestId("home-village").first().click();
      const banner = page.getByTestId("village-ledger-pending");
      await banner.getByText(`待确认收到 ${waiting.length} 笔`).waitFor();
      await banner.getByTestId("village-ledger-confirm").click();
      await page.waitForURL(/\/ledger\/pending$/);
      const list = page.getByTestId("pending-list");
      await list.locator("li").nth(waiting.length - 1).waitFor();
      assert.equal(await list.locator("li").count(), waiting.length);
      const card = list.locator(`[data-testid="ledger-entry"][data-entry-id="${entry.id}"]`);
      await card.getByText("+120,000.00 元").waitFor();
      assert.ok((await overflow(page)) <= 1, "waiting list fits 360 px");
      await checkA11y(page, "waiting list at 360 px");

      // Offline: confirming needs the link (it is not queued).
      await page.context().setOffline(true);
      await page.getByTestId("pending-offline").waitFor();
      assert.equal(await card.getByTestId("entry-confirm").isDisabled(), true);
      await page.context().setOffline(false);
      await page.getByTestId("pending-offline").waitFor({ state: "detached" });

      await card.getByTestId("entry-confirm").click();
      await card.waitFor({ state: "detached" });
      assert.equal(await list.locator("li").count(), waiting.length - 1);
      await page.locator(".ant-message-notice").last().waitFor({ state: "detached", timeout: 10_000 }).catch(() => undefined);
    });
    const confirmed = await (await call(`/ledger/${entry.id}`)).json();
    assert.equal(confirmed.confirmation.by_username, "committee_magada");
    assert.equal(confirmed.confirmable, false);
  });

  await t.test("a team member records a donation in kind from a project's page, with a new donor; 元 read exactly", async (t) => {
    const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
    const projects = (await (await call(`/projects?limit=500&q=${encodeURIComponent("人工种草基地")}`)).json()).items;
    const project = projects.find((p) => p.title === "马格达村人工种草基地");
    assert.ok(project);
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: `/projects/${project.id}` });
      const section = page.getByTestId("project-ledger");
      await section.getByTestId("project-ledger-received").getByText("0.00").waitFor();
      await section.getByTestId("project-ledger-new").click();
      const form = page.getByTestId("ledger-form");
      await form.waitFor();
      await form.getByTestId("field-kind").getByText("实物捐赠", { exact: true }).click();
      await form.getByTestId("ledger-form-source").getByText("社会捐赠").waitFor();
      assert.equal(await form.getByTestId("field-project_id").locator(".ant-select-selection-item").textContent(), project.title);

      // A donor not in the list yet: added on the spot and chosen.
      await form.getByTestId("donor-add").click();
      const donorForm = page.getByTestId("donor-form");
      await donorForm.getByTestId("field-donor-name").fill("日喀则市草业协会");
      await chooseInDialog(page, donorForm, "field-donor-kind", "社会组织");
      await checkA11y(page, "new donor dialog");
      await donorForm.getByTestId("form-save").click();
      await donorForm.waitFor({ state: "detached" });
      await form.getByTestId("field-donor_id").locator(".ant-select-selection-item", { hasText: "日喀则市草业协会" }).waitFor();

      await form.getByTestId("field-item").fill("燕麦草种");
      await form.getByTestId("field-quantity").fill("２.５");
      await form.getByTestId("field-unit").fill("吨");
      await form.getByTestId("field-amount_fen").fill("1.005");
      await form.getByTestId("form-save").click();
      await form.getByText("须为大于 0 的金额（元），最多两位小数，不超过 100 亿元").waitFor();
      await form.getByTestId("field-amount_fen").fill("12,000.3");
      await form.getByTestId("field-evidence").fill("捐赠清单 2026-031");
      assert.ok((await overflow(page)) <= 1, "form fits 360 px");
      await checkA11y(page, "ledger form at 360 px");
      await form.getByTestId("form-save").click();

      await page.waitForURL(new RegExp(`/projects/${project.id}$`));
      const entry = section.getByTestId("ledger-entry").filter({ hasText: "燕麦草种" });
      await entry.getByText("+12,000.30 元").waitFor();
      await entry.getByTestId("entry-donor").getByText("日喀则市草业协会").waitFor();
      await entry.getByTestId("entry-unconfirmed").waitFor();
      await section.getByTestId("project-ledger-received").getByText("12,000.30").waitFor();
      await page.locator(".ant-message-notice").last().waitFor({ state: "detached", timeout: 10_000 }).catch(() => undefined);
    });
    const entries = (await (await call(`/ledger?project_id=${project.id}`)).json()).items;
    const made = entries.filter((e) => e.item === "燕麦草种");
    assert.equal(made.length, 1, "recorded once");
    assert.equal(made[0].amount_fen, 1_200_030);
    assert.equal(made[0].quantity, "2.5");
    assert.equal(made[0].unit, "吨");
    assert.equal(made[0].source, "donor");
    assert.equal(made[0].donor_name, "日喀则市草业协会");
  });
});
