/**
 * No interpolation from data: a hostile-but-valid catalog path, customer name, fixed env value and
 * command all carry "$", and the generated file holds no "$" compose would expand except the
 * intended ${VAR} secret references and ${BASE_IMAGE:-...}. No shared env_file either.
 */
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { runCli } from "../support/cli.js";
import { requireTool, toolRuns } from "../support/host-tool.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const HOSTILE_DIR = "cat$HOME${ALPHA_TOKEN_ACME}$";

/** Every "$" compose would expand, once the "$$" escapes and the comments (never interpolated) are taken out. */
function expansions(text: string): string[] {
  const data = text
    .split("\n")
    .filter((line) => !line.startsWith("#"))
    .join("\n");
  return [...data.replaceAll("$$", "").matchAll(/\$(\{[^}]*\}?|.?)/g)].map((m) => m[0]);
}

/** docker-compose v1 `config` prints literal dollars escaped again. */
const unescapeDollars = (s: string) => s.replaceAll("$$", "$");

function hostileWorkspace(): string {
  const customer = fixtureCustomer("Acme $HOME ${ALPHA_TOKEN_ACME}", { id: "acme" });
  customer.mcp_servers[0]!.config = { api_url: "https://acme.example.com/?q=$PATH", token_env: "ALPHA_TOKEN_ACME" };
  const dir = workspace({ customers: [customer], defaults: { env_file: "mcp_credentials.env" } });
  const beta = path.join(dir, "mcps/beta/mcp.yaml");
  const text = readFileSync(beta, "utf8")
    .replace("BETA_LOG: info", 'BETA_LOG: "level=$LEVEL ${ALPHA_TOKEN_ACME}"')
    .replace('command: ["beta-server"', 'command: ["beta-server", "--motd=$USER ${ALPHA_TOKEN_ACME}"');
  writeFileSync(beta, text);
  renameSync(path.join(dir, "mcps"), path.join(dir, HOSTILE_DIR));
  return dir;
}

test("hostile catalog path, names, env values and command: only the intended ${...} remain", async () => {
  const dir = hostileWorkspace();
  try {
    const r = await runCli(["generate", "--catalog", HOSTILE_DIR], { cwd: dir });
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(dir, "docker-compose.mcps.yml"), "utf8");
    assert.deepEqual(expansions(text).sort(), ["${ALPHA_TOKEN_ACME}", "${BASE_IMAGE:-node:20-bookworm-slim}"]);
    const doc = parse(text, { maxAliasCount: -1 });
    const alpha = doc.services["mcp-alpha-acme"];
    assert.equal(alpha.build.context, "cat$$HOME$${ALPHA_TOKEN_ACME}$$/alpha");
    assert.equal(alpha.environment.ALPHA_TOKEN, "${ALPHA_TOKEN_ACME}");
    assert.equal(alpha.environment.ALPHA_URL, "https://acme.example.com/?q=$$PATH");
    assert.equal(alpha.labels["mcps.customer-name"], "Acme $$HOME $${ALPHA_TOKEN_ACME}");
    const beta = doc.services["mcp-beta-acme"];
    assert.equal(beta.environment.BETA_LOG, "level=$$LEVEL $${ALPHA_TOKEN_ACME}");
    assert.equal(beta.command[1], "--motd=$$USER $${ALPHA_TOKEN_ACME}");
    for (const [name, svc] of Object.entries<Record<string, unknown>>(doc.services)) {
      assert.equal(svc.env_file, undefined, `${name} carries no shared env_file`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// Compose itself reads the escapes back as the literal text: the path it builds from is the real folder.
const V1 = toolRuns("docker-compose", ["version", "--short"]);
test("docker-compose v1 resolves the hostile path literally and substitutes only the secret", async (t) => {
  if (!requireTool(t, V1, "docker-compose", "apt-get install -y docker-compose")) return;
  const dir = hostileWorkspace();
  try {
    assert.equal((await runCli(["generate", "--catalog", HOSTILE_DIR], { cwd: dir })).code, 0);
    const canary = "CANARY-not-for-the-build-context";
    const r = spawnSync("docker-compose", ["-f", "docker-compose.mcps.yml", "--profile", "acme", "config"], {
      cwd: dir,
      encoding: "utf8",
      env: { ...process.env, ALPHA_TOKEN_ACME: canary, HOME: "/home/nobody", USER: "nobody", LEVEL: "debug" },
    });
    assert.equal(r.status, 0, r.stderr);
    const resolved = parse(r.stdout);
    assert.equal(unescapeDollars(resolved.services["mcp-alpha-acme"].build.context), path.join(dir, HOSTILE_DIR, "alpha"));
    assert.equal(resolved.services["mcp-alpha-acme"].environment.ALPHA_TOKEN, canary, "the one intended reference");
    assert.equal(unescapeDollars(resolved.services["mcp-beta-acme"].environment.BETA_LOG), "level=$LEVEL ${ALPHA_TOKEN_ACME}");
    assert.equal(unescapeDollars(resolved.services["mcp-alpha-acme"].labels["mcps.customer-name"]), "Acme $HOME ${ALPHA_TOKEN_ACME}");
    assert.equal(r.stdout.split(canary).length - 1, 1, "the secret appears once, where it was referenced");
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
