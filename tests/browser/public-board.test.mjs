// The village's public disclosure board (村务公开栏) without logging in, on a 360 px phone: the
// village's names in Chinese and Tibetan, published disclosures (a draft never), a withdrawn one
// shown as withdrawn with its reason, more pages on demand, no login asked, nothing wider than the
// screen, and axe finds nothing.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, startBrowser, startServer, withPage } from "./harness.mjs";

test("the public board reads on a phone without login", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const admin = await apiLogin(server.baseUrl, "admin", server.adminPassword);
  const villages = await (await admin(`/villages?q=${encodeURIComponent("马格达村")}`)).json();
  const magada = villages.items[0].id;
  // A disclosure published then withdrawn by the committee, behind the page's back.
  const committee = await apiLogin(server.baseUrl, "committee_magada", server.demoPassword);
  const created = await committee("/disclosures", {
    method: "POST",
    body: JSON.stringify({
      village_id: magada,
      category: "general",
      title: "浏览器测试撤回的公开",
      body: "这段文字撤回后不再显示",
      period_from: "2020-01-01",
      period_to: "2020-03-31",
    }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const { id } = await created.json();
  assert.equal((await committee(`/disclosures/${id}/publication`, { method: "POST", headers: { "If-Match": '"1"' } })).status, 200);
  const withdrawn = await committee(`/disclosures/${id}/withdrawal`, {
    method: "POST",
    headers: { "If-Match": '"2"' },
    body: JSON.stringify({ reason: "数字有误，更正后重新公开" }),
  });
  assert.equal(withdrawn.status, 200);

  await withPage(t, browser, { viewport: { width: 360, height: 740 } }, async (page) => {
    const apiCalls = [];
    page.on("request", (req) => {
      if (req.url().includes("/api/v1/")) apiCalls.push({ url: req.url(), auth: req.headers()["authorization"] });
    });
    await page.goto(`${server.baseUrl}/public/villages/${magada}`);
    const board = page.getByTestId("public-board");
    await board.getByRole("heading", { level: 1 }).getByText("马格达村村务公开栏").waitFor();
    await board.getByText("མ་དགེ་མདའ།").waitFor();
    assert.ok(page.url().endsWith(`/public/villages/${magada}`), "no login asked");
    await page.getByTestId("board-item").first().waitFor();
    // The first page (20), then the rest on demand; as many as the API says the board has.
    const total = (await (await fetch(`${server.baseUrl}/api/v1/public/villages/${magada}/disclosures`)).json()).total.count;
    assert.ok(total > 10, `${total}`);
    const first = await page.getByTestId("board-item").count();
    assert.equal(first, Math.min(20, total));
    if (total > 20) {
      await page.getByTestId("board-more").click();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="board-item"]').length > n, first);
    } else {
      assert.equal(await page.getByTestId("board-more").count(), 0);
    }
    // The withdrawn one: its reason, not its text; the demo's draft is nowhere.
    const item = page.getByTestId("board-item").filter({ hasText: "浏览器测试撤回的公开" });
    await item.getByText("已撤回").waitFor();
    await item.getByText("数字有误，更正后重新公开").waitFor();
    const text = await board.innerText();
    assert.ok(!text.includes("这段文字撤回后不再显示"));
    assert.ok(!text.includes("马格达村村务公开草稿"));
    assert.ok(text.includes("财务公开"), "finance disclosures are on the board");
    // Nothing wider than the phone.
    const width = await page.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 360, `page is ${width}px wide`);
    // Only the public endpoints, never with a token.
    assert.ok(apiCalls.length >= 1);
    for (const call of apiCalls) {
      assert.match(call.url, /\/api\/v1\/public\//);
      assert.equal(call.auth, undefined);
    }
    await checkA11y(page, "public board");
    // An unknown village says so.
    await page.goto(`${server.baseUrl}/public/villages/999999`);
    await page.getByTestId("board-failure").getByText("没有这个村庄的公开栏").waitFor();
  });
});
