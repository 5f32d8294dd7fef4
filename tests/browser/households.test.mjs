// Households (农牧户) in the browser: a team member on a phone finds a household by its Chinese and
// by its Tibetan name, changes its category and sees the history, fills this year's checklist and
// gets the ID-number refusal in Chinese; an admin sees no phone; the village committee sees its
// households without pairings or assistance.
import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, checkA11y, login, startBrowser, startServer, withPage } from "./harness.mjs";

const PHONE = { viewport: { width: 360, height: 740 }, isMobile: true, hasTouch: true };
const DESKTOP = { viewport: { width: 1280, height: 900 } };
/** Today in Beijing (the server's and the SPA's day). */
const TODAY = new Intl.DateTimeFormat("en-CA", { timeZone: "Asia/Shanghai", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
const THIS_YEAR = Number(TODAY.slice(0, 4));

async function overflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

/** Client-side navigation without reloading the app (the outbox runner keeps running). */
async function go(page, path) {
  await page.evaluate((p) => {
    window.history.pushState({}, "", p);
    window.dispatchEvent(new PopStateEvent("popstate"));
  }, path);
}

/** Waits until every card of the list (at least one) names `text` (the previous page's cards stay while the next loads). */
async function onlyCardsWith(page, text, selector = '[data-testid="household-link"]') {
  await page.waitForFunction(
    ([sel, want]) => {
      const cards = [...document.querySelectorAll(sel)];
      return cards.length > 0 && cards.every((c) => (c.textContent ?? "").includes(want));
    },
    [selector, text],
  );
}

const OPEN_DROPDOWN = ".ant-select-dropdown:not(.ant-select-dropdown-hidden)";

/**
 * Picks an option of the antd Select with this test id and waits for the list to close (axe
 * judges the page as the user sees it afterwards; a multiple choice stays open until Escape).
 */
async function choose(page, scope, testId, option) {
  const select = scope.getByTestId(testId);
  // A click can land while the dropdown is still sliding in and miss the option: check that the
  // choice shows in the field, and try again if it does not.
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await page.locator(`${OPEN_DROPDOWN} .ant-select-item-option`, { hasText: option }).first().click();
    await closed(page);
    if ((await select.locator(".ant-select-selection-item", { hasText: option }).count()) > 0) return;
    if (attempt === 3) throw new Error(`${option} was not chosen in ${testId}`);
  }
}

async function closed(page) {
  if (await page.locator(OPEN_DROPDOWN).count()) await page.keyboard.press("Escape");
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((e) => e.getBoundingClientRect().height === 0), OPEN_DROPDOWN);
}

/** A household of the team's village with a Tibetan name and a phone, through the API. */
async function householdWithPhone(server, user = "team_magada") {
  const call = await apiLogin(server.baseUrl, user, server.demoPassword);
  const list = await (await call(`/households?limit=500`)).json();
  const household = list.items.find((h) => h.head_name_bo && h.phone && h.category === "lifted");
  assert.ok(household, "a lifted household with a phone and a Tibetan name");
  return { call, household };
}

test("households", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);

  await t.test("a team member finds a household by Chinese and Tibetan text, changes its category and fills the checklist at 360 px", async (t) => {
    const { call, household } = await householdWithPhone(server);
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("home-village").first().click();
      await page.getByTestId("village-title").getByText("马格达村").waitFor();
      await page.getByTestId("menu-button").click();
      await page.getByTestId("nav-households").click();
      const list = page.getByTestId("household-list");
      await list.getByTestId("household-card").first().waitFor();
      assert.ok((await overflow(page)) <= 1, "list fits 360 px");

      // By the Chinese name.
      const searchBox = page.getByTestId("household-search");
      await searchBox.fill(household.head_name);
      await searchBox.press("Enter");
      await page.waitForURL(/q=/);
      await onlyCardsWith(page, household.head_name);

      // By a part of the Tibetan name.
      const syllable = household.head_name_bo.split("་")[0];
      await searchBox.fill(syllable);
      await searchBox.press("Enter");
      await page.waitForURL((url) => url.searchParams.get("q") === syllable);
      await onlyCardsWith(page, syllable, '[data-testid="household-link"] [lang="bo"]');
      const card = list.getByTestId("household-card").filter({ hasText: household.head_name }).first();
      await checkA11y(page, "households list searched in Tibetan");
      await card.getByTestId("household-link").click();

      await page.waitForURL(new RegExp(`/households/${household.id}$`));
      const title = page.getByTestId("household-title");
      await title.getByText(household.head_name).waitFor();
      assert.equal(await title.locator('[lang="bo"]').textContent(), household.head_name_bo);
      await page.getByTestId("household-phone").getByText(household.phone).waitFor();
      await page.getByTestId("household-category").getByText("脱贫户").waitFor();
      assert.ok((await overflow(page)) <= 1, "household page fits 360 px");

      // Change the category: the monitoring type appears only for 监测户.
      const history = page.getByTestId("household-history");
      const before = await history.getByTestId("history-entry").count();
      await history.getByTestId("category-change").click();
      const form = page.getByTestId("category-form");
      assert.equal(await form.getByTestId("field-monitoring_type").count(), 0);
      await choose(page, form, "field-category", "监测户");
      await form.getByTestId("field-monitoring_type").waitFor();
      // Without a monitoring type the form refuses before sending.
      await form.getByTestId("form-save").click();
      await form.getByText("必填").first().waitFor();
      await choose(page, form, "field-monitoring_type", "突发严重困难户");
      await form.getByTestId("field-note").fill("主要劳动力因病住院");
      await checkA11y(page, "category change form");
      await form.getByTestId("form-save").click();
      await form.waitFor({ state: "detached" });
      await history.getByTestId("history-entry").nth(before).waitFor();
      const newest = history.getByTestId("history-entry").first();
      await newest.getByText("突发严重困难户").waitFor();
      await newest.getByText("当前").waitFor();
      await newest.getByText("主要劳动力因病住院").waitFor();
      await page.getByTestId("household-category").getByText("监测户 · 突发严重困难户").waitFor();

      // This year's checklist (the demo may have one already: then it is replaced with its If-Match):
      // five met, medical not met with a note.
      const check = page.getByTestId("household-check");
      await check.getByTestId("check-edit").click();
      const checkForm = page.getByTestId("check-form");
      for (const item of ["food", "clothing", "education", "housing", "water"]) {
        await checkForm.getByTestId(`check-${item}`).getByText("达标", { exact: true }).click();
      }
      await checkForm.getByTestId("check-medical").getByText("未达标", { exact: true }).click();
      await checkForm.getByTestId("check-medical-note").fill("慢性病签约服务未落实");
      await checkA11y(page, "checklist form");
      await checkForm.getByTestId("form-save").click();
      await checkForm.waitFor({ state: "detached" });
      await check.getByText("1 项未达标").waitFor();
      await check.getByTestId("check-item-medical").getByText("慢性病签约服务未落实").waitFor();
      assert.ok((await overflow(page)) <= 1, "household page fits 360 px after the changes");
    });

    const categories = await (await call(`/households/${household.id}/categories`)).json();
    const last = categories.items.at(-1);
    assert.equal(last.category, "monitored");
    assert.equal(last.monitoring_type, "sudden_hardship");
    assert.equal(last.since, TODAY);
    const checks = await (await call(`/households/${household.id}/checks`)).json();
    const mine = checks.items.filter((c) => c.year === THIS_YEAR);
    assert.equal(mine.length, 1);
    assert.equal(mine[0].unmet, 1);
    assert.equal(mine[0].medical.met, false);
    assert.equal(mine[0].medical.note, "慢性病签约服务未落实");
  });

  await t.test("a team member creates a household; an ID number is refused in Chinese", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "team_magada", server.demoPassword);
      await page.getByTestId("home-village").first().click();
      const section = page.getByTestId("village-households");
      await section.getByTestId("village-household-new").click();
      const form = page.getByTestId("household-form");
      await page.getByTestId("household-village").getByText("马格达村").waitFor();
      await form.getByTestId("field-head_name").fill("次仁卓玛");
      await form.getByTestId("field-head_name_bo").fill("ཚེ་རིང་སྒྲོལ་མ།");
      await form.getByTestId("field-members").fill("5");
      await form.getByTestId("field-phone").fill("13908001234");
      await choose(page, form, "field-category", "建档立卡贫困户");
      await choose(page, form, "field-causes", "因病");
      await form.getByTestId("field-notes").fill("身份证 540102198001011234");
      await form.getByTestId("form-save").click();
      await form.getByText("不能包含身份证号（系统不保存身份证号）").waitFor();
      await checkA11y(page, "household form with the ID-number refusal");
      assert.ok((await overflow(page)) <= 1, "form fits 360 px");
      await form.getByTestId("field-notes").fill("2016年识别为贫困户");
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/households\/\d+$/);
      await page.getByTestId("household-title").getByText("次仁卓玛").waitFor();
      await page.getByTestId("household-category").getByText("建档立卡贫困户").waitFor();
      await page.getByTestId("household-causes").getByText("因病").waitFor();
    });
    const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
    const found = await (await call(`/households?q=${encodeURIComponent("次仁卓玛")}&limit=500`)).json();
    const created = found.items.filter((h) => h.phone === "13908001234");
    assert.equal(created.length, 1);
    assert.equal(created[0].head_name_bo, "ཚེ་རིང་སྒྲོལ་མ།");
    assert.deepEqual(created[0].causes, ["illness"]);
  });

  await t.test("an admin sees the household without phone or member names", async (t) => {
    const { household } = await householdWithPhone(server, "office_staff");
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "admin", server.adminPassword, { path: `/households/${household.id}` });
      await page.getByTestId("household-title").getByText(household.head_name).waitFor();
      await page.getByTestId("household-phone").getByText("不可见").waitFor();
      await page.getByTestId("household-member-names").getByText("不可见").waitFor();
      assert.equal(await page.getByText(household.phone).count(), 0);
      // Admins read: no write buttons.
      assert.equal(await page.getByTestId("household-edit").count(), 0);
      assert.equal(await page.getByTestId("category-change").count(), 0);
      assert.equal(await page.getByTestId("check-edit").count(), 0);
      // Admins read pairings and assistance, without write buttons either.
      await page.getByTestId("household-pairings").waitFor();
      await page.getByTestId("household-assistance").waitFor();
      assert.equal(await page.getByTestId("pairing-add").count(), 0);
      assert.equal(await page.getByTestId("assistance-add").count(), 0);
    });
  });

  await t.test("the village committee sees its village's households, without pairings or assistance", async (t) => {
    await withPage(t, browser, PHONE, async (page) => {
      await login(page, server.baseUrl, "committee_xiadi", server.demoPassword);
      await page.getByTestId("home-village").first().click();
      await page.getByTestId("village-households").getByTestId("village-households-link").click();
      const list = page.getByTestId("household-list");
      await list.getByTestId("household-card").first().waitFor();
      for (const text of await list.getByTestId("household-card").allTextContents()) assert.match(text, /下地村/);
      assert.equal(await page.getByTestId("household-new").count(), 0);
      // Nothing about pairings for the committee, not even the list's filter.
      assert.equal(await page.getByTestId("household-filter-paired").count(), 0);
      await list.getByTestId("household-link").first().click();
      await page.getByTestId("household-history").getByTestId("history-entry").first().waitFor();
      await page.getByTestId("household-check").waitFor();
      assert.equal(await page.getByTestId("household-pairings").count(), 0);
      assert.equal(await page.getByTestId("household-assistance").count(), 0);
      assert.equal(await page.getByTestId("category-change").count(), 0);
      assert.ok((await overflow(page)) <= 1, "household page fits 360 px");
    });
  });

  await t.test("a team member pairs a cadre, then adds assistance offline: 待同步, sent once when back online", async (t) => {
    const call = await apiLogin(server.baseUrl, "team_magada", server.demoPassword);
    const unpaired = await (await call(`/households?paired=false&year=${THIS_YEAR}&category=lifted&limit=1`)).json();
    const household = unpaired.items[0];
    assert.ok(household, "a household without a pairing this year");
    let cadreName;
    await withPage(t, browser, PHONE, async (page) => {
      await page.addInitScript(() => localStorage.setItem("zhucun.outbox.retry_ms", "200"));
      await login(page, server.baseUrl, "team_magada", server.demoPassword, { path: `/households/${household.id}` });
      // The 待同步 page's chunk is fetched once while online (see surveys.test.mjs).
      await go(page, "/outbox");
      await page.getByTestId("outbox-empty").waitFor();
      await go(page, `/households/${household.id}`);
      const pairings = page.getByTestId("household-pairings");
      await pairings.waitFor();
      const before = await pairings.getByTestId("pairing-item").count();
      await pairings.getByTestId("pairing-add").click();
      const form = page.getByTestId("pairing-form");
      assert.equal(await form.getByTestId("field-year").inputValue(), String(THIS_YEAR));
      // A team user may not read /cadres: the choice is among the village's team members and paired cadres.
      await form.getByTestId("field-cadre_id").click();
      const option = page.locator(`${OPEN_DROPDOWN} .ant-select-item-option`).first();
      cadreName = (await option.textContent()).trim();
      await option.click();
      await closed(page);
      await form.getByTestId("field-note").fill("每季度入户一次");
      await checkA11y(page, "pairing form");
      await form.getByTestId("form-save").click();
      await form.waitFor({ state: "detached" });
      await pairings.getByTestId("pairing-item").nth(before).waitFor();
      await pairings.getByTestId("pairing-item").filter({ hasText: String(THIS_YEAR) }).filter({ hasText: cadreName }).waitFor();

      const section = page.getByTestId("household-assistance");
      await section.getByTestId("assistance-add").click();
      const add = page.getByTestId("assistance-form");
      await add.waitFor();
      // Today by default; the form fits the phone.
      assert.equal(await add.getByTestId("field-given_on").inputValue(), TODAY);
      assert.ok((await overflow(page)) <= 1, "assistance form fits 360 px");

      const cdp = await page.context().newCDPSession(page);
      const setOffline = (offline) =>
        cdp.send("Network.emulateNetworkConditions", { offline, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
      await setOffline(true);
      await page.getByTestId("offline-banner").waitFor();
      await add.getByTestId("field-kind").getByText("物资", { exact: true }).click();
      // 元 with three decimals is refused before anything is sent.
      await add.getByTestId("field-amount_fen").fill("456.789");
      await add.getByTestId("field-description").fill("冬季送温暖：棉被两床");
      await add.getByTestId("form-save").click();
      await add.getByText("须为金额（元），最多两位小数，不超过 100 亿元").waitFor();
      await add.getByTestId("field-amount_fen").fill("456.78");
      await add.getByTestId("form-save").click();
      await page.waitForURL(/\/outbox$/);
      const item = page.getByTestId("outbox-item");
      await item.getByTestId("outbox-state").getByText("等待发送").waitFor();
      await item.getByText("帮扶记录").waitFor();
      await checkA11y(page, "outbox with queued assistance");

      await setOffline(false);
      await page.getByTestId("outbox-empty").waitFor({ timeout: 60_000 });
      await go(page, `/households/${household.id}`);
      const entry = section.getByTestId("assistance-item").filter({ hasText: "冬季送温暖：棉被两床" });
      await entry.getByText("456.78 元").waitFor();
      await entry.getByText("物资").waitFor();
      await entry.getByText(cadreName).waitFor();
      assert.ok((await overflow(page)) <= 1, "household page fits 360 px");
      // axe judges the page, not a toast caught half-faded in (its text would read as low contrast).
      await page.locator(".ant-message-notice").last().waitFor({ state: "detached", timeout: 10_000 }).catch(() => undefined);
    });
    const pairings = await (await call(`/pairings?household_id=${household.id}&year=${THIS_YEAR}`)).json();
    assert.equal(pairings.items.length, 1);
    assert.equal(pairings.items[0].note, "每季度入户一次");
    const given = await (await call(`/assistance?household_id=${household.id}&limit=500`)).json();
    const sent = given.items.filter((a) => a.description === "冬季送温暖：棉被两床");
    assert.equal(sent.length, 1, "created exactly once");
    assert.equal(sent[0].amount_fen, 45_678);
    assert.equal(sent[0].kind, "goods");
    assert.equal(sent[0].given_on, TODAY);
    // No cadre chosen: the server took the household's only paired cadre of the year.
    assert.equal(sent[0].cadre_id, pairings.items[0].cadre_id);
  });

  await t.test("the department opens the pairing coverage page and follows a link", async (t) => {
    const call = await apiLogin(server.baseUrl, "office_staff", server.demoPassword);
    const expected = await (await call(`/pairings/coverage?year=${THIS_YEAR}`)).json();
    const in2019 = await (await call(`/pairings/coverage?year=2019`)).json();
    assert.ok(expected.households_unpaired > 0, "the demo has households without a pairing this year");
    await withPage(t, browser, DESKTOP, async (page) => {
      await login(page, server.baseUrl, "office_staff", server.demoPassword);
      await page.getByTestId("nav-pairingCoverage").click();
      const households = page.getByTestId("coverage-households");
      await households.getByTestId("unpaired-household").first().waitFor();
      assert.equal(await households.getByTestId("unpaired-household").count(), expected.unpaired_households.length);
      assert.equal(await page.getByTestId("unpaired-cadre").count(), expected.unpaired_cadres.length);
      await households.getByText(String(expected.households_needing), { exact: true }).first().waitFor();

      // Another year: the list follows.
      const year = page.getByTestId("coverage-year");
      await year.fill("2019");
      await year.press("Enter");
      await page.waitForURL(/year=2019/);
      await households.getByText(String(in2019.households_needing), { exact: true }).first().waitFor();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="unpaired-household"]').length === n, in2019.unpaired_households.length);
      await checkA11y(page, "coverage 2019");

      await year.fill(String(THIS_YEAR));
      await year.press("Enter");
      await page.waitForURL(new RegExp(`year=${THIS_YEAR}`));
      const first = expected.unpaired_households[0];
      await households.getByTestId("unpaired-household").first().waitFor();
      await households.getByRole("link", { name: first.head_name }).first().click();
      await page.waitForURL(/\/households\/\d+#pairings$/);
      await page.getByTestId("household-title").getByText(first.head_name).waitFor();
      await page.getByTestId("household-pairings").waitFor();
      // The department pairs from here too, and corrects the household.
      await page.getByTestId("pairing-add").waitFor();
      await page.getByTestId("household-edit").click();
      const form = page.getByTestId("household-form");
      await form.getByTestId("field-members").fill("7");
      await form.getByTestId("field-notes").fill("2026年核实人口");
      await form.getByTestId("form-save").click();
      await page.waitForURL(/\/households\/\d+$/);
      await page.getByTestId("household-facts").getByText("2026年核实人口").waitFor();
    });
    const first = expected.unpaired_households[0];
    const corrected = await (await call(`/households/${first.id}`)).json();
    assert.equal(corrected.members, 7);
    assert.equal(corrected.version, 2);
  });
});
