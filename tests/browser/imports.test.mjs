// Excel import in the browser, at 360 px: office_staff goes from the households list to the import
// page, downloads the template, checks a file with an error (the table names the row, the column
// and the problem in Chinese; nothing is written), chooses a corrected file, checks it, commits it
// (确认导入), and finds the rows in the list. axe on the page with the error table.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";
import { xlsx } from "./xlsx.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const HEADINGS = ["村", "户主姓名", "户主藏文姓名", "家庭人口", "家庭成员", "联系电话", "地址", "类别", "监测类型", "类别起始日期", "致贫原因", "备注"];
const row = (name, members) => ["马格达村", name, "", members, "", "", "五组", "脱贫户", "", "2020-12-01", "因病", ""];

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

test("imports", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const call = await apiLogin(server.baseUrl, "office_staff", server.demoPassword);
  const count = async () => (await (await call(`/households?limit=500&q=${encodeURIComponent("浏览器导入")}`)).json()).items.length;

  await t.test("template, a file with an error, then a good file committed", async (t) => {
    await withPage(t, browser, { ...PHONE, acceptDownloads: true }, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword, { path: "/households" });
      await page.getByTestId("import-households").click();
      await page.getByTestId("page-title").getByText("导入农牧户").waitFor();

      const download = page.waitForEvent("download");
      await page.getByTestId("import-template").click();
      const file = await download;
      assert.match(file.suggestedFilename(), /农牧户导入模板\.xlsx$/);

      const bad = xlsx([HEADINGS, row("浏览器导入甲", "4"), row("浏览器导入乙", "0")]);
      await page.getByTestId("import-file").setInputFiles({ name: "bad.xlsx", mimeType: "application/octet-stream", buffer: bad });
      await page.getByTestId("import-file-name").getByText("bad.xlsx").waitFor();
      await page.getByTestId("import-check").click();
      const errors = page.getByTestId("import-errors");
      await errors.waitFor();
      await errors.getByText("家庭人口").waitFor();
      await errors.getByText("必须在 1 到 50 之间").waitFor();
      await errors.locator("td", { hasText: /^3$/ }).first().waitFor();
      assert.equal(await page.getByTestId("import-commit").count(), 0, "no commit while rows have errors");
      assert.ok((await overflow(page)) <= 1, "the page fits 360 px");
      await checkA11y(page, "import errors at 360 px");
      assert.equal(await count(), 0, "a check writes nothing");

      const good = xlsx([HEADINGS, row("浏览器导入甲", "4"), row("浏览器导入乙", "2")]);
      await page.getByTestId("import-file").setInputFiles({ name: "good.xlsx", mimeType: "application/octet-stream", buffer: good });
      await page.getByTestId("import-check").click();
      await page.getByTestId("import-counts").getByText("新建 2").waitFor();
      await page.getByTestId("import-commit").click();
      await page.getByTestId("import-done").waitFor();
      assert.equal(await count(), 2);
      await page.getByTestId("import-done").getByRole("link").click();
      await page.getByTestId("page-title").getByText("农牧户").waitFor();
      await page.goto(`${server.baseUrl}/households?q=${encodeURIComponent("浏览器导入")}`);
      await page.getByText("浏览器导入乙").first().waitFor();
      await page.getByText("浏览器导入甲").first().waitFor();
    });
  });
});
