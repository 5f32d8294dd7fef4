// The annual report page (年度报告), downloads and the role home pages in the browser. The 2019
// report of the demo: each figure on the page equals what the API answers in the same test
// (never numbers written into the test); the comparison's years likewise. A download button saves
// the server's file (CSV starting with the UTF-8 BOM, xlsx with PK), under its Chinese name; the
// ledger's CSV is the API's CSV for the same filters byte for byte; a 422 export_too_large is said
// in Chinese. Printing hides the header, the menu and the buttons. The home pages of the
// department, a team and a village committee show their cards with the API's counts. axe on each.
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const DESKTOP = { viewport: { width: 1280, height: 900 } };
const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };

const count = (n) => new Intl.NumberFormat("zh-CN", { maximumFractionDigits: 0 }).format(n);
/** Fen as the page writes them: grouping, two decimals, 元. */
function yuan(fen) {
  const sign = fen < 0 ? "-" : "";
  const abs = Math.abs(fen);
  return `${sign}${count(Math.floor(abs / 100))}.${String(abs % 100).padStart(2, "0")} 元`;
}

/** Today in Asia/Shanghai as YYYY-MM-DD, as the home pages count months and years. */
const shanghaiToday = () => new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
function previousMonth(month) {
  const [y, m] = month.split("-").map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, "0")}`;
}

async function text(page, testId) {
  return (await page.getByTestId(testId).first().textContent()).trim();
}

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Every figure of the report that the page shows, as testId → expected text. */
function expectedFigures(r) {
  const figures = {
    "fig-stationing-villages": count(r.stationing.villages),
    "fig-stationing-teams": count(r.stationing.teams),
    "fig-stationing-cadres_stationed": count(r.stationing.cadres_stationed),
    "fig-stationing-rounds": count(r.stationing.rounds),
    "fig-stationing-party_members_developed": count(r.party_members_developed),
    "fig-pairing-cadres": count(r.pairing.cadres),
    "fig-pairing-households": count(r.pairing.households),
    "fig-pairing-assistance_fen": yuan(r.pairing.assistance_fen),
    "fig-projects-count": count(r.projects.count),
    "fig-funds-total_fen": yuan(r.funds.total_fen),
    "fig-funds-spent_fen": yuan(r.funds.spent_fen),
    "fig-funds-in_kind_fen": yuan(r.funds.in_kind_fen),
    "fig-funds-relief_goods_fen": yuan(r.funds.relief_goods_fen),
    "fig-funds-unconfirmed": count(r.funds.unconfirmed),
    "fig-activities-count": count(r.activities.total.count),
    "fig-activities-participants": count(r.activities.total.participants),
    "fig-activities-beneficiaries": count(r.activities.total.beneficiaries),
    "fig-activities-clinic_seen": count(r.activities.clinics.seen),
    "fig-cooperatives-count": count(r.cooperatives.count),
    "fig-cooperatives-members": count(r.cooperatives.members),
    "fig-cooperatives-capital_fen": yuan(r.cooperatives.capital_fen),
    "fig-cooperatives-surplus_fen": yuan(r.cooperatives.surplus_fen),
    "fig-cooperatives-distributed_to_members_fen": yuan(r.cooperatives.distributed_to_members_fen),
  };
  for (const key of ["raised", "resolved", "declined", "open", "overdue"]) figures[`fig-needs-${key}`] = count(r.needs[key]);
  for (const [code, fen] of Object.entries(r.pairing.assistance_by_kind)) figures[`table-assistance-${code}-amount`] = yuan(fen);
  for (const [code, n] of Object.entries(r.projects.by_stage)) figures[`table-stages-${code}-count`] = count(n);
  for (const [code, f] of Object.entries(r.projects.by_category)) {
    figures[`table-categories-${code}-count`] = count(f.count);
    figures[`table-categories-${code}-budget`] = yuan(f.budget_fen);
    figures[`table-categories-${code}-funds`] = yuan(f.funds_fen);
  }
  for (const [code, fen] of Object.entries(r.funds.by_source)) figures[`table-sources-${code}-amount`] = yuan(fen);
  for (const [code, fen] of Object.entries(r.funds.by_kind)) figures[`table-kinds-${code}-amount`] = yuan(fen);
  for (const [code, f] of Object.entries(r.activities.by_kind)) {
    figures[`table-activities-${code}-count`] = count(f.count);
    figures[`table-activities-${code}-participants`] = count(f.participants);
  }
  return figures;
}

async function assertFigures(page, report) {
  const expected = expectedFigures(report);
  assert.ok(Object.keys(expected).length > 40, "the report has its sections");
  const shown = {};
  for (const testId of Object.keys(expected)) shown[testId] = await text(page, testId);
  assert.deepEqual(shown, expected);
}

test("the annual report, downloads and the role home pages", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const dept = await apiLogin(server.baseUrl, "office_staff", server.demoPassword);

  await t.test("the department's 2019 report shows the API's figures, charts and the comparison", async (t) => {
    const report = await (await dept("/reports/annual?year=2019")).json();
    const compare = await (await dept("/reports/annual/compare?from=2012&to=2019")).json();
    assert.ok(report.funds.total_fen > 0 && report.projects.count > 0, "the demo has a 2019");
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      await page.getByTestId("nav-reports").click();
      await page.getByTestId("report").waitFor();
      await page.getByTestId("report-year").click();
      await page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden) .ant-select-item-option", { hasText: "2019 年" }).first().click();
      await page.waitForURL(/year=2019/);
      await page.locator('[data-testid="report"][data-year="2019"]').waitFor();
      await assertFigures(page, report);
      // Charts (one image each, labelled, drawn by uPlot) for every section the brief names.
      for (const chart of ["chart-assistance", "chart-stages", "chart-categories", "chart-sources", "chart-kinds", "chart-activities", "chart-compare"]) {
        const el = page.getByTestId(chart);
        await el.locator("canvas").first().waitFor();
        assert.equal(await el.getAttribute("role"), "img");
        assert.match(await el.getAttribute("aria-label"), /柱状图/);
      }
      // The comparison: every year of 2012–2019 with the API's figures.
      assert.deepEqual(compare.years.map((y) => y.year), [2012, 2013, 2014, 2015, 2016, 2017, 2018, 2019]);
      for (const y of compare.years) {
        assert.equal(await text(page, `table-compare-${y.year}-funds_received_fen`), yuan(y.funds_received_fen).replace(" 元", ""));
        assert.equal(await text(page, `table-compare-${y.year}-paired_households`), count(y.paired_households));
        assert.equal(await text(page, `table-compare-${y.year}-projects`), count(y.projects));
      }
      await checkA11y(page, "annual report 2019");
    });
  });

  await t.test("one village's report at 360 px", async (t) => {
    const villages = (await (await dept("/villages?limit=500")).json()).items;
    const xiadi = villages.find((v) => v.name === "下地村");
    assert.ok(xiadi);
    const report = await (await dept(`/reports/annual?year=2019&village_id=${xiadi.id}`)).json();
    assert.equal(report.village_id, xiadi.id);
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword, { path: `/reports/annual?year=2019&village=${xiadi.id}` });
      await page.locator('[data-testid="report"][data-year="2019"]').waitFor();
      await page.getByTestId("report-heading").getByText("下地村").waitFor({ state: "attached" });
      await assertFigures(page, report);
      await page.getByTestId("chart-activities").locator("canvas").first().waitFor();
      assert.ok((await overflow(page)) <= 1, "the report fits 360 px");
    });
  });

  await t.test("printing gives the report without the header, the menu and the buttons", async (t) => {
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword, { path: "/reports/annual?year=2019" });
      await page.locator('[data-testid="report"][data-year="2019"]').waitFor();
      for (const id of ["nav", "user-name", "download-xlsx", "download-csv", "report-print"]) assert.ok(await page.getByTestId(id).first().isVisible(), `${id} on screen`);
      assert.equal(await page.getByTestId("report-heading").isVisible(), false, "the print heading is for paper only");
      await page.emulateMedia({ media: "print" });
      for (const id of ["nav", "user-name", "download-xlsx", "download-csv", "report-print", "report-year"]) {
        assert.equal(await page.getByTestId(id).first().isVisible(), false, `${id} is not printed`);
      }
      assert.ok(await page.getByTestId("report-heading").isVisible());
      assert.match(await text(page, "report-heading"), /2019 年驻村工作年报 · 西藏自治区财政厅 · 全部村庄/);
      assert.ok(await page.getByTestId("report-funds").isVisible());
      assert.ok(await page.getByTestId("fig-funds-total_fen").isVisible());
      // The content starts at the page's left edge (no room kept for the menu).
      const left = await page.getByTestId("report").evaluate((el) => el.getBoundingClientRect().left);
      assert.ok(left < 20, `report starts at ${left}px`);
      const pdf = await page.pdf({ format: "A4" });
      assert.equal(pdf.subarray(0, 4).toString(), "%PDF");
      await page.emulateMedia({ media: "screen" });
      assert.ok(await page.getByTestId("nav").isVisible());
    });
  });

  await t.test("the download buttons save the server's files under their Chinese names", async (t) => {
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword, { path: "/reports/annual?year=2019" });
      await page.locator('[data-testid="report"][data-year="2019"]').waitFor();
      const csvDownload = page.waitForEvent("download");
      await page.getByTestId("download-csv").click();
      const csv = await csvDownload;
      assert.equal(csv.suggestedFilename(), "2019年驻村工作年报-西藏自治区财政厅.csv");
      const csvBytes = await readFile(await csv.path());
      assert.deepEqual([...csvBytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], "CSV starts with the UTF-8 BOM");
      assert.match(csvBytes.toString("utf8"), /西藏自治区财政厅|驻村/);
      await page.getByTestId("download-csv-status").getByText("已下载 2019年驻村工作年报-西藏自治区财政厅.csv", { exact: false }).waitFor({ state: "attached" });

      const xlsxDownload = page.waitForEvent("download");
      await page.getByTestId("download-xlsx").click();
      const xlsx = await xlsxDownload;
      assert.equal(xlsx.suggestedFilename(), "2019年驻村工作年报-西藏自治区财政厅.xlsx");
      const xlsxBytes = await readFile(await xlsx.path());
      assert.equal(xlsxBytes.subarray(0, 2).toString("latin1"), "PK", "xlsx is a zip");

      // The ledger list with its filters: the file is the API's CSV for the same filters.
      await page.goto(`${server.baseUrl}/ledger?year=2019&kind=allocation`);
      await page.getByTestId("ledger-list").waitFor();
      const ledgerDownload = page.waitForEvent("download");
      await page.getByTestId("ledger-downloads").getByTestId("download-csv").click();
      const ledger = await ledgerDownload;
      assert.match(ledger.suggestedFilename(), /\.csv$/);
      const got = await readFile(await ledger.path());
      const want = Buffer.from(await (await dept("/ledger?year=2019&kind=allocation&sort=-date&format=csv")).arrayBuffer());
      assert.ok(want.length > 100);
      assert.ok(got.equals(want), "the saved file is the API's CSV for the list's filters");
      // A heading, one row per entry of the filter, then the totals line.
      const lines = got.toString("utf8").trim().split("\n");
      const total = (await (await dept("/ledger?year=2019&kind=allocation&limit=1")).json()).total.count;
      assert.equal(lines.length, total + 2, "one CSV row per entry of the filter");
      assert.match(lines.at(-1), new RegExp(`^合计,${total} 笔`));
      await checkA11y(page, "ledger with download buttons");
    });
  });

  await t.test("every list downloads with its current filters: the saved file is the API's answer to the request the page sent", async (t) => {
    const villages = (await (await dept("/villages?limit=500")).json()).items;
    const xiadi = villages.find((v) => v.name === "下地村");
    const lists = [
      { page: `/households?village=${xiadi.id}`, api: "/api/v1/households", filter: `village_id=${xiadi.id}`, ready: "household-list" },
      { page: `/projects?village=${xiadi.id}`, api: "/api/v1/projects", filter: `village_id=${xiadi.id}`, ready: "project-board" },
      { page: "/activities?year=2019", api: "/api/v1/activities", filter: "year=2019", ready: "activity-list" },
      { page: "/needs/overview?status=open", api: "/api/v1/needs", filter: "status=open", ready: "need-list" },
      { page: "/pairings/coverage?year=2019", api: "/api/v1/pairings", filter: "year=2019", ready: "list-downloads" },
      { page: "/pairings/coverage?year=2019", api: "/api/v1/assistance", filter: "year=2019", ready: "assistance-downloads", scope: "assistance-downloads" },
    ];
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      for (const list of lists) {
        await page.goto(`${server.baseUrl}${list.page}`);
        await page.getByTestId(list.ready).first().waitFor();
        const request = page.waitForRequest((r) => r.url().includes(`${list.api}?`) && r.url().includes("format=csv"));
        const download = page.waitForEvent("download");
        await page.getByTestId(list.scope ?? "list-downloads").getByTestId("download-csv").click();
        const url = new URL((await request).url());
        assert.ok(url.search.includes(list.filter), `${list.api} asked with ${list.filter}: ${url.search}`);
        const saved = await readFile(await (await download).path());
        assert.deepEqual([...saved.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${list.api}: CSV with BOM`);
        const want = Buffer.from(await (await dept(`${url.pathname.replace("/api/v1", "")}${url.search}`)).arrayBuffer());
        assert.ok(saved.equals(want), `${list.api}: the saved file is the API's CSV`);
        assert.ok(saved.toString("utf8").split("\n").length >= 2, `${list.api}: a heading and rows`);
      }
    });
  });

  await t.test("a refused export is said in Chinese (422 export_too_large)", async (t) => {
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword, { path: "/ledger" });
      await page.getByTestId("ledger-list").waitFor();
      let asked = null;
      // A 100,001-row ledger is not in the demo: the server's answer to one is played back.
      await page.route(/\/api\/v1\/ledger\?.*format=xlsx/, (route) => {
        asked = route.request().url();
        return route.fulfill({
          status: 422,
          contentType: "application/problem+json",
          body: JSON.stringify({
            type: "https://zhucun.example/problems/export-too-large",
            title: "Export too large",
            status: 422,
            code: "export_too_large",
            params: { max_rows: 100000 },
            detail: "at most 100000 rows in an xlsx file",
          }),
        });
      });
      let downloaded = false;
      page.on("download", () => (downloaded = true));
      await page.getByTestId("ledger-downloads").getByTestId("download-xlsx").click();
      await page.locator(".ant-message").getByText("下载失败：Excel 文件最多 100000 行，请缩小筛选范围或下载 CSV").waitFor();
      await page.getByTestId("download-xlsx-status").getByText("Excel 文件最多 100000 行", { exact: false }).waitFor({ state: "attached" });
      assert.match(asked, /format=xlsx/);
      assert.equal(downloaded, false);
      // The button is usable again.
      assert.equal(await page.getByTestId("ledger-downloads").getByTestId("download-xlsx").isEnabled(), true);
    });
  });

  await t.test("the department's home page: its cards with the API's figures, linking to their lists", async (t) => {
    const unconfirmed = await (await dept("/ledger?unconfirmed=true&older_than_days=30&sort=date&limit=5")).json();
    const needs = await (await dept("/needs?sort=queue&status=open&limit=5")).json();
    const projects = (await (await dept("/projects?limit=500")).json()).items;
    const byStage = {};
    for (const p of projects) byStage[p.stage] = (byStage[p.stage] ?? 0) + 1;
    // Presence last month: the first 50 active teams' summaries; disclosures: this year's report.
    const lastMonth = previousMonth(shanghaiToday().slice(0, 7));
    const activeTeams = (await (await dept("/teams?active=true&limit=50")).json()).items;
    assert.ok(activeTeams.length > 0, "the demo has active teams");
    let belowMinimum = 0;
    for (const team of activeTeams) {
      const res = await dept(`/presence/summary?month=${lastMonth}&team_id=${team.id}`);
      assert.equal(res.status, 200);
      belowMinimum += (await res.json()).items.filter((r) => r.days_in_period > 0 && !r.meets_minimum).length;
    }
    const thisYearReport = await (await dept(`/reports/annual?year=${shanghaiToday().slice(0, 4)}`)).json();
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      await page.getByTestId("home-department").waitFor();
      for (const card of ["home-card-funds", "home-card-stages", "home-card-unconfirmed", "home-card-needs", "home-card-pairing", "home-card-presence", "home-card-disclosures"]) await page.getByTestId(card).waitFor();
      await page.getByTestId("home-card-presence-count").getByText(count(belowMinimum), { exact: true }).waitFor();
      if (belowMinimum > 0) assert.equal(await page.getByTestId("home-presence-below").locator("li").count(), Math.min(5, belowMinimum));
      await page.getByTestId("home-card-disclosures-count").getByText(count(thisYearReport.disclosures.overdue), { exact: true }).waitFor();
      assert.equal(await text(page, "home-card-disclosures-due"), count(thisYearReport.disclosures.due));
      assert.equal(await page.getByTestId("home-card-presence-link").getAttribute("href"), "/presence");
      assert.equal(await page.getByTestId("home-card-disclosures-link").getAttribute("href"), "/disclosures/calendar");
      await page.getByTestId("home-card-unconfirmed-count").getByText(count(unconfirmed.total.count), { exact: true }).waitFor();
      await page.getByTestId("home-card-needs-count").getByText(count(needs.total.count), { exact: true }).waitFor();
      for (const [stage, n] of Object.entries(byStage)) assert.equal(await text(page, `home-stage-${stage}`), count(n), stage);
      // Pairing coverage: the latest year with pairings, as the annual report counts it.
      const pairing = page.getByTestId("home-pairing");
      await pairing.waitFor();
      const year = Number(await pairing.getAttribute("data-year"));
      const report = await (await dept(`/reports/annual?year=${year}`)).json();
      assert.ok(report.pairing.households > 0);
      assert.equal(await text(page, "home-pairing-households"), count(report.pairing.households));
      // Funds over the years: the comparison's figures in the table under the chart.
      await page.getByTestId("home-chart-funds").locator("canvas").waitFor();
      const y2019 = (await (await dept("/reports/annual/compare?from=2019&to=2019")).json()).years[0];
      assert.equal(await text(page, "home-funds-2019"), yuan(y2019.funds_received_fen).replace(" 元", ""));
      assert.ok((await overflow(page)) <= 1, "the home page fits 360 px");
      await checkA11y(page, "department home at 360 px");
      await page.getByTestId("home-card-unconfirmed-link").click();
      await page.waitForURL(/\/ledger\?unconfirmed=1/);
      await page.getByTestId("ledger-list").waitFor();
    });
  });

  await t.test("a team's and a committee's home pages: their to-do", async (t) => {
    const team = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
    const me = await (await team("/me")).json();
    const village = me.villages[0];
    const teamNeeds = await (await team(`/needs?sort=queue&status=open&limit=5&village_id=${village.id}`)).json();
    // This month's presence: the cadre's own row of its team's summary, else the team's count below the minimum.
    // A village can have more than one active team: the cadre's row in any of them, else the first team's counts.
    const villageTeams = (await (await team(`/teams?active=true&limit=50&village_id=${village.id}`)).json()).items;
    assert.ok(villageTeams.length > 0, "the demo's village has an active team");
    const monthSummaries = [];
    for (const tm of villageTeams) monthSummaries.push(await (await team(`/presence/summary?month=${shanghaiToday().slice(0, 7)}&team_id=${tm.id}`)).json());
    const ownSummary = monthSummaries.find((s) => s.items.some((r) => r.cadre_id === me.cadre_id));
    const monthSummary = ownSummary ?? monthSummaries[0];
    const ownRow = me.cadre_id == null || !ownSummary ? undefined : ownSummary.items.find((r) => r.cadre_id === me.cadre_id);
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("home-team").waitFor();
      for (const card of ["home-card-village", "home-card-record", "home-card-needs", "home-card-projects"]) await page.getByTestId(card).waitFor();
      await page.getByTestId("home-card-needs-count").getByText(count(teamNeeds.total.count), { exact: true }).waitFor();
      await page.getByTestId("home-card-projects-count").waitFor();
      await page.getByTestId("home-card-presence").waitFor();
      if (ownRow) {
        await page.getByTestId("home-card-presence-mine").getByText(count(ownRow.days_in_village), { exact: true }).waitFor();
      } else {
        const current = monthSummary.items.filter((r) => r.days_in_period > 0);
        const below = current.filter((r) => !r.meets_minimum).length;
        await page.getByTestId("home-card-presence-count").getByText(count(below), { exact: true }).waitFor();
        assert.equal(await text(page, "home-card-presence-meets"), count(current.length - below));
      }
      assert.equal(await page.getByTestId("home-card-presence-link").getAttribute("href"), "/presence");
      assert.equal(await text(page, "home-village"), village.name + (village.name_bo ? ` ${village.name_bo}` : "").trimEnd() || village.name);
      assert.ok((await overflow(page)) <= 1, "the to-do fits 360 px");
      await checkA11y(page, "team home");
      await page.getByTestId("home-record-new").click();
      await page.waitForURL(/\/ledger\/new/);
    });
    const committee = await apiLogin(server.baseUrl, "committee_magada", server.demoPassword);
    const pending = await (await committee("/ledger?unconfirmed=true&sort=date&limit=500")).json();
    assert.ok(pending.items.length > 0, "the demo has entries waiting for the committee");
    const committeeMe = await (await committee("/me")).json();
    const committeeVillage = committeeMe.villages[0].id;
    const villageFilter = committeeMe.villages.length === 1 ? `&village_id=${committeeVillage}` : "";
    const inProgress = await (await committee(`/decisions?status=in_progress&sort=raised&limit=5${villageFilter}`)).json();
    const calendar = await (await committee(`/disclosures/calendar?village_id=${committeeVillage}&year=${shanghaiToday().slice(0, 4)}`)).json();
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "committee_magada", server.demoPassword);
      await page.getByTestId("home-committee").waitFor();
      await page.getByTestId("home-card-confirm-count").getByText(count(pending.total?.count ?? pending.items.length), { exact: true }).waitFor();
      await page.getByTestId("home-card-decisions-count").getByText(count(inProgress.total?.count ?? inProgress.items.length), { exact: true }).waitFor();
      assert.equal(await page.getByTestId("home-card-decisions").locator("li").count(), inProgress.items.length);
      await page.getByTestId("home-card-disclosures-count").getByText(count(calendar.overdue), { exact: true }).waitFor();
      assert.equal(await text(page, "home-card-disclosures-due"), count(calendar.due));
      assert.equal(await page.getByTestId("home-card-decisions-link").getAttribute("href"), "/decisions");
      assert.equal(await page.getByTestId("home-card-disclosures-link").getAttribute("href"), "/disclosures/calendar");
      await checkA11y(page, "committee home");
      await page.getByTestId("home-card-confirm-link").click();
      await page.waitForURL(/\/ledger\/pending$/);
    });
  });

  await t.test("the regional office has no report in its menu and the API refuses it", async () => {
    const regional = await apiLogin(server.baseUrl, "regional", server.demoPassword);
    assert.equal((await regional("/reports/annual?year=2019")).status, 403);
  });
});
