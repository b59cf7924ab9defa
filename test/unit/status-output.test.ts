/** status for people: the table fits 80 columns with realistic names, --wide shows the rest; --watch. */
import assert from "node:assert/strict";
import { test } from "node:test";
import type { ContainerDetails } from "../../src/engine/container-engine.js";
import type { ServiceStatus, StatusReport } from "../../src/orchestrate/status.js";
import { changedRows, watchReports } from "../../src/orchestrate/status-watch.js";
import { statusTable, summaryLine } from "../../src/output/status-table.js";
import { changeLine, watchStatus } from "../../src/output/status-watch-render.js";
import { FakeEngine } from "../support/fake-engine.js";

const details = (over: Partial<ContainerDetails> = {}): ContainerDetails => ({
  id: "c1",
  name: "x",
  labels: {},
  state: "running",
  health: "healthy",
  status: "Up",
  imageId: "sha256:0123456789abcdef0123456789abcdef",
  createdAt: "2026-03-01T10:00:00.000000000Z",
  startedAt: "2026-03-01T10:00:01.000000000Z",
  exitCode: 0,
  restartCount: 0,
  oomKilled: false,
  healthFailingStreak: 0,
  emptyEnv: [],
  settings: {
    cpus: 0.5,
    memoryBytes: 1,
    pids: 1,
    restart: "unless-stopped",
    ports: [],
    networks: [],
    networkIds: [],
    init: true,
    capDrop: [],
    securityOpt: [],
    logging: { driver: "json-file", options: {} },
  },
  ...over,
});

function row(customer: string, type: string, over: Partial<ServiceStatus> = {}): ServiceStatus {
  return {
    service: `mcp-${type}-${customer}`,
    container: `mcp-${type}-${customer}`,
    customer,
    type,
    state: "running",
    health: "healthy",
    verdict: "ok",
    ok: true,
    mcp: {
      ok: true,
      latencyMs: 1234.5,
      protocolVersion: "2025-06-18",
      serverName: "mcp-alertmanager",
      serverVersion: "1.0.0",
      tools: Array.from({ length: 112 }, (_, i) => `tool_${i}`),
    },
    url: "http://127.0.0.1:29999/mcp",
    image: `mcps/segurcaixa-production/${type}:0123456789ab`,
    details: details(),
    stale: [],
    misconfigured: [],
    orphan: false,
    note: "",
    ...over,
  };
}

/** Realistic and worse: long customer ids, the longest type, every wide state. */
const REPORT: StatusReport = {
  project: "mcps",
  checkedAt: "2026-03-01T12:00:00.000Z",
  probed: true,
  services: [
    row("vattenfall-de", "grafana"),
    row("segurcaixa-adeslas-production-eu-west", "alertmanager", {
      state: "restarting",
      health: "unhealthy",
      verdict: "failing",
      ok: false,
      mcp: null,
      details: details({ exitCode: 137, restartCount: 12, oomKilled: true, healthFailingStreak: 17 }),
      note: "OOM killed; exit code 137, 12 restarts; health: mcp probe: connect ECONNREFUSED 127.0.0.1:8000",
    }),
    row("deutsche-bahn-netz-infrastructure", "genesys", {
      health: "starting",
      verdict: "starting",
      ok: false,
      mcp: { ok: false, latencyMs: 5000, error: "no answer in 5000 ms" },
      note: "in its start period; probe: no answer in 5000 ms",
    }),
    row("acme", "alertmanager", { stale: ["config", "image"], verdict: "stale", ok: false, note: "stale: config, image differ" }),
    row("old-customer", "grafana", {
      orphan: true,
      url: "",
      mcp: null,
      verdict: "failing",
      ok: false,
      state: "exited",
      health: "none",
      note: "orphan: not in the config (mcps down, or add it back); exit code 3, 8 restarts",
    }),
  ],
  summary: { total: 4, ok: 1, starting: 1, stopped: 0, running: 3, missing: 0, unhealthy: 1, stale: 1, orphans: 1, orphansNotOk: 1 },
};

test("the default table fits 80 columns: every line, long names clipped with a mark, reasons under it", () => {
  const text = statusTable(REPORT, { wide: false });
  const lines = text.trimEnd().split("\n");
  for (const line of lines) assert.ok(line.length <= 80, `${line.length} columns: ${line}`);
  assert.match(lines[0]!, /^CUSTOMER\s+TYPE\s+STATE\s+HEALTH\s+MCP\s+TOOLS\s+MS$/);
  assert.match(lines[1]!, /^vattenfall-de\s+grafana\s+running\s+healthy\s+ok\s+112\s+1235$/);
  assert.match(text, /segurcaixa-adeslas-\S*…\s+alertmanager\s+restarting\s+unhealthy\s+-\s+-\s+-/);
  assert.match(text, /deutsche-bahn-\S*…\s+genesys\s+running\s+starting\s+starting/);
  assert.match(text, /^old-customer\s+grafana\s+exited\s+none\s+orphan/m);
  assert.match(text, /^ {2}acme alertmanager: stale: config, image differ$/m);
  assert.match(text, /^ {2}segurcaixa-adeslas-production-eu-west alertmanager: OOM killed; exit code 137/m);
  assert.equal(lines.at(-1), "1/4 ok; 1 starting, 1 unhealthy, 1 stale, 1 orphan (1 not ok)");
});

test("short names are not padded out to 80 columns", () => {
  const text = statusTable({ ...REPORT, services: [row("a", "grafana")] }, { wide: false });
  assert.equal(text.split("\n")[1], "a         grafana  running  healthy  ok   112    1235");
});

test("--wide shows URL, exit code, restarts, image, created, health streak, protocol, server and note", () => {
  const lines = statusTable(REPORT, { wide: true }).trimEnd().split("\n");
  assert.deepEqual(lines[0]!.split(/\s+/), [
    "CUSTOMER",
    "TYPE",
    "STATE",
    "HEALTH",
    "MCP",
    "TOOLS",
    "MS",
    "URL",
    "EXIT",
    "RESTARTS",
    "IMAGE",
    "CREATED",
    "STREAK",
    "PROTOCOL",
    "SERVER",
    "NOTE",
  ]);
  const crash = lines.find((l) => l.startsWith("segurcaixa-adeslas-production-eu-west"))!;
  assert.match(
    crash,
    /restarting\s+unhealthy\s+-\s+-\s+-\s+http:\/\/127\.0\.0\.1:29999\/mcp\s+137\s+12\s+mcps\/segurcaixa-production\/alertmanager:0123456789ab\s+2026-03-01T10:00:00\.000000000Z\s+17\s+-\s+-\s+OOM killed; exit code 137, 12 restarts/,
  );
  const fine = lines.find((l) => l.startsWith("vattenfall-de"))!;
  assert.match(fine, /http:\/\/127\.0\.0\.1:29999\/mcp\s+-\s+0\s+\S+\s+\S+\s+0\s+2025-06-18\s+mcp-alertmanager\s+-$/);
});

test("the summary names only what is not zero, and says when nothing was probed", () => {
  const clean = {
    ...REPORT,
    probed: false,
    services: [],
    summary: { total: 3, ok: 3, starting: 0, stopped: 0, running: 3, missing: 0, unhealthy: 0, stale: 0, orphans: 0, orphansNotOk: 0 },
  };
  assert.equal(summaryLine(clean), "3/3 ok (no MCP probe)");
});

test("watch: one line per change, gone rows too; nothing for rows that did not change", () => {
  const before: StatusReport = { ...REPORT, services: [row("acme", "grafana"), row("bolt", "grafana")] };
  const after: StatusReport = {
    ...REPORT,
    checkedAt: "2026-03-01T12:00:10.000Z",
    services: [row("acme", "grafana", { state: "exited", health: "none", verdict: "failing", ok: false, mcp: null, note: "exit code 137" })],
  };
  const changes = changedRows(before, after);
  assert.deepEqual(
    changes.map((c) => [c.row.customer, c.gone]),
    [
      ["acme", false],
      ["bolt", true],
    ],
  );
  assert.equal(changeLine(after.checkedAt, changes[0]!.row, false), "2026-03-01T12:00:10.000Z acme grafana: failing (exited/none) exit code 137");
  assert.equal(changedRows(after, after).length, 0);
});

test("watch: a report now, another after Docker events, and the loop ends cleanly when the signal aborts", async () => {
  const engine = new FakeEngine();
  const stop = new AbortController();
  let taken = 0;
  const take = async (): Promise<StatusReport> => ({
    ...REPORT,
    checkedAt: `t${++taken}`,
    services: [row("acme", "grafana", { state: taken === 1 ? "running" : "exited" })],
  });
  const reports = watchReports(take, engine.events({ "mcps.project": "mcps" }, stop.signal), {
    intervalMs: 60_000,
    signal: stop.signal,
    settleMs: 1,
  });
  const out: string[] = [];
  const sink = { write: (s: string) => out.push(s) } as unknown as NodeJS.WritableStream;
  const done = watchStatus(reports, { out: sink, tty: false, json: false, wide: false });
  await new Promise((r) => setTimeout(r, 20));
  engine.emit({ id: "x", action: "die", labels: { "mcps.project": "other" } });
  engine.emit({ id: "c1", action: "die", labels: { "mcps.project": "mcps" } });
  await new Promise((r) => setTimeout(r, 50));
  stop.abort();
  await done;
  assert.equal(taken, 2, "one report at the start, one after the event; the other project's event is filtered");
  assert.deepEqual(out, ["t1 acme grafana: ok (running/healthy mcp ok)\n", "t2 acme grafana: ok (exited/healthy mcp ok)\n"]);
});
