// WCAG 2.2 AA: axe-core on every page of the app (serious and critical findings fail), at desktop
// and at 360 px phone width (no horizontal scrolling), with the page's h1 focused after navigating.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

async function pages(server) {
  const call = await apiLogin(server.baseUrl, "admin", server.adminPassword);
  const village = (await (await call("/villages?limit=1")).json()).items[0];
  const team = (await (await call("/teams?limit=1")).json()).items[0];
  const round = (await (await call("/rounds?limit=1")).json()).items[0];
  const cadre = (await (await call("/cadres?limit=1")).json()).items[0];
  const office = (await (await call("/offices?limit=1")).json()).items[0];
  const user = (await (await call("/users?limit=1")).json()).items[0];
  const household = (await (await call("/households?limit=1")).json()).items[0];
  const project = (await (await call("/projects?limit=1")).json()).items[0];
  const coop = (await (await call("/cooperatives?limit=1")).json()).items[0];
  const need = (await (await call("/needs?limit=1")).json()).items[0];
  return [
    "/villages",
    `/villages/${village.id}`,
    "/villages/new",
    `/villages/${village.id}/edit`,
    `/villages/${village.id}/surveys/compare`,
    "/households",
    `/households/${household.id}`,
    "/pairings/coverage",
    "/projects",
    `/projects/${project.id}`,
    "/ledger",
    "/cooperatives",
    `/cooperatives/${coop.id}`,
    "/activities",
    "/activities/summary?year=2019",
    `/needs?village=${need.village_id}`,
    "/needs/overview",
    "/needs/overview?status=resolved",
    "/presence",
    `/teams/${team.id}/handover`,
    "/reports/annual?year=2019",
    `/reports/annual?year=2019&village=${village.id}`,
    "/rounds",
    "/rounds/new",
    `/rounds/${round.id}/edit`,
    "/teams",
    `/teams/${team.id}`,
    "/teams/new",
    "/cadres",
    `/cadres/${cadre.id}/edit`,
    "/users",
    `/users/${user.id}/edit`,
    "/offices",
    `/offices/${office.id}/edit`,
    "/audit",
    "/outbox",
    "/no-such-page",
  ];
}

/** Visits each path and collects every problem, so one run reports all pages at once. */
async function visitAll(page, server, paths, phone) {
  const problems = [];
  for (const path of paths) {
    await page.goto(`${server.baseUrl}${path}`);
    try {
      await page.locator("h1").first().waitFor();
    } catch {
      problems.push(`${path}: no h1`);
      continue;
    }
    // Wait for the page's data (no spinner left) before judging it.
    await page.waitForFunction(() => document.querySelectorAll(".ant-spin-spinning").length === 0);
    await checkA11y(page, path).catch((error) => problems.push(error.message));
    if (phone) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      if (overflow > 1) problems.push(`${path} is ${overflow}px wider than a 360 px screen`);
    }
  }
  assert.deepEqual(problems, []);
}

test("every page passes axe (WCAG 2.2 AA) and fits a 360 px phone", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const paths = await pages(server);

  await t.test("login page", async (t) => {
    await withPage(t, browser, { viewport: { width: 360, height: 740 }, isMobile: true }, async (page) => {
      await page.goto(`${server.baseUrl}/login`);
      await page.getByTestId("login-submit").waitFor();
      await checkA11y(page, "/login");
      // The login page loads no antd: it is plain HTML.
      assert.equal(await page.locator("[class^='ant-'], [class*=' ant-']").count(), 0);
    });
  });

  await t.test("desktop", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword);
      await visitAll(page, server, paths, false);
    });
  });

  await t.test("360 px phone", async (t) => {
    await withPage(t, browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword);
      await visitAll(page, server, paths, true);
    });
  });

  await t.test("focus moves to the page heading after navigation; focus is visible", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword);
      await page.getByTestId("nav-rounds").click();
      await page.getByTestId("page-title").getByText("驻村批次", { exact: true }).waitFor();
      await page.waitForFunction(() => document.activeElement?.tagName === "H1");
      // Tab to the next link and check it draws an outline.
      await page.keyboard.press("Tab");
      const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
      assert.notEqual(outline, "none");
      // Icon-only buttons have names.
      await page.getByRole("button", { name: "修改密码" }).waitFor();
    });
  });
});
