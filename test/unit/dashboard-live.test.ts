/**
 * The dashboard stays live in Debian's chromium against a fake serve (no Docker): events change a
 * cell without a reload, a config event refetches the fleet, a dropped stream reconnects, start
 * and stop POST same-origin, and a token-protected serve gets the token once, as a header.
 */
import assert from "node:assert/strict";
import { after, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, openDashboard, until } from "../support/browser.js";
import { fakeApi, fleetOf, server } from "../support/dashboard-fake-api.js";

let browser: Browser | null = null;
after(async () => {
  await browser?.close();
});

test("an SSE event changes its cell without a reload; a config event refetches the fleet", async (t) => {
  browser = await launchBrowser(t);
  if (!browser) return;
  const api = await fakeApi(fleetOf(3));
  try {
    const { page, errors, reloads } = await openDashboard(browser, api.url);
    const cell = page.locator("#rows tr").nth(1).locator("td.cell").nth(1);
    await until(
      "the event stream",
      async () => api.streams(),
      (n) => n === 1,
    );
    await page.locator("#live-word").getByText("live").waitFor();
    assert.equal(await cell.getAttribute("data-tone"), "ok");
    api.push(
      "state",
      server("cust-01", "Customer 1", "alertmanager", 4, {
        state: "exited",
        health: "none",
        verdict: "stopped",
        ok: false,
        latencyMs: null,
        tools: [],
      }),
    );
    api.push("customer", { id: "cust-01", state: "partial" });
    await until(
      "the cell to say exited",
      () => cell.locator(".state").textContent(),
      (s) => s === "exited",
    );
    assert.equal(await cell.getAttribute("data-tone"), "off");
    assert.equal(await page.locator("#rows tr").nth(1).locator(".cstate").textContent(), "partial");
    api.push(
      "probe",
      server("cust-01", "Customer 1", "alertmanager", 4, {
        health: "unhealthy",
        verdict: "failing",
        ok: false,
        latencyMs: null,
        error: "initialize: HTTP 500",
      }),
    );
    await until(
      "the cell to say unhealthy",
      () => cell.locator(".health").textContent(),
      (s) => s === "unhealthy",
    );
    assert.equal(await cell.getAttribute("data-tone"), "bad");
    assert.equal(await cell.locator(".pop .error").textContent(), "Last error: initialize: HTTP 500");
    api.push("customer", { id: "cust-01", state: "running" });
    await until(
      "the customer's state as serve sent it",
      () => page.locator("#rows tr").nth(1).locator(".cstate").textContent(),
      (s) => s === "running",
    );
    // A config reload: the event says so, the page fetches the new fleet (a fourth customer).
    api.fleet = fleetOf(4);
    api.fleet.config = { ok: false, error: "mcp_servers.json: customers[0].id: duplicate id", loadedAt: "" };
    api.push("config", { ok: false, error: "mcp_servers.json: customers[0].id: duplicate id", services: 12 });
    await until(
      "four rows",
      () => page.locator("#rows tr").count(),
      (n) => n === 4,
    );
    assert.match(
      (await page.locator("#config-error").textContent()) ?? "",
      /serving the last good one: mcp_servers\.json: customers\[0\]\.id: duplicate id/,
    );
    assert.equal(reloads(), 0, "the page reloaded");
    assert.deepEqual(errors, []);
  } finally {
    await api.close();
  }
});

test("a dropped event stream: 'reconnecting' in words, then live again with a fresh fleet", async (t) => {
  if (!browser) return t.skip("no browser");
  const api = await fakeApi(fleetOf(2));
  try {
    const { page, reloads } = await openDashboard(browser, api.url);
    await until(
      "the event stream",
      async () => api.streams(),
      (n) => n === 1,
    );
    await page.locator("#live-word").getByText("live").waitFor();
    const fetches = api.requests.filter((r) => r.path === "/api/fleet").length;
    // A change while the stream is down is picked up by the refetch on reconnect.
    api.fleet.servers[0]!.state = "dead";
    api.dropStreams();
    await until(
      "the indicator to say reconnecting",
      () => page.locator("#live-word").textContent(),
      (s) => /reconnecting/.test(s ?? ""),
    );
    assert.equal(await page.locator("#live").getAttribute("data-tone"), "warn");
    await until(
      "a new stream",
      async () => api.streams(),
      (n) => n === 1,
      5000,
    );
    await page.locator("#live-word").getByText("live").waitFor();
    assert.ok(api.requests.filter((r) => r.path === "/api/fleet").length > fetches);
    assert.equal(await page.locator("#rows tr").first().locator("td.cell .state").first().textContent(), "dead");
    assert.equal(reloads(), 0);
  } finally {
    await api.close();
  }
});

test("start and stop: a same-origin POST, buttons disabled while pending, the result shown", async (t) => {
  if (!browser) return t.skip("no browser");
  const fleet = fleetOf(2);
  fleet.customers[1]!.id = "a/b ?c";
  const api = await fakeApi(fleet);
  try {
    const { page } = await openDashboard(browser, api.url);
    const row = page.locator("#rows tr").nth(1);
    await row.waitFor();
    const release = api.holdPosts();
    await row.locator("button.start").click();
    await until(
      "the POST",
      async () => api.posts.length,
      (n) => n === 1,
    );
    assert.equal(api.posts[0]!.path, "/api/customers/a%2Fb%20%3Fc/start");
    assert.equal(api.posts[0]!.origin, api.url.replace(/\/$/, ""));
    assert.equal(await row.locator("button.start").isDisabled(), true);
    assert.equal(await row.locator("button.stop").isDisabled(), true);
    assert.equal(await row.locator(".result").textContent(), "Starting…");
    release();
    await until(
      "the result",
      () => row.locator(".result").textContent(),
      (s) => s === "Started",
    );
    assert.equal(await row.locator("button.start").isDisabled(), false);
    api.postAnswer = { status: 409, body: { error: { code: "busy", message: "a switch is in progress" } } };
    await row.locator("button.stop").click();
    await until(
      "the failure",
      () => row.locator(".result").textContent(),
      (s) => s === "Failed: a switch is in progress",
    );
    assert.equal(await row.locator(".result").getAttribute("data-tone"), "bad");
    assert.equal(api.posts[1]!.path, "/api/customers/a%2Fb%20%3Fc/stop");
  } finally {
    await api.close();
  }
});

test("a token-protected serve: the page asks once, then sends the bearer header on every request", async (t) => {
  if (!browser) return t.skip("no browser");
  const api = await fakeApi(fleetOf(2), "s3cret-token");
  try {
    const { page } = await openDashboard(browser, api.url);
    await page.locator("#token-form").waitFor();
    assert.equal(await page.locator("#live-word").textContent(), "token needed");
    await page.fill("#token", "wrong");
    await page.click("#token-form button");
    await page.locator("#token-note").getByText("That token was refused.").waitFor();
    await page.fill("#token", "s3cret-token");
    await page.click("#token-form button");
    await page.locator("#rows tr").nth(1).waitFor();
    await until(
      "the event stream",
      async () => api.streams(),
      (n) => n === 1,
    );
    await page.locator("#rows tr").first().locator("button.stop").click();
    await until(
      "the POST",
      async () => api.posts.length,
      (n) => n === 1,
    );
    assert.equal(api.posts[0]!.authorization, "Bearer s3cret-token");
    const authorized = api.requests.filter((r) => r.authorization === "Bearer s3cret-token").map((r) => r.path);
    assert.ok(authorized.includes("/api/fleet") && authorized.includes("/api/events"), authorized.join(","));
    assert.equal(await page.evaluate(() => (globalThis as any).sessionStorage.getItem("mcps.token")), "s3cret-token");
    assert.equal(await page.locator("#token-form").isVisible(), false);
  } finally {
    await api.close();
  }
});
