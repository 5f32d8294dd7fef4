// 区域统计 in the browser as the regional office: the departments of a year with the API's figures,
// a sortable table, drilling down to the counties and to the villages of a county with the state
// in the URL (a reload stays), the CSV download, and the page at 360 px (tables scroll inside
// their box, the page does not). axe on each level.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const count = (n) => new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 0 }).format(n);

async function text(page, testId) {
  return (await page.getByTestId(testId).first().textContent()).trim();
}

/** Waits until a cell shows `expected` (the year just picked may still be loading), else fails naming it. */
async function cellShows(page, testId, expected) {
  const shown = await page
    .waitForFunction(([id, want]) => document.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() === want, [testId, expected], { timeout: 15_000 })
    .then(() => true)
    .catch(() => false);
  if (!shown) assert.equal(await text(page, testId), expected, testId);
}

async function pickYear(page, year) {
  await page.getByTestId("stats-year").click();
  await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: `${year} 年` }).first().click();
  await page.waitForURL(new RegExp(`year=${year}`));
}

test("regional statistics", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const regional = await apiLogin(server.baseUrl, "regional", server.demoPassword);

  await t.test("the regional office drills down from the departments to the villages of a county", async (t) => {
    const departments = await (await regional("/stats/departments?year=2019")).json();
    const fin = departments.years[0].departments.find((d) => d.department_name === "西藏自治区财政厅");
    assert.ok(fin.figures.teams > 0, "the demo has 2019 figures");
    const villages = await (await regional("/stats/villages?year=2019&county=540221")).json();
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "regional", server.demoPassword);
      await page.getByTestId("nav-statistics").click();
      await page.getByTestId("stats-table-departments").waitFor();
      await pickYear(page, 2019);
      await page.getByTestId("stats-row-西藏自治区财政厅").waitFor();
      // The table of the year shown before may stay until 2019's answer arrives.
      for (const key of ["teams", "cadres_stationed", "households_paired", "projects", "activities"]) {
        await cellShows(page, `stats-cell-西藏自治区财政厅-${key}`, count(fin.figures[key]));
      }
      // Sortable by a column: by teams, the most first after two clicks.
      const header = page.locator("th", { hasText: "工作队" }).first();
      await header.click();
      await header.click();
      const first = page.locator('[data-testid="stats-table-departments"] tbody tr.ant-table-row').first();
      const most = [...departments.years[0].departments].sort((a, b) => b.figures.teams - a.figures.teams)[0];
      assert.equal((await first.locator("td").first().textContent()).trim(), most.department_name);
      await page.getByTestId("stats-chart").locator("canvas").first().waitFor();
      // When the figures were taken, in Beijing time.
      const asOf = (await (await regional("/stats/departments?year=2019")).json()).as_of;
      const beijing = new Intl.DateTimeFormat("zh-CN", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit", hour12: false });
      const shown = await page.getByTestId("stats-as-of").textContent();
      assert.ok(shown.includes("数据截至") && shown.includes(beijing.format(new Date(asOf))), `${shown} / ${asOf}`);
      await checkA11y(page, "statistics: departments");

      // A department's row → the counties of the region; then a county → its villages.
      await page.getByTestId("stats-row-西藏自治区财政厅").click();
      await page.getByTestId("stats-table-counties").waitFor();
      await page.waitForURL(/view=counties/);
      await checkA11y(page, "statistics: counties");
      await page.getByTestId("stats-row-南木林县").click();
      await page.getByTestId("stats-table-villages").waitFor();
      await page.waitForURL(/county=540221/);
      const magada = villages.villages.find((v) => v.village_name === "马格达村");
      await page.getByTestId("stats-row-马格达村").waitFor();
      await cellShows(page, "stats-cell-马格达村-teams", count(magada.figures.teams));
      await checkA11y(page, "statistics: villages");
      // The state is in the URL: a reload shows the same county.
      await page.reload();
      await page.getByTestId("stats-row-马格达村").waitFor();
      // The CSV of what is shown.
      const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("stats-download-csv").click()]);
      const saved = await download.path();
      const { readFile } = await import("node:fs/promises");
      const csv = await readFile(saved, "utf8");
      assert.ok(csv.includes("马格达村"), csv.slice(0, 200));
      assert.ok(csv.replace(/^\uFEFF/, "").startsWith("年份,村,部门"), csv.slice(0, 80));
      // Back to the departments by the breadcrumb.
      await page.getByTestId("stats-crumb-departments").click();
      await page.getByTestId("stats-table-departments").waitFor();
    });
  });

  await t.test("a prefecture at 360 px: the table scrolls inside its box", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "regional", server.demoPassword, { path: "/statistics?year=2019&prefecture=540600" });
      await page.getByTestId("stats-table-counties").waitFor();
      await page.getByTestId("stats-row-班戈县").waitFor();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `page is ${overflow}px wider than the screen`);
      await checkA11y(page, "statistics at 360 px");
    });
  });
});
