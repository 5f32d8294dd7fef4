// Tibetan names render on devices without a Tibetan font: the app serves its own (the Tibetan block
// of Noto Serif Tibetan), fetched only by pages that show Tibetan — never by the login page.
//
// The browser runs with a fontconfig that hides every system font with "Tibetan" in its file name,
// so it is a device without one (checked: without the web font, each Tibetan code point is its own
// empty box), and the name on the page is measured to be drawn by the web font.
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { startBrowser, startServer, withPage } from "./harness.mjs";

/** A fontconfig file: the system's configuration minus its Tibetan fonts. */
function withoutTibetanFonts(t) {
  const dir = mkdtempSync(join(tmpdir(), "zhucun-fonts-"));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, "fonts.conf");
  writeFileSync(
    file,
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <cachedir>${join(dir, "cache")}</cachedir>
  <selectfont><rejectfont><glob>*Tibetan*</glob></rejectfont></selectfont>
</fontconfig>
`,
  );
  return { FONTCONFIG_FILE: file };
}

const NAME = "མ་དགེ་མདའ།";

const FONT = /\/assets\/noto-serif-tibetan-tibetan-400-normal-[^/]+\.woff2$/;

test("the Tibetan web font loads on a page with Tibetan and not on the login page", async (t) => {
  const server = await startServer(t);
  const browser = await startBrowser(t, { env: withoutTibetanFonts(t) });
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
    await page.getByTestId("village-table").getByText(NAME).waitFor();
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

    // This device has no Tibetan font of its own: with only the system's fonts, a consonant and
    // the consonant with a vowel sign above it are two empty boxes side by side, where a Tibetan
    // font stacks the vowel on the consonant (the width stays that of the consonant).
    const widths = await page.evaluate(() => {
      const measure = (text, family) => {
        const span = document.createElement("span");
        span.style.cssText = `position:absolute;white-space:pre;font-size:40px;font-family:${family}`;
        span.textContent = text;
        document.body.append(span);
        const width = span.getBoundingClientRect().width;
        span.remove();
        return width;
      };
      return {
        systemKa: measure("\u0F40", "sans-serif"),
        systemKi: measure("\u0F40\u0F72", "sans-serif"),
        webKa: measure("\u0F40", '"zhucun Tibetan", sans-serif'),
        webKi: measure("\u0F40\u0F72", '"zhucun Tibetan", sans-serif'),
      };
    });
    assert.ok(widths.systemKi > 1.5 * widths.systemKa, `system fonts draw no Tibetan: ${JSON.stringify(widths)}`);
    assert.ok(Math.abs(widths.webKi - widths.webKa) < 0.2 * widths.webKa, `the web font stacks the vowel: ${JSON.stringify(widths)}`);

    // And the village's name on the list is drawn with the web font, every glyph of it: the
    // browser reports which fonts rendered the text of that element.
    await page.getByTestId("village-table").getByText(NAME).first().evaluate((el) => el.setAttribute("data-font-probe", ""));
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("DOM.enable");
    await cdp.send("CSS.enable");
    const { root } = await cdp.send("DOM.getDocument");
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: "[data-font-probe]" });
    const { fonts: used } = await cdp.send("CSS.getPlatformFontsForNode", { nodeId });
    const tibetanGlyphs = [...NAME].filter((c) => c >= "\u0F00" && c <= "\u0FFF").length;
    assert.ok(used.length > 0 && used.every((f) => f.isCustomFont), `only the web font draws the name: ${JSON.stringify(used)}`);
    assert.ok(
      used.reduce((n, f) => n + f.glyphCount, 0) >= tibetanGlyphs,
      `the web font draws every Tibetan character: ${JSON.stringify(used)}`,
    );
  });
});
