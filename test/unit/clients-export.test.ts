/**
 * `mcps clients export` through the built CLI: customers by id or name (none: all), bad input as one
 * line with exit 2, --out through generate's output rules, the URLs on the ports the compose file
 * keeps, and no credential in the output even when the environment and the credentials file hold one.
 */
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";
import { assertRefused, snapshot } from "../support/output-sandbox.js";

const config = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Globex Corp", { id: "globex" })] };
const SECRET = "glsa_Wq8ZtV3nR5kL2pX9dF4hJ7mC1bN6";

async function inWorkspace(body: (dir: string, run: (args: string[]) => ReturnType<typeof runCli>) => Promise<void>) {
  const dir = workspace(config);
  try {
    await body(dir, (args) => runCli(["clients", "export", ...args], { cwd: dir, timeoutMs: 20_000, env: { ALPHA_TOKEN_ACME: SECRET } }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const serverNames = (stdout: string) => Object.keys(JSON.parse(stdout).mcpServers);

test("no customer: every server; customers by id or by name, in any order, give sorted names", async () => {
  await inWorkspace(async (_dir, run) => {
    const all = await run(["--for", "cursor"]);
    assert.equal(all.code, 0, all.stderr);
    assert.equal(all.stderr, "");
    assert.deepEqual(serverNames(all.stdout), ["acme-alpha", "acme-beta", "globex-alpha", "globex-beta"]);
    const byName = await run(["--for", "cursor", "Globex Corp"]);
    assert.deepEqual(serverNames(byName.stdout), ["globex-alpha", "globex-beta"]);
    assert.equal((await run(["--for", "cursor", "globex"])).stdout, byName.stdout, "id and name select the same customer");
    assert.equal((await run(["--for", "cursor", "globex", "acme"])).stdout, all.stdout);
  });
});

test("every format prints a document its client can parse", async () => {
  await inWorkspace(async (_dir, run) => {
    for (const f of ["vscode", "cursor", "claude-desktop"]) {
      const r = await run(["--for", f, "acme"]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(Object.keys(JSON.parse(r.stdout)).length, 1, f);
    }
    const lc = await run(["--for", "librechat", "acme"]);
    assert.equal(lc.code, 0, lc.stderr);
    assert.deepEqual(Object.keys(parse(lc.stdout).mcpServers), ["acme-alpha", "acme-beta"]);
  });
});

test("bad input: unknown format, missing --for, unknown customer: one line, exit 2, nothing on stdout", async () => {
  await inWorkspace(async (dir, run) => {
    const before = snapshot(dir);
    const cases: Array<[string[], RegExp]> = [
      [["--for", "emacs"], /^mcps: unknown client format "emacs"; expected one of: claude-desktop, vscode, cursor, librechat$/],
      [[], /^mcps: give the client format with --for: claude-desktop, vscode, cursor, librechat$/],
      [["--for", "vscode", "nobody"], /^mcps: unknown customer "nobody" \(give an id or a name\); known: "acme", "globex"$/],
      [["--for", "vscode", "acme", "--out", "out.json", "nobody"], /^mcps: unknown customer "nobody"/],
    ];
    for (const [args, line] of cases) {
      const r = await run(args);
      assert.equal(r.code, 2, `${args.join(" ")}: ${r.stderr}`);
      assert.equal(r.stdout, "");
      assert.equal(r.stderr.trimEnd().split("\n").length, 1, r.stderr);
      assert.match(r.stderr.trimEnd(), line);
    }
    assert.deepEqual(snapshot(dir), before, "nothing written");
  });
});

test("--out writes what stdout shows; every input is refused like generate refuses it", async () => {
  await inWorkspace(async (dir, run) => {
    const printed = (await run(["--for", "vscode"])).stdout;
    const w = await run(["--for", "vscode", "--out", "mcp.json"]);
    assert.equal(w.code, 0, w.stderr);
    assert.equal(w.stdout, "Wrote mcp.json (4 servers of 2 customers; the client reads it as mcp.json)\n");
    assert.equal(readFileSync(path.join(dir, "mcp.json"), "utf8"), printed);
    assert.equal((await run(["--for", "vscode", "--out", "-"])).stdout, printed, "- is stdout");

    writeFileSync(path.join(dir, "mcp_credentials.env"), `ALPHA_TOKEN_ACME=${SECRET}\n`);
    writeFileSync(path.join(dir, "docker-compose.mcps.yml"), "services: {}\n");
    writeFileSync(path.join(dir, "other-compose.yml"), "services: {}\n");
    mkdirSync(path.join(dir, "a-folder"));
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    symlinkSync("nowhere.json", path.join(dir, "dangling"));
    symlinkSync("mcp_servers.json", path.join(dir, "link-to-config"));
    const before = snapshot(dir);
    const refused: Array<[string, RegExp, string[]?]> = [
      ["mcp_servers.json", /is the config file \(--config mcp_servers\.json\)/],
      ["link-to-config", /is the config file/],
      ["mcps/alpha/mcp.yaml", /is inside the catalog folder \(--catalog mcps\)/],
      ["mcps", /is the catalog folder/],
      ["mcp_credentials.env", /is the credentials file/],
      ["docker-compose.mcps.yml", /is the compose file \(--compose docker-compose\.mcps\.yml\)/],
      ["other-compose.yml", /is the compose file \(--compose other-compose\.yml\)/, ["--compose", "other-compose.yml"]],
      ["a-folder", /is a folder, not a file/],
      ["pipe", /is a named pipe \(FIFO\), not a regular file/],
      ["/dev/null", /is a character device, not a regular file/],
      ["dangling", /is a symbolic link to a file that does not exist/],
      ["missing/x.json", /cannot write: the folder does not exist/],
    ];
    for (const [out, reason, extra = []] of refused) {
      const r = await run(["--for", "cursor", ...extra, "--out", out]);
      assertRefused(r, out, reason);
      assert.deepEqual(snapshot(dir), before, `--out ${out} changed nothing`);
    }
  });
});

test("the URLs use the host ports the compose file keeps, the ones `mcps start` serves", async () => {
  await inWorkspace(async (dir, run) => {
    assert.equal((await runCli(["generate"], { cwd: dir })).code, 0);
    const file = path.join(dir, "docker-compose.mcps.yml");
    const compose = readFileSync(file, "utf8");
    const port = Number(/127\.0\.0\.1:(\d+):8000/.exec(compose)![1]);
    // Move the first alpha service to another port, as an older file would have it.
    const moved = port === 20000 ? 20001 : 20000;
    writeFileSync(file, compose.replace(`127.0.0.1:${port}:8000`, `127.0.0.1:${moved}:8000`));
    const urls = Object.values(JSON.parse((await run(["--for", "cursor"])).stdout).mcpServers).map((s) => (s as { url: string }).url);
    assert.ok(urls.includes(`http://127.0.0.1:${moved}/mcp`), urls.join(" "));
    assert.ok(!urls.includes(`http://127.0.0.1:${port}/mcp`));
  });
});

test("no credential in any export: not the value in the environment or the credentials file, not the variable's name", async () => {
  await inWorkspace(async (dir, run) => {
    writeFileSync(path.join(dir, "mcp_credentials.env"), `ALPHA_TOKEN_ACME=${SECRET}\nALPHA_TOKEN_GLOBEX_CORP=${SECRET}x\n`);
    for (const f of ["vscode", "cursor", "claude-desktop", "librechat"]) {
      const r = await run(["--for", f]);
      assert.equal(r.code, 0, r.stderr);
      for (const text of [r.stdout, r.stderr]) {
        assert.ok(!text.includes(SECRET), `${f} prints the secret`);
        assert.ok(!text.includes("ALPHA_TOKEN"), `${f} names the secret's variable`);
        assert.doesNotMatch(text, /\$\{|\{\{/, `${f} has a variable reference`);
      }
    }
  });
});
