/** generate and migrate refuse every --out that would harm an input or is not a regular file. */
import assert from "node:assert/strict";
import { mkdirSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { execFileSync } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { test } from "node:test";
import { runCli } from "../support/cli.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";
import { assertRefused, snapshot } from "../support/output-sandbox.js";

const config = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Globex")] };
const legacy = { servers: [{ name: "Acme", grafana_url: "https://acme.example.com", token_env: "GRAFANA_TOKEN_ACME" }] };

interface Case {
  out: string;
  reason: RegExp;
  /** Extra arguments; generate by default. */
  args?: string[];
}

const refused: Case[] = [
  { out: "mcp_servers.json", reason: /is the config file \(--config mcp_servers\.json\)/ },
  { out: "./mcp_servers.json", reason: /is the config file/ },
  { out: "grafana_servers.json", args: ["generate", "--config", "grafana_servers.json"], reason: /is the config file/ },
  { out: "mcps/alpha/mcp.yaml", reason: /is inside the catalog folder \(--catalog mcps\)/ },
  { out: "mcps/alpha/new-file.yml", reason: /is inside the catalog folder/ },
  { out: "mcps", reason: /is the catalog folder/ },
  { out: "mcps/", reason: /is the catalog folder/ },
  { out: "a-folder", reason: /is a folder, not a file/ },
  { out: ".", reason: /is a folder/ },
  { out: "/dev/null", reason: /is a character device, not a regular file/ },
  { out: "pipe", reason: /is a named pipe \(FIFO\), not a regular file/ },
  { out: "pipe", args: ["generate", "--check"], reason: /is a named pipe/ },
  { out: "/dev/null", args: ["generate", "--check"], reason: /is a character device/ },
  { out: "sock", reason: /is a socket, not a regular file/ },
  { out: "dangling", reason: /is a symbolic link to a file that does not exist/ },
  { out: "link-to-config", reason: /is the config file/ },
  { out: "link-to-catalog/alpha/mcp.yaml", reason: /is inside the catalog folder/ },
  { out: "missing-folder/x.yml", reason: /cannot write: the folder does not exist/ },
  { out: "mcp_servers.json/x.yml", reason: /a part of the path is not a folder/ },
  { out: "mcp_credentials.env", reason: /is the credentials file/ },
  { out: "grafana_servers.json", args: ["migrate", "--force"], reason: /is the file being migrated \(--from grafana_servers\.json\)/ },
  { out: "mcps/alpha/mcp.yaml", args: ["migrate", "--force"], reason: /is inside the catalog folder/ },
  { out: "/dev/null", args: ["migrate"], reason: /is a character device/ },
  { out: "pipe", args: ["migrate", "--force"], reason: /is a named pipe/ },
  { out: "dangling", args: ["migrate", "--force"], reason: /symbolic link to a file that does not exist/ },
  { out: "missing-folder/new.json", args: ["migrate"], reason: /the folder does not exist/ },
];

test("every refused --out: exit 2, one line naming the path as typed, nothing changed", async (t) => {
  const dir = workspace(config);
  const server = net.createServer();
  try {
    writeFileSync(path.join(dir, "grafana_servers.json"), JSON.stringify(legacy));
    writeFileSync(path.join(dir, "mcp_credentials.env"), "ALPHA_TOKEN_ACME=x\n");
    mkdirSync(path.join(dir, "a-folder"));
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    symlinkSync("does-not-exist.yml", path.join(dir, "dangling"));
    symlinkSync("mcp_servers.json", path.join(dir, "link-to-config"));
    symlinkSync("mcps", path.join(dir, "link-to-catalog"));
    await new Promise<void>((resolve) => server.listen(path.join(dir, "sock"), resolve));
    const before = snapshot(dir);
    const devNull = statSync("/dev/null");
    for (const c of refused) {
      await t.test(`${(c.args ?? ["generate"]).join(" ")} --out ${c.out}`, async () => {
        // A hang on the FIFO would end in the timeout, not in a pass.
        const r = await runCli([...(c.args ?? ["generate"]), "--out", c.out], { cwd: dir, timeoutMs: 20_000 });
        assertRefused(r, c.out, c.reason);
        assert.deepEqual(snapshot(dir), before);
        const now = statSync("/dev/null");
        assert.ok(now.isCharacterDevice() && now.rdev === devNull.rdev, "/dev/null is still the device");
      });
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
});
