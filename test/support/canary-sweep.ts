/**
 * Canary sweep: secrets planted in the environment, in mcp_credentials.env beside the config, and
 * pasted by mistake into config values (token_env, URL userinfo, a name). Every command that runs
 * without an engine is run (engine commands against a socket that does not exist: exit 3), and
 * stdout, stderr and every file written are searched for every canary. None may appear. The data
 * and the check; secrets-never-shown.test.ts runs every command in-process,
 * cli-process-secrets-never-shown.test.ts a sample through the bin.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { RunOptions, TimedResult } from "./run-async.js";
import { buildSandbox, changedPaths, removeSandbox, snapshot } from "./sandbox.js";

const ENV_CANARIES = {
  GRAFANA_TOKEN_ACME: "canary-env-7f3a91c4e2b8d605",
  GENESYS_SECRET_ACME: "canary-env-genesys-0c9d8e7f6a5b",
  AWS_SECRET_ACCESS_KEY: "canary-env-aws-5e4d3c2b1a09",
};
const FILE_CANARIES = ["canary-file-b41c7e9d20aa", "canary-file-quoted-93e1f0", "canary-file-export-6d2a11"];
const PASTED = {
  token: "glsa_CanaryPastedTok3nZq8H3kLmN0pQrS7tU_4e5f6a7b",
  lowerToken: "glsa_canarylowertok3nq8h3klmn0pqrs7tu_8c9d0e1f",
  urlPassword: "CanaryUrlPassw0rd55",
  nameToken: "glsa_CanaryNameTok3nAbCdEf0123456789_1a2b3c4d",
};
/** Every canary, plus the forms a slug or a lower-casing would turn them into. */
const ALL = [
  ...Object.values(ENV_CANARIES),
  ...FILE_CANARIES,
  ...Object.values(PASTED),
  PASTED.nameToken.toLowerCase().replace(/[^a-z0-9]+/g, "-"),
  PASTED.token.slice(5, 30),
  PASTED.urlPassword.toLowerCase(),
];

const credentials = [
  "# credentials for mcps start and docker-compose --env-file",
  `GRAFANA_TOKEN_BOLT=${FILE_CANARIES[0]}`,
  `GENESYS_ID_ACME="${FILE_CANARIES[1]}" # quoted, with a comment`,
  `export GENESYS_SECRET_BOLT='${FILE_CANARIES[2]}'`,
  "DERIVED=${GRAFANA_TOKEN_BOLT}-suffix",
  "",
].join("\n");

const clean = {
  customers: [
    {
      id: "acme",
      name: "Acme",
      mcp_servers: [
        { type: "grafana", config: { grafana_url: "https://grafana.acme.example.com", token_env: "GRAFANA_TOKEN_ACME" } },
        {
          type: "genesys",
          config: { region: "mypurecloud.de", oauth_client_id_env: "GENESYS_ID_ACME", oauth_client_secret_env: "GENESYS_SECRET_ACME" },
        },
      ],
    },
    {
      id: "bolt",
      name: "Bolt",
      mcp_servers: [{ type: "grafana", config: { grafana_url: "https://grafana.bolt.example.com", token_env: "GRAFANA_TOKEN_BOLT" } }],
    },
  ],
};

const dirty = {
  customers: [
    {
      id: "acme",
      name: "Acme",
      mcp_servers: [{ type: "grafana", config: { grafana_url: "https://grafana.acme.example.com", token_env: PASTED.token } }],
    },
    {
      name: "Bolt",
      mcp_servers: [
        { type: "grafana", config: { grafana_url: `https://ops:${PASTED.urlPassword}@grafana.bolt.example.com`, token_env: "GRAFANA_TOKEN_BOLT" } },
      ],
    },
    { name: PASTED.nameToken, mcp_servers: [{ type: "alertmanager", config: { alertmanager_url: "https://am.example.com" } }] },
    {
      id: PASTED.nameToken
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, "-")
        .slice(0, 48),
      name: "Clash",
      mcp_servers: [],
    },
    { name: "Lower", mcp_servers: [{ type: "grafana", config: { grafana_url: "https://l.example.com", token_env: PASTED.lowerToken } }] },
  ],
};

const legacy = {
  servers: [
    { name: "Acme", grafana_url: "https://grafana.acme.example.com", token_env: PASTED.lowerToken },
    { name: "Bolt", grafana_url: `https://ops:${PASTED.urlPassword}@grafana.bolt.example.com`, token_env: "GRAFANA_TOKEN_BOLT" },
  ],
};

/** Commands and the exit codes each may end with: config problems are 2, a missing engine 3. */
export interface SweptCommand {
  args: string[];
  clean: number[];
  dirty: number[];
  writes?: string;
}
export const COMMANDS: SweptCommand[] = [
  { args: ["generate"], clean: [0], dirty: [2] },
  { args: ["generate", "--check"], clean: [0, 1], dirty: [2] },
  { args: ["generate", "--out", "-"], clean: [0], dirty: [2] },
  { args: ["generate", "--customer", "acme", "--out", "one.yml"], clean: [0], dirty: [2] },
  { args: ["generate", "--dev", "--out", "dev.yml"], clean: [0], dirty: [2] },
  { args: ["migrate", "--out", "migrated.json"], clean: [2], dirty: [2] },
  { args: ["migrate", "--out", "-"], clean: [2], dirty: [2] },
  { args: ["schema"], clean: [0], dirty: [0] },
  { args: ["schema", "--for", "manifest"], clean: [0], dirty: [0] },
  { args: ["status"], clean: [3], dirty: [2] },
  { args: ["status", "--json"], clean: [3], dirty: [2] },
  { args: ["start", "--all"], clean: [3], dirty: [2] },
  { args: ["start", "acme", "--json", "--wait"], clean: [3], dirty: [2] },
  { args: ["restart", "--all"], clean: [3], dirty: [2] },
  { args: ["stop", "--all"], clean: [3], dirty: [2] },
  { args: ["logs", "acme", "grafana"], clean: [3], dirty: [2] },
  { args: ["down"], clean: [3], dirty: [2, 3] },
  // Session 2: client configs, the production targets, the Secret template, the swarm status.
  ...["vscode", "cursor", "claude-desktop", "librechat"].map((f) => ({ args: ["clients", "export", "--for", f], clean: [0], dirty: [2] })),
  { args: ["clients", "export", "--for", "vscode", "acme", "--out", "client.json"], clean: [0], dirty: [2], writes: "client.json" },
  { args: ["clients", "export", "--for", "librechat", "--out", "librechat.mcps.yaml"], clean: [0], dirty: [2], writes: "librechat.mcps.yaml" },
  { args: ["secrets", "template"], clean: [0], dirty: [2] },
  { args: ["secrets", "template", "--json"], clean: [0], dirty: [2] },
  { args: ["secrets", "template", "acme"], clean: [0], dirty: [2] },
  { args: ["generate", "--target", "swarm", "--out", "-"], clean: [0], dirty: [2] },
  { args: ["generate", "--target", "swarm"], clean: [0], dirty: [2], writes: "docker-stack.mcps.yml" },
  { args: ["generate", "--target", "swarm", "--publish", "--out", "stack.yml"], clean: [0], dirty: [2], writes: "stack.yml" },
  { args: ["generate", "--target", "kubernetes", "--out", "-"], clean: [0], dirty: [2] },
  { args: ["generate", "--target", "kubernetes"], clean: [0], dirty: [2], writes: "k8s/" },
  { args: ["generate", "--target", "kubernetes", "--check"], clean: [1], dirty: [2] },
  { args: ["status", "--target", "swarm"], clean: [3], dirty: [2] },
  { args: ["status", "--target", "swarm", "--json"], clean: [3], dirty: [2] },
  // serve's own responses are swept in serve-secrets-never-shown.test.ts; here its start-up lines.
  { args: ["serve", "--listen", "127.0.0.1:0"], clean: [3], dirty: [2] },
];

function sweep(dir: string, r: TimedResult, written: string[]): string[] {
  const found: string[] = [];
  const where: Array<[string, string]> = [
    ["stdout", r.stdout],
    ["stderr", r.stderr],
    ...written.map((p): [string, string] => [p, readFileSync(path.join(dir, p), "latin1")]),
  ];
  for (const [name, text] of where) for (const [i, canary] of ALL.entries()) if (text.includes(canary)) found.push(`canary #${i} in ${name}`);
  return found;
}

export type Runner = (args: string[], opts: RunOptions) => Promise<TimedResult>;

/** One command on one config, run by `run`: no canary in its output or in a file it wrote, and the exit it may have. */
export async function sweepCommand(kind: "clean" | "dirty", cmd: SweptCommand, run: Runner): Promise<void> {
  const dir = buildSandbox({
    name: "canary",
    spec: "6.3",
    catalog: "real",
    config: { json: kind === "clean" ? clean : dirty },
    files: { "mcp_credentials.env": credentials, "grafana_servers.json": { json: legacy } },
    args: cmd.args,
    expect: { exit: 0 },
  });
  try {
    const before = snapshot(dir);
    const r = await run(cmd.args, { cwd: dir, env: ENV_CANARIES, timeoutMs: 60_000 }); // only reached by a hang
    const after = snapshot(dir);
    const written = changedPaths(before, after).filter((p) => after.get(p)?.type === "file");
    assert.deepEqual(sweep(dir, r, written), [], `${r.stderr.slice(0, 1000)}`);
    // The sweep searched the output itself, not only the streams.
    if (kind === "clean" && cmd.writes)
      assert.ok(
        written.some((p) => p.startsWith(cmd.writes!)),
        `${cmd.writes} written: ${written.join(", ")}`,
      );
    assert.ok(!r.timedOut, "hang");
    assert.doesNotMatch(r.stderr, /^\s+at |unexpected error/m, "no stack trace");
    assert.ok(cmd[kind].includes(r.code ?? -1), `exit ${r.code}, expected ${cmd[kind].join(" or ")}\n${r.stderr.slice(0, 1000)}`);
  } finally {
    removeSandbox(dir);
  }
}
