/** The dashboard's files: index.html at /, plain names under /assets/, the right types, nothing outside. */
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { test } from "node:test";
import { asset, DASHBOARD_DIR } from "../../src/serve/static-assets.js";
import { ROOT } from "../support/cli.js";

test("assets: served by plain name with their content type; traversal and unknown types are not found", async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), "mcps-assets-"));
  try {
    const dir = path.join(root, "dashboard");
    mkdirSync(dir);
    for (const [name, text] of Object.entries({
      "index.html": "<h1>x</h1>",
      "app.js": "1",
      "app.css": "a{}",
      "logo.svg": "<svg/>",
      "notes.txt": "n",
    })) {
      writeFileSync(path.join(dir, name), text);
    }
    writeFileSync(path.join(root, "secret.html"), "outside");
    const url = pathToFileURL(`${dir}/`);
    assert.deepEqual(await Promise.all(["index.html", "app.js", "app.css", "logo.svg"].map(async (n) => (await asset(n, url))?.type)), [
      "text/html; charset=utf-8",
      "text/javascript; charset=utf-8",
      "text/css; charset=utf-8",
      "image/svg+xml",
    ]);
    assert.equal((await asset("index.html", url))?.body.toString(), "<h1>x</h1>");
    for (const bad of ["../secret.html", "..%2Fsecret.html", "/etc/passwd", ".hidden.js", "sub/app.js", "notes.txt", "missing.js", ""]) {
      assert.equal(await asset(bad, url), undefined, bad);
    }
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  // From src/serve (tsx) as from dist/serve: the repository's assets/dashboard.
  assert.equal(DASHBOARD_DIR.href, pathToFileURL(path.join(ROOT, "assets/dashboard/")).href);
});
