/**
 * The dashboard of the real `mcps serve` in Debian's chromium, on a drill fleet: the page shows the
 * matrix, a container killed through the Docker API changes its cell live, without a reload.
 */
import assert from "node:assert/strict";
import { type ChildProcess, spawn } from "node:child_process";
import { test } from "node:test";
import type { Page } from "playwright-core";
import { launchBrowser, openDashboard, until } from "../support/browser.js";
import { CLI } from "../support/cli.js";
import { docker, requireEngine } from "../support/docker.js";
import { drill } from "../support/drill.js";
import { stopChild } from "../support/stop-child.js";

/** Starts `node dist/cli.js serve` on a free loopback port; resolves with its URL once it listens. */
function startServe(cwd: string, env: NodeJS.ProcessEnv): Promise<{ child: ChildProcess; url: string; log: () => string }> {
  const child = spawn(process.execPath, [CLI, "serve", "--listen", "127.0.0.1:0", "--probe-interval", "2s"], {
    cwd,
    env: { ...process.env, NO_COLOR: "1", ...env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  let log = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not listen within 30 s:\n${log}`)), 30_000);
    child.stderr!.on("data", (d) => {
      log += d;
      const m = /listening on (http:\/\/\S+)/.exec(log);
      if (m) {
        clearTimeout(timer);
        resolve({ child, url: m[1]!.replace(/\/?$/, "/"), log: () => log });
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${log}`));
    });
  });
}

/** SIGTERM (serve closes its server and watches), SIGKILL if it has not ended within 10 s. */
async function stopServe(child: ChildProcess): Promise<void> {
  if (!(await stopChild(child))) throw new Error("mcps serve did not end within 10 s of SIGTERM");
}

const cellOf = (page: Page, id: string) => page.locator("#rows tr").filter({ has: page.locator(".id", { hasText: id }) });

test("serve's dashboard: the matrix of a real fleet, and a killed container's cell changes live", { timeout: 300_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const browser = await launchBrowser(t);
  if (!browser) return;
  const d = drill();
  const keep = `keep${d.tag}`;
  const kill = `kill${d.tag}`;
  let serve: Awaited<ReturnType<typeof startServe>> | undefined;
  try {
    d.writeConfig([{ id: keep }, { id: kill }]);
    const started = d.run(["start", "--all", "--wait", "--timeout", "90", "--build-arg", `BASE_IMAGE=${d.base}`]);
    assert.equal(started.code, 0, started.stderr);
    serve = await startServe(d.dir, { DRILL_TOKEN: "drill-token-value" });
    const { page, errors, reloads } = await openDashboard(browser, serve.url);
    await until(
      "two rows",
      () => page.locator("#rows tr").count(),
      (n) => n === 2,
      20_000,
    );
    assert.deepEqual(await page.locator("thead th").allTextContents(), ["Customer", "tiny"]);
    assert.equal(await page.locator("#project").textContent(), `project ${d.project}`);
    for (const id of [keep, kill]) {
      const cell = cellOf(page, id).locator("td.cell");
      // Running and answering MCP: the probe (every 2 s) lists the drill server's tools.
      await until(
        `${id} running with tools`,
        () => cell.locator("button").textContent(),
        (s) => /running.*healthy.* ms · [1-9]\d* tools?/.test(s ?? ""),
        60_000,
      );
      assert.equal(await cell.getAttribute("data-tone"), "ok");
    }
    assert.equal((await page.locator("#live-word").textContent())?.trim(), "live");
    await page.evaluate(() => {
      (globalThis as any).__before_kill = true;
    });

    docker(["kill", `${d.project}-mcp-tiny-${kill}`]);
    const killed = cellOf(page, kill).locator("td.cell");
    // SIGKILL: Docker's die event reaches serve, serve's event stream reaches the page.
    await until(
      "the killed cell to leave running",
      () => killed.locator(".state").textContent(),
      (s) => s !== "running",
      30_000,
    );
    assert.match(
      (await killed.locator(".pop .error").textContent()) ?? "",
      /^Last error: (stopped \(mcps start brings it back\)|exit code 137|restarting)/,
    );
    assert.notEqual(await killed.getAttribute("data-tone"), "ok");
    assert.equal(await page.evaluate(() => (globalThis as any).__before_kill), true, "the page was reloaded");
    assert.equal(reloads(), 0);
    assert.equal(await cellOf(page, keep).locator("td.cell .state").textContent(), "running");
    assert.equal(await cellOf(page, kill).locator(".cstate").textContent(), "stopped");

    // The row's Start button: a same-origin POST that serve's origin guard accepts; the cell comes back live.
    await cellOf(page, kill).locator("button.start").click();
    await until(
      "the start result",
      () => cellOf(page, kill).locator(".result").textContent(),
      (s) => s === "Started" || /^Failed/.test(s ?? ""),
      90_000,
    );
    assert.equal(await cellOf(page, kill).locator(".result").textContent(), "Started");
    await until(
      "the restarted cell",
      () => killed.locator(".state").textContent(),
      (s) => s === "running",
      30_000,
    );
    assert.equal(reloads(), 0);
    assert.deepEqual(errors, []);
  } finally {
    await browser.close();
    if (serve) await stopServe(serve.child);
    d.cleanup();
  }
});
