/**
 * `mcps serve` as a user runs it (dist/cli.js): a non-loopback listen needs a token, refused without
 * one (one line, exit 2); with one, every request needs it. It listens on 0.0.0.0; requests go to
 * 127.0.0.1 only.
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { test } from "node:test";
import { CLI } from "../support/cli.js";
import { requireEngine } from "../support/docker.js";
import { drill } from "../support/drill.js";
import { freePort } from "../support/ports.js";
import { call, until } from "../support/serve.js";

test("serve: a non-loopback listen needs --token-env; then every request needs the bearer token", { timeout: 120_000 }, async (t) => {
  if (!requireEngine(t)) return;
  const d = drill();
  try {
    d.writeConfig([{ id: `t${d.tag}` }]);
    const port = await freePort();
    const refused = d.run(["serve", "--listen", `0.0.0.0:${port}`]);
    assert.equal(refused.code, 2);
    assert.equal(refused.stderr.trim().split("\n").length, 1, refused.stderr);
    assert.match(refused.stderr, /not a loopback address: it needs --token-env VAR/);
    const empty = d.run(["serve", "--listen", `0.0.0.0:${port}`, "--token-env", "SERVE_IT_TOKEN"], { SERVE_IT_TOKEN: "" });
    assert.equal(empty.code, 2);
    assert.match(empty.stderr, /^mcps: --token-env SERVE_IT_TOKEN: the variable is not set or empty\n$/);

    const token = `tok-${d.tag}-value`;
    const child = spawn(process.execPath, [CLI, "serve", "--listen", `0.0.0.0:${port}`, "--token-env", "SERVE_IT_TOKEN"], {
      cwd: d.dir,
      env: { ...process.env, SERVE_IT_TOKEN: token },
    });
    let stderr = "";
    child.stderr.on("data", (c) => (stderr += c));
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      await until(() => stderr.includes("listening on"), 30_000, `serve to listen (stderr: ${stderr})`);
      assert.match(stderr, new RegExp(`mcps serve: listening on http://0\\.0\\.0\\.0:${port} `));
      const base = `http://127.0.0.1:${port}`;
      for (const p of ["/healthz", "/api/customers", "/api/events", "/metrics"])
        assert.equal((await call(base, p, { timeoutMs: 5000 })).status, 401, p);
      // The dashboard page itself loads without the token: it has to, to ask for it.
      const page = await call(base, "/", { timeoutMs: 5000 });
      assert.equal(page.status, 200);
      assert.match(String(page.headers["content-security-policy"]), /default-src 'self'/);
      assert.equal((await call(base, "/api/customers", { headers: { authorization: "Bearer nope" } })).status, 401);
      const ok = await call(base, "/api/customers", { headers: { authorization: `Bearer ${token}` } });
      assert.equal(ok.status, 200);
      assert.equal(ok.json().customers[0].id, `t${d.tag}`);
      assert.equal((await call(base, "/healthz", { headers: { authorization: `Bearer ${token}` } })).text, "ok");
    } finally {
      child.kill("SIGTERM");
      assert.equal(await exited, 0, "SIGTERM ends serve cleanly");
    }
    assert.ok(!stderr.includes(token), "the token never in a log line");
  } finally {
    d.cleanup();
  }
});
