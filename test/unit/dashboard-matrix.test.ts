/**
 * The dashboard in Debian's chromium against a fake serve (no Docker): the matrix, readability at
 * 1280x800, hostile names as text, the filter and the cell popover.
 */
import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, openDashboard } from "../support/browser.js";
import { type FakeApi, fakeApi, fleetOf } from "../support/dashboard-fake-api.js";

const HOSTILE = "<img src=x onerror=alert(1)>";
const SCRIPT = "<script>globalThis.pwned = 1</script>";
let browser: Browser | null = null;
let api: FakeApi;

before(async () => {
  const fleet = fleetOf(30);
  fleet.customers[3]!.name = HOSTILE;
  for (const s of fleet.servers.filter((s) => s.customer === "cust-03")) s.customerName = HOSTILE;
  fleet.servers.find((s) => s.customer === "cust-03")!.tools = [HOSTILE, SCRIPT];
  fleet.project = "<b>proj</b>";
  const broken = fleet.servers.find((s) => s.customer === "cust-05" && s.type === "genesys")!;
  Object.assign(broken, {
    health: "unhealthy",
    verdict: "failing",
    ok: false,
    latencyMs: null,
    tools: [],
    error: `MCP initialize failed: <b>${HOSTILE}</b>`,
    restarts: 4,
  });
  // cust-07 has no genesys server: its cell says so, and has no popover.
  fleet.customers[7]!.mcp_types = ["grafana", "alertmanager"];
  fleet.servers = fleet.servers.filter((s) => !(s.customer === "cust-07" && s.type === "genesys"));
  api = await fakeApi(fleet);
});
after(async () => {
  await browser?.close();
  await api.close();
});

test("the matrix: 30 customers x 3 types, state and health as words, readable at 1280x800", async (t) => {
  browser = await launchBrowser(t);
  if (!browser) return;
  const { page, errors } = await openDashboard(browser, api.url);
  await page.locator("#rows tr").nth(29).waitFor();
  assert.deepEqual(await page.locator("thead th").allTextContents(), ["Customer", "grafana", "alertmanager", "genesys"]);
  assert.equal(await page.locator("#rows tr").count(), 30);
  assert.equal(await page.locator("#rows td.cell").count(), 90);
  const first = page.locator("#rows tr").first().locator("td.cell").first();
  assert.equal(await first.getAttribute("data-tone"), "ok");
  assert.match((await first.locator("button").textContent()) ?? "", /running.*healthy.*ms · 2 tools/);
  const broken = page.locator("#rows tr").nth(5).locator("td.cell").nth(2);
  assert.equal(await broken.getAttribute("data-tone"), "bad");
  // Colour is not the only carrier: the cell says it in words.
  assert.match((await broken.locator("button").textContent()) ?? "", /running.*unhealthy.*\u2013 tools/);
  assert.equal(
    await page
      .locator("#live")
      .textContent()
      .then((s) => s?.trim()),
    "live",
  );
  assert.equal(await page.locator("#count").textContent(), "30 of 30 customers");
  // Readable: nothing scrolls sideways, and no text is smaller than 12px.
  // The page's globals, untyped: the tests compile without the DOM library.
  const layout = await page.evaluate(() => {
    const { document, getComputedStyle } = globalThis as any;
    const sizes = [...document.querySelectorAll("td, th, button, span")].map((e: unknown) => Number.parseFloat(getComputedStyle(e).fontSize));
    return { scrollWidth: document.documentElement.scrollWidth as number, smallest: Math.min(...sizes) };
  });
  assert.ok(layout.scrollWidth <= 1280, `page scrolls sideways: ${layout.scrollWidth}px`);
  assert.ok(layout.smallest >= 12, `text at ${layout.smallest}px`);
  assert.deepEqual(errors, []);
  await page.close();
});

test("a hostile customer name and error text render as text, never as markup", async (t) => {
  if (!browser) return t.skip("no browser");
  const { page, errors } = await openDashboard(browser, api.url);
  const row = page.locator("#rows tr").nth(3);
  await row.waitFor();
  assert.equal(await row.locator(".name").textContent(), HOSTILE);
  assert.equal(await page.locator("#project").textContent(), "project <b>proj</b>");
  const cell = row.locator("td.cell").first();
  await cell.hover();
  assert.deepEqual(await cell.locator(".pop .tools li").allTextContents(), [HOSTILE, SCRIPT]);
  assert.equal(await page.locator("body img, body b, body script").count(), 0, "markup from the API became elements");
  assert.equal(await page.evaluate(() => (globalThis as any).pwned), undefined);
  await page.locator("#rows tr").nth(5).locator("td.cell").nth(2).hover();
  assert.equal(await page.locator("#rows tr").nth(5).locator(".pop .error").textContent(), `Last error: MCP initialize failed: <b>${HOSTILE}</b>`);
  assert.equal(await page.locator("body img, body b, body script").count(), 0);
  assert.deepEqual(errors, []);
  await page.close();
});

test("the filter matches customer name, id and type", async (t) => {
  if (!browser) return t.skip("no browser");
  const { page } = await openDashboard(browser, api.url);
  await page.locator("#rows tr").nth(29).waitFor();
  const visible = () => page.locator("#rows tr:not([hidden]) .id").allTextContents();
  await page.fill("#filter", "Customer 2");
  assert.deepEqual(await visible(), [
    "cust-02",
    "cust-20",
    "cust-21",
    "cust-22",
    "cust-23",
    "cust-24",
    "cust-25",
    "cust-26",
    "cust-27",
    "cust-28",
    "cust-29",
  ]);
  assert.equal(await page.locator("#count").textContent(), "11 of 30 customers");
  await page.fill("#filter", "CUST-07");
  assert.deepEqual(await visible(), ["cust-07"]);
  await page.fill("#filter", "genesys");
  const withGenesys = await visible();
  assert.equal(withGenesys.length, 29);
  assert.ok(!withGenesys.includes("cust-07"), "cust-07 has no genesys server");
  await page.fill("#filter", "no such thing");
  assert.deepEqual(await visible(), []);
  assert.equal(await page.locator("#empty").isVisible(), true);
  await page.fill("#filter", "");
  assert.equal((await visible()).length, 30);
  await page.close();
});

test("a cell's popover: tool names and last error, on hover, on click and from the keyboard", async (t) => {
  if (!browser) return t.skip("no browser");
  const { page } = await openDashboard(browser, api.url);
  const cell = page.locator("#rows tr").nth(1).locator("td.cell").first();
  await cell.waitFor();
  const pop = cell.locator(".pop");
  assert.equal(await pop.isVisible(), false);
  await cell.hover();
  await pop.waitFor({ state: "visible" });
  assert.deepEqual(await pop.locator(".tools li").allTextContents(), ["grafana_search", "grafana_get"]);
  assert.match((await pop.locator(".facts").textContent()) ?? "", /MCP 2026-07-28/);
  assert.equal(await pop.locator(".label").last().textContent(), "No error");
  await page.mouse.move(5, 5);
  await pop.waitFor({ state: "hidden" });
  // Click pins it open after the pointer leaves.
  await cell.locator("button").click();
  await page.mouse.move(5, 5);
  assert.equal(await cell.locator("button").getAttribute("aria-expanded"), "true");
  assert.equal(await pop.isVisible(), true);
  await cell.locator("button").click();
  assert.equal(await cell.locator("button").getAttribute("aria-expanded"), "false");
  await page.mouse.move(5, 5);
  await page.locator("#filter").focus();
  await pop.waitFor({ state: "hidden" });
  const none = page.locator("#rows tr").nth(7).locator("td.cell").nth(2);
  assert.equal(await none.textContent(), "not configured");
  await none.hover();
  assert.equal(await none.locator(".pop").isVisible(), false);
  // Keyboard: Tab reaches a cell, focus shows the popover, Escape hides it.
  await page.locator("#rows tr").first().locator(".stop").focus();
  await page.keyboard.press("Tab");
  const focused = page.locator("#rows tr").first().locator("td.cell").first();
  assert.equal(await focused.locator("button").evaluate((b) => b === (globalThis as any).document.activeElement), true);
  await focused.locator(".pop").waitFor({ state: "visible" });
  assert.equal(await focused.locator("button").getAttribute("aria-describedby"), await focused.locator(".pop").getAttribute("id"));
  await page.keyboard.press("Escape");
  await focused.locator(".pop").waitFor({ state: "hidden" });
  await page.close();
});
