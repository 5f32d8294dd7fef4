import assert from "node:assert/strict";
import { test } from "node:test";
import { login, startBrowser, startServer, withPage } from "./harness.mjs";

const ADMIN_MENU = ["users", "offices", "cadres", "villages", "rounds", "teams", "audit", "apiClients"];

test("scoped users see only their village", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);

  await t.test("a team user sees only their village and no admin menu", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("user-role").getByText("驻村工作队").waitFor();
      await page.getByTestId("user-villages").getByText("马格达村").waitFor();
      // Lands on its to-do; its village is one click away.
      await page.getByTestId("home-team").waitFor();
      await page.getByTestId("home-village").first().click();
      await page.getByTestId("village-title").getByText("马格达村").waitFor();
      const nav = page.getByTestId("nav");
      assert.deepEqual(await nav.getByTestId("nav-village").allTextContents(), ["马格达村"]);
      for (const key of ADMIN_MENU) assert.equal(await page.getByTestId(`nav-${key}`).count(), 0, `menu item ${key}`);
      // The admin pages are refused in the SPA.
      await page.goto(`${server.baseUrl}/users`);
      await page.getByTestId("forbidden").waitFor();
      // Another village is refused by the server.
      await page.goto(`${server.baseUrl}/villages`);
      await page.getByTestId("forbidden").waitFor();
    });
  });

  await t.test("a committee user sees only their village, also at 360 px", async (t) => {
    await withPage(t, browser, { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true }, async (page) => {
      await login(page, server.baseUrl, "committee_xiadi", server.demoPassword);
      await page.getByTestId("user-role").getByText("村委会").waitFor();
      await page.getByTestId("user-department").getByText("西藏自治区财政厅").waitFor();
      await page.getByTestId("user-villages").getByText("下地村").waitFor();
      await page.getByTestId("home-committee").waitFor();
      await page.getByTestId("home-village").first().click();
      await page.getByTestId("village-title").getByText("下地村").waitFor();
      // The page fits the phone's width.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 1, `page is ${overflow}px wider than the screen`);
      // Navigation lives in a drawer on small screens.
      await page.getByTestId("menu-button").click();
      const nav = page.getByTestId("nav");
      await nav.waitFor();
      assert.deepEqual(await nav.getByTestId("nav-village").allTextContents(), ["下地村"]);
      for (const key of ADMIN_MENU) assert.equal(await page.getByTestId(`nav-${key}`).count(), 0, `menu item ${key}`);
    });
  });

  await t.test("the regional office lands on the statistics", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "regional", server.demoPassword);
      await page.getByTestId("stats-table-departments").waitFor();
      assert.equal(await page.getByTestId("nav-villages").count(), 0);
    });
  });

  await t.test("the language can be switched to English and is remembered", async (t) => {
    await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      await page.getByTestId("user-role").getByText("厅机关").waitFor();
      // One button naming the other language, in that language.
      assert.equal(await page.getByTestId("language").getAttribute("lang"), "en");
      await page.getByTestId("language").getByText("English").click();
      await page.getByTestId("user-role").getByText("Department staff").waitFor();
      await page.reload();
      await page.getByTestId("user-role").getByText("Department staff").waitFor();
      assert.equal(await page.evaluate(() => localStorage.getItem("zhucun.lang")), "en");
      await page.getByTestId("language").getByText("中文").click();
      await page.getByTestId("user-role").getByText("厅机关").waitFor();
    });
  });
});
