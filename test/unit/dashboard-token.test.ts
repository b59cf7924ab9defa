/**
 * The dashboard of the real serve (fake engine) under --token-env, in Debian's chromium: the page and
 * its files load without the token and carry a Content-Security-Policy; the page asks for the token,
 * refuses a wrong one in words, and shows the fleet after the right one; the API still needs it; and
 * the browser reports no CSP violation, so nothing inline was left in the page.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, test } from "node:test";
import type { Browser } from "playwright-core";
import { launchBrowser, until } from "../support/browser.js";
import { engineWithImages, scriptedProbe } from "../support/reconcile-kit.js";
import { call, serveWorkspace } from "../support/serve.js";
import { fixtureCustomer } from "../support/workspace.js";

const TOKEN = "tok-dash-4711";

let browser: Browser | null = null;
after(async () => {
  await browser?.close();
});

test("--token-env: the page loads, asks for the token, shows the fleet; the API needs it; CSP holds", async (t) => {
  browser = await launchBrowser(t);
  if (!browser) return;
  const s = await serveWorkspace({ customers: [fixtureCustomer("Acme"), fixtureCustomer("Globex")] }, engineWithImages(), {
    probe: scriptedProbe(),
    credentials: "ALPHA_TOKEN_ACME=x\nALPHA_TOKEN_GLOBEX=y\n",
    tokenEnv: "DASH_TEST_TOKEN",
    env: { DASH_TEST_TOKEN: TOKEN },
  });
  try {
    for (const p of ["/", "/assets/dashboard.js", "/assets/fleet.js", "/assets/dashboard.css", "/assets/icon.svg"]) {
      const r = await call(s.base, p);
      assert.equal(r.status, 200, p);
      const policy = String(r.headers["content-security-policy"]).split(/;\s*/);
      assert.ok(policy.includes("default-src 'self'") && policy.includes("frame-ancestors 'none'"), `${p}: ${policy}`);
    }
    for (const p of ["/api/fleet", "/api/events", "/api/status", "/metrics"]) {
      assert.equal((await call(s.base, p, { timeoutMs: 5000 })).status, 401, p);
    }
    assert.equal((await call(s.base, "/api/fleet", { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200);

    const page = await browser.newPage();
    page.setDefaultTimeout(5000);
    const console: string[] = [];
    page.on("console", (m) => console.push(m.text()));
    page.on("pageerror", (e) => console.push(`pageerror: ${e.message}`));
    // Init scripts come from the browser itself, not the page, so the policy does not block this one.
    await page.addInitScript(() => {
      const w = globalThis as any;
      w.__violations = [];
      w.addEventListener("securitypolicyviolation", (e: any) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const requests: Array<{ url: string; authorization?: string }> = [];
    page.on("request", (r) => requests.push({ url: r.url(), authorization: r.headers().authorization }));
    await page.goto(`${s.base}/`);

    await page.locator("#token-form").waitFor();
    assert.equal(await page.locator("#live-word").textContent(), "token needed");
    await page.fill("#token", "not-the-token");
    await page.click("#token-form button");
    await page.locator("#token-note").getByText("That token was refused.").waitFor();
    assert.equal(await page.locator("#token-form").isVisible(), true);

    await page.fill("#token", TOKEN);
    await page.click("#token-form button");
    await until(
      "two rows",
      () => page.locator("#rows tr").count(),
      (n) => n === 2,
    );
    await page.locator("#live-word").getByText("live").waitFor();
    assert.deepEqual(await page.locator("#rows .who .name").allTextContents(), ["Acme", "Globex"]);
    assert.equal(await page.locator("#token-form").isVisible(), false);

    // The token travels as a header only: never in a URL, never as a cookie.
    assert.ok(requests.every((r) => !r.url.includes(TOKEN)));
    assert.deepEqual(await page.context().cookies(), []);
    const api = requests.filter((r) => new URL(r.url).pathname.startsWith("/api/"));
    assert.ok(api.some((r) => r.authorization === `Bearer ${TOKEN}` && r.url.endsWith("/api/events")));
    assert.deepEqual(await page.evaluate(() => (globalThis as any).__violations), []);
    assert.deepEqual(
      console.filter((line) => /content security policy|pageerror/i.test(line)),
      [],
    );
  } finally {
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});
