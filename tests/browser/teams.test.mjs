import assert from "node:assert/strict";
import { test } from "node:test";
import { apiLogin, login, startBrowser, startServer, withPage } from "./harness.mjs";

test("admin adds a team member and changes the leader flag and dates", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t);
  const call = await apiLogin(server.baseUrl, "admin", server.adminPassword);
  // A new cadre who is in no team yet.
  const created = await call("/cadres", {
    method: "POST",
    headers: { "Idempotency-Key": crypto.randomUUID() },
    body: JSON.stringify({ name: "测试干部甲", position: "科员" }),
  });
  assert.equal(created.status, 201, await created.clone().text());
  const teams = await (await call("/teams?limit=1")).json();
  const team = teams.items[0];
  assert.ok(team, "the demo data has a team");
  const round = await (await call(`/rounds/${team.round_id}`)).json();
  const from = round.starts_on; // YYYY-MM-DD, inside the round

  await withPage(t, browser, { viewport: { width: 1280, height: 900 } }, async (page) => {
    await login(page, server.baseUrl, "admin", server.adminPassword, { path: `/teams/${team.id}` });
    const members = page.getByTestId("team-members");
    await members.locator("tr.ant-table-row").first().waitFor();
    const before = await members.locator("tr.ant-table-row").count();

    await page.getByTestId("member-add").click();
    const form = page.getByTestId("member-form");
    await form.getByTestId("field-cadre_id").click();
    await page.keyboard.type("测试干部甲");
    await page.locator(".ant-select-item-option", { hasText: "测试干部甲" }).click();
    await form.getByTestId("field-from_date").click();
    await form.getByTestId("field-from_date").fill(from);
    // Enter in the date field takes the typed date and submits the form.
    await form.getByTestId("field-from_date").press("Enter");
    const row = members.locator("tr.ant-table-row", { hasText: "测试干部甲" });
    await row.waitFor();
    assert.equal(await members.locator("tr.ant-table-row").count(), before + 1);
    await row.getByText(from.replaceAll("-", "/")).waitFor();

    // Make them leader.
    await row.getByRole("button", { name: "编辑" }).click();
    const dialog = page.getByRole("dialog", { name: "修改队员" });
    await dialog.waitFor();
    const leader = dialog.getByTestId("field-is_leader");
    await leader.check();
    assert.equal(await leader.isChecked(), true);
    await dialog.getByTestId("form-save").click();
    await row.locator(".ant-tag", { hasText: "队长" }).waitFor();
    await dialog.waitFor({ state: "hidden" });
  });
});
