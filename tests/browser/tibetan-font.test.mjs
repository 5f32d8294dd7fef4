// Tibetan names render on devices without a Tibetan font: the app serves its own (the Tibetan block
// of Noto Serif Tibetan), fetched only by pages that show Tibetan — never by the login page.
import assert from "node:assert/strict";
import { test } from "node:test";
import { startBrowser, startServer, withPage } from "./harness.mjs";

const FONT = /\/assets\/noto-serif-tibetan-tibetan-400-normal-[^/]+\.woff2$/;

test("the Tibetan web font loads on a page with Tibetan and not on the login page", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  // Service workers blocked: every font request is seen here, none answered from a cache.
  await withPage(t, browser, { viewport: { width: 360, height: 740 }, serviceWorkers: "block" }, async (page) => {
    const fonts = [];
    page.on("response", (res) => {
      if (FONT.test(new URL(res.url()).pathname)) fonts.push(res);
    });
    await page.goto(`${server.baseUrl}/login`);
    await page.getByTestId("login-submit").waitFor();
    await page.waitForLoadState("networkidle");
    assert.equal(fonts.length, 0, "the login page shows no Tibetan and must not fetch the font");

    const fontResponse = page.waitForResponse((res) => FONT.test(new URL(res.url()).pathname));
    await page.getByTestId("login-username").fill("admin");
    await page.getByTestId("login-password").fill(server.adminPassword);
    await page.getByTestId("login-submit").click();
    await page.getByTestId("user-name").waitFor();
    await page.goto(`${server.baseUrl}/villages`);
    // The villages' names in Tibetan script are on the list.
    await page.getByTestId("village-table").getByText("མ་དགེ་མདའ།").waitFor();
    const res = await fontResponse;
    assert.equal(res.status(), 200);
    assert.match(res.headers()["content-type"] ?? "", /font\/woff2/);
    // Fetched once per device: a hashed asset, cached for good.
    assert.match(res.headers()["cache-control"] ?? "", /immutable/);
    // The face is loaded (the entry CSS may be declared twice: inline in index.html and as the
    // stylesheet a lazy chunk lists; both name the same file).
    await page.waitForFunction(() =>
      [...document.fonts].some((f) => f.family.replace(/"/g, "") === "zhucun Tibetan" && f.status === "loaded"),
    );
  });
});
