/**
 * Canary sweep of `mcps serve` over the fake engine: secrets planted in the environment, the
 * credentials file and (pasted by mistake) the config. Every response, event and log line of a
 * session that switches, starts, stops, reads every route, exports every client format and then
 * reloads a config holding pasted secrets is searched. None may appear, and serve keeps serving.
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import path from "node:path";
import { test } from "node:test";
import { McpsError } from "../../src/errors.js";
import { parseServeOptions } from "../../src/serve/options.js";
import { runServe } from "../../src/serve/serve.js";
import { engineWithImages, scriptedProbe } from "../support/reconcile-kit.js";
import { call, type Served, serveWorkspace, sseReader, until } from "../support/serve.js";
import { fixtureCustomer, workspace } from "../support/workspace.js";

const ENV_CANARY = "canary-serve-env-5b7e21c9d04f";
const FILE_CANARY = "canary-serve-file-a93c0e17b6d2";
const PASTED = { token: "glsa_CanaryServeTok3nZq8H3kLmN0pQrS7tU_4e5f6a7b", urlPassword: "CanaryServeUrlPassw0rd77" };
const ALL = [ENV_CANARY, FILE_CANARY, ...Object.values(PASTED), PASTED.token.slice(5, 30), PASTED.urlPassword.toLowerCase()];

const CLEAN = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Bolt")] };
const DIRTY = {
  customers: [
    { name: "Acme", mcp_servers: [{ type: "alpha", config: { api_url: "https://acme.example.com", token_env: PASTED.token } }] },
    {
      name: "Bolt",
      mcp_servers: [{ type: "alpha", config: { api_url: `https://ops:${PASTED.urlPassword}@bolt.example.com`, token_env: "ALPHA_TOKEN_BOLT" } }],
    },
  ],
};

function found(where: string, text: string): string[] {
  return ALL.flatMap((c, i) => (text.includes(c) ? [`canary #${i} in ${where}`] : []));
}

async function everyRoute(s: Served): Promise<Array<[string, string]>> {
  const seen: Array<[string, string]> = [];
  const get = async (p: string) => seen.push([`GET ${p}`, (await call(s.base, p)).text]);
  const post = async (p: string, body?: unknown) =>
    seen.push([`POST ${p}`, (await call(s.base, p, { method: "POST", ...(body !== undefined && { body }) })).text]);
  await post("/api/customers/switch", { customer: "acme" });
  await post("/api/customers/bolt/start");
  await post("/api/customers/switch", { customer: PASTED.token });
  await post("/api/customers/switch", `{"customer": "${PASTED.token}"`);
  for (const p of ["/api/fleet", "/api/status", "/api/customers", "/api/customers/acme", "/api/customers/Bolt", "/metrics", "/healthz"]) await get(p);
  for (const f of ["vscode", "cursor", "claude-desktop", "librechat"]) await get(`/api/clients/${f}?customer=acme&customer=bolt`);
  await get(`/api/customers/${encodeURIComponent(PASTED.token)}`);
  await post("/api/customers/bolt/stop");
  return seen;
}

test("serve: no planted secret in any response, event or log line, before and after a reload of a config with pasted secrets", async () => {
  const engine = engineWithImages();
  const saved = process.env.ALPHA_TOKEN_BOLT;
  process.env.ALPHA_TOKEN_BOLT = ENV_CANARY;
  const s = await serveWorkspace(CLEAN, engine, {
    probe: scriptedProbe(() => ({ ok: true, tools: ["query"] })),
    credentials: `ALPHA_TOKEN_ACME="${FILE_CANARY}"\n`,
  });
  const sse = sseReader(s.base);
  try {
    await until(() => sse.comments.includes("connected"), 5000, "the event stream");
    const seen = await everyRoute(s);
    // The secrets reached the containers: the sweep below is not vacuous.
    const envs = JSON.stringify([...engine.containers.values()]);
    assert.ok(envs.includes(FILE_CANARY) && envs.includes(ENV_CANARY), "the fake engine got both secrets");
    s.writeConfig(DIRTY);
    await s.handle.reload();
    await until(() => sse.events.some((e) => e.event === "config"), 5000, "the config event");
    seen.push(...(await everyRoute(s)));
    assert.ok(
      s.logs.some((l) => l.includes("reload failed")),
      s.logs.join("\n"),
    );
    const leaks = [
      ...seen.flatMap(([where, text]) => found(where, text)),
      ...sse.events.flatMap((e) => found(`event ${e.event}`, JSON.stringify(e.data))),
      ...found("the log", s.logs.join("\n")),
    ];
    assert.deepEqual(leaks, []);
    assert.ok(sse.events.length > 2, "events were sent");
  } finally {
    sse.close();
    if (saved === undefined) delete process.env.ALPHA_TOKEN_BOLT;
    else process.env.ALPHA_TOKEN_BOLT = saved;
    await s.handle.close();
    rmSync(s.dir, { recursive: true, force: true });
  }
});

test("serve: a config with pasted secrets at start is refused without echoing them", async () => {
  const dir = workspace(DIRTY);
  try {
    const src = { config: path.join(dir, "mcp_servers.json"), catalog: path.join(dir, "mcps") };
    const opts = parseServeOptions({ listen: "127.0.0.1:0", probeInterval: "10s" }, {});
    await assert.rejects(runServe(src, opts, { engine: engineWithImages(), log: () => undefined, probe: scriptedProbe() }), (e: unknown) => {
      assert.ok(e instanceof McpsError, String(e));
      assert.deepEqual(found("the error", [e.message, ...e.lines()].join("\n")), []);
      return true;
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
