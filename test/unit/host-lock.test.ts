/** The host lock serialises runs, breaks a lock whose holder died, and never blocks work it cannot lock. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { test } from "node:test";
import { withHostLock } from "../../src/orchestrate/host-lock.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test("host lock: holders never overlap, and every one runs", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcps-lock-test-"));
  try {
    let inside = 0;
    let most = 0;
    const ran: number[] = [];
    await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        withHostLock(
          "net",
          async () => {
            inside++;
            most = Math.max(most, inside);
            await sleep(20);
            inside--;
            ran.push(n);
          },
          { dir },
        ),
      ),
    );
    assert.equal(most, 1);
    assert.deepEqual(ran.sort(), [1, 2, 3, 4, 5]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// A wait of ten minutes that the test's own limit cuts short: broken "at once" needs no clock reading.
test("host lock: a lock left by a dead process is broken at once", { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcps-lock-test-"));
  try {
    mkdirSync(join(dir, "net.lock"));
    // pid 2^22+1 is above Linux's pid_max default, so no process has it.
    writeFileSync(join(dir, "net.lock", "pid"), String(4194305));
    assert.equal(await withHostLock("net", async () => "done", { dir, waitMs: 600_000 }), "done");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("host lock: a live holder that never lets go is waited for, then the work runs anyway", async () => {
  const dir = mkdtempSync(join(tmpdir(), "mcps-lock-test-"));
  try {
    mkdirSync(join(dir, "net.lock"));
    writeFileSync(join(dir, "net.lock", "pid"), String(process.pid));
    const t0 = Date.now();
    assert.equal(await withHostLock("net", async () => "done", { dir, waitMs: 200 }), "done");
    assert.ok(Date.now() - t0 >= 200);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("host lock: a folder that cannot be made does not stop the work", async () => {
  const file = join(mkdtempSync(join(tmpdir(), "mcps-lock-test-")), "a-file");
  writeFileSync(file, "");
  assert.equal(await withHostLock("net", async () => 7, { dir: join(file, "locks") }), 7);
});
