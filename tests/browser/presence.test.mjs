// 驻村考勤 in the browser, at 360 px: team_magada opens the month calendar of the running team on a
// phone, taps the first and the last day of a range, chooses 离村 with the reason 参加会议 and
// saves through the outbox; the days show as away, the API holds one record per day, and the
// month's summary counts them. The calendar fits 360 px; axe on the page. The demo's signed
// handover reads from the running team's page, printable, without a sign button.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
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

/** Today in Asia/Shanghai, YYYY-MM-DD. */
const shanghaiToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
const addDays = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400_000).toISOString().slice(0, 10);

test("presence", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
  const teams = (await (await call("/teams?limit=500")).json()).items.sort((a, b) => b.round_number - a.round_number);
  const team = teams[0];
  const members = (await (await call(`/teams/${team.id}/members`)).json()).items;
  const member = members[0];
  const today = shanghaiToday();
  const month = today.slice(0, 7);
  // The range: two days before today (not before the month nor the membership) to today.
  let from = addDays(today, -2);
  for (const floor of [`${month}-01`, member.from_date]) if (from < floor) from = floor;
  const expected = Math.round((Date.parse(today) - Date.parse(from)) / 86400_000) + 1;

  await t.test("a month at 360 px: tap a range, away at a meeting, saved", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-presence").click();
      const calendar = page.getByTestId("presence-calendar");
      await calendar.waitFor();
      await page.getByTestId("presence-month").getByText(month).waitFor();
      await page.getByTestId("summary-row").first().waitFor();
      assert.ok((await overflow(page)) <= 1, "the calendar fits 360 px");
      // Days after today cannot be tapped.
      const tomorrow = addDays(today, 1);
      if (tomorrow.startsWith(month)) assert.equal(await page.getByTestId(`day-${tomorrow}`).isDisabled(), true);
      await checkA11y(page, "presence at 360 px");

      await page.getByTestId(`day-${from}`).click();
      if (today !== from) await page.getByTestId(`day-${today}`).click();
      const form = page.getByTestId("presence-form");
      await form.waitFor();
      await form.getByTestId("presence-range").getByText(`${from} – ${today}`).waitFor();
      await choose(page, form, "field-status", "离村");
      await choose(page, form, "field-reason", "参加会议");
      await form.getByTestId("field-log").fill("赴县里参加驻村工作推进会");
      assert.ok((await overflow(page)) <= 1, "the form fits 360 px");
      await checkA11y(page, "presence form at 360 px");
      await form.getByTestId("form-save").click();
      await page.getByTestId(`day-${today}`).and(page.locator('[data-status="away"]')).waitFor();
      await page.getByTestId(`day-${from}`).and(page.locator('[data-status="away"]')).waitFor();
      assert.ok((await overflow(page)) <= 1, "the calendar fits 360 px after saving");
    });
    const days = (await (await call(`/presence?month=${month}&team_member_id=${member.id}`)).json()).items;
    const mine = days.filter((d) => d.day >= from && d.day <= today);
    assert.equal(mine.length, expected, "one record per day of the range");
    for (const d of mine) {
      assert.equal(d.status, "away");
      assert.equal(d.reason, "meeting");
      assert.equal(d.log, "赴县里参加驻村工作推进会");
    }
    const summary = await (await call(`/presence/summary?month=${month}&team_id=${team.id}`)).json();
    const row = summary.items.find((r) => r.team_member_id === member.id);
    assert.equal(row.days_away, expected);
  });

  await t.test("the signed handover of 马格达村 at 360 px", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: "/presence" });
      await page.getByTestId("presence-handover-link").click();
      const doc = page.getByTestId("handover-document");
      await doc.waitFor();
      await doc.getByTestId("handover-status").getByText("已签收").waitFor();
      for (const key of ["open_projects", "unconfirmed_ledger", "open_needs", "ledger_balance", "documents"]) {
        await page.getByTestId(`section-${key}`).waitFor();
      }
      await page.getByTestId("section-documents").getByText("建档立卡户花名册及帮扶手册").waitFor();
      assert.equal(await page.getByTestId("handover-sign").count(), 0, "a signed handover has no sign button");
      await page.getByTestId("handover-print").waitFor();
      assert.ok((await overflow(page)) <= 1, "the handover fits 360 px");
      await checkA11y(page, "handover at 360 px");
    });
  });

  await t.test("the team's month downloads as CSV", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: "/presence" });
      const card = page.getByTestId("presence-summary");
      await card.getByTestId("summary-row").first().waitFor();
      const rows = await card.getByTestId("summary-row").count();
      const download = page.waitForEvent("download");
      await card.getByTestId("download-csv").click();
      const file = await download;
      assert.match(file.suggestedFilename(), /^驻村考勤月汇总-.*\.csv$/);
      const bytes = await readFile(await file.path());
      assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "CSV starts with the UTF-8 BOM");
      const lines = bytes.toString("utf8").slice(1).split("\r\n").filter((l) => l.length > 0);
      assert.ok(lines[0].startsWith("干部,"), lines[0]);
      assert.equal(lines.length, rows + 1, "a header and one line per cadre shown");
      assert.ok((await overflow(page)) <= 1, "the buttons fit 360 px");
    });
  });
});
