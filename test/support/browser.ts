/**
 * A real browser for dashboard tests: Debian's chromium driven by playwright-core. Never a
 * downloaded browser. Outside CI a missing chromium skips the test with a loud notice; under
 * CI=true it is a failure (.ci/run installs the package).
 */
import { existsSync } from "node:fs";
import type { TestContext } from "node:test";
import { type Browser, chromium, type Page } from "playwright-core";

export const CHROMIUM = process.env.MCPS_CHROMIUM ?? "/usr/bin/chromium";

/** No sandbox (tests run as root in containers), and nothing that reaches out to the network. */
const ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/** Returns null (and skips) when there is no chromium here. */
export async function launchBrowser(t: TestContext): Promise<Browser | null> {
  if (!existsSync(CHROMIUM)) {
    if (process.env.CI) throw new Error(`CI=true but ${CHROMIUM} is missing (apt-get install -y chromium)`);
    const notice = `NO CHROMIUM at ${CHROMIUM}: skipping the dashboard browser test (apt-get install -y chromium, or run under CI=true to make this a failure)`;
    process.stderr.write(`\n!!! ${notice}\n`);
    t.skip(notice);
    return null;
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS, headless: true });
}

export interface DashboardPage {
  page: Page;
  /** Uncaught page errors and console errors, for an assertion that there were none. */
  errors: string[];
  /** Navigations of the main frame after the first load: a live update must not add one. */
  reloads(): number;
}

/** Opens the dashboard at 1280x800, the size the issue asks to be readable at. */
export async function openDashboard(browser: Browser, url: string): Promise<DashboardPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  // Fail in seconds, not playwright's 30 s: every wait here is on a local page.
  page.setDefaultTimeout(5000);
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  let navigations = 0;
  page.on("framenavigated", (f) => {
    if (f === page.mainFrame()) navigations++;
  });
  await page.goto(url);
  return { page, errors, reloads: () => navigations - 1 };
}

/** Polls a condition in the test process (playwright-core has no expect); fails with what it saw last. */
export async function until<T>(what: string, probe: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (ok(last)) return last;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${JSON.stringify(last)}`);
}
