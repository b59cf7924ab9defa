/**
 * A customer's own systems, for tests that follow a tool call to its end: Debian's Alertmanager in a
 * container (an image built FROM the test base with the host's binary copied in, as no registry is
 * reachable), and a Grafana stand-in that answers /api/search only to `Authorization: Bearer <token>`.
 * Each joins one customer's network under an alias, the host name the customer's config names. mcps
 * does not own these containers: the test removes them (removeUpstreams) before the project's cleanup.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { docker } from "./docker.js";
import { call, until } from "./serve.js";

export const ALERTMANAGER_BIN = "/usr/bin/prometheus-alertmanager";
/** Debian's build reads its notification templates from here, and will not load its config without them. */
const TEMPLATES = "/usr/share/prometheus/alertmanager";

/** Builds `tag` from `base`; the binary needs only libc (Debian links Go programs against it), which bookworm has. */
export function buildAlertmanagerImage(base: string, tag: string): void {
  const ctx = mkdtempSync(path.join(os.tmpdir(), "mcps-upstream-am-"));
  try {
    copyFileSync(ALERTMANAGER_BIN, path.join(ctx, "alertmanager"));
    for (const t of ["default.tmpl", "email.tmpl"]) copyFileSync(path.join(TEMPLATES, t), path.join(ctx, t));
    // No receiver sends anything anywhere: the test reads what arrived through the API.
    writeFileSync(path.join(ctx, "alertmanager.yml"), "route:\n  receiver: none\nreceivers:\n  - name: none\n");
    const dockerfile = [
      `FROM ${base}`,
      "COPY alertmanager /usr/local/bin/alertmanager",
      "COPY alertmanager.yml /etc/alertmanager.yml",
      `COPY default.tmpl email.tmpl ${TEMPLATES}/`,
      "USER 1000:1000",
      // The cluster port off: a lone instance, listening only where the test talks to it.
      'ENTRYPOINT ["/usr/local/bin/alertmanager", "--config.file=/etc/alertmanager.yml", "--storage.path=/tmp/am", "--web.listen-address=:9093", "--cluster.listen-address="]',
    ].join("\n");
    writeFileSync(path.join(ctx, "Dockerfile"), `${dockerfile}\n`);
    docker(["build", "-q", "-t", tag, ctx], { timeoutMs: 300_000 });
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

export interface Upstream {
  container: string;
  /** http://127.0.0.1:<port>, published on loopback for the test itself. */
  base: string;
}

function hostBase(container: string, port: number): string {
  const published =
    docker(["port", container, `${port}/tcp`])
      .trim()
      .split("\n")[0] ?? "";
  return `http://127.0.0.1:${published.slice(published.lastIndexOf(":") + 1)}`;
}

async function ready(u: Upstream, pathname: string): Promise<Upstream> {
  const answers = async () => (await call(u.base, pathname, { timeoutMs: 2_000 }).catch(() => ({ status: 0 }))).status === 200;
  try {
    await until(answers, 60_000, `${u.container} answering ${pathname}`);
  } catch (e) {
    const logs = spawnSync("docker", ["logs", "--tail", "20", u.container], { encoding: "utf8", timeout: 30_000 });
    throw new Error(`${(e as Error).message}; its last log lines:\n${logs.stdout}${logs.stderr}`);
  }
  return u;
}

/** The Alertmanager on `network` as `alias`:9093, its API also on a loopback port. */
export async function runAlertmanager(image: string, container: string, network: string, alias: string): Promise<Upstream> {
  docker(["run", "-d", "--name", container, "--network", network, "--network-alias", alias, "-p", "127.0.0.1::9093", image]);
  return ready({ container, base: hostBase(container, 9093) }, "/-/ready");
}

/** One firing alert whose `marker` label is the test's unique value; resolves once the API lists it. */
export async function postAlert(am: Upstream, alertname: string, marker: string): Promise<void> {
  const alert = { labels: { alertname, marker, severity: "warning" }, annotations: { summary: `posted by the test (${marker})` } };
  const posted = await call(am.base, "/api/v2/alerts", { method: "POST", headers: { "content-type": "application/json" }, body: [alert] });
  if (posted.status !== 200) throw new Error(`POST /api/v2/alerts: ${posted.status} ${posted.text}`);
  const listed = async () => (await call(am.base, "/api/v2/alerts")).text.includes(marker);
  await until(listed, 30_000, `${marker} listed by ${am.container}`);
}

/**
 * Grafana's /api/search for a service account token: 200 with one dashboard titled `title` when the
 * header is exactly `Bearer $EXPECTED_TOKEN`, else 401 as Grafana answers. It logs `accepted` or
 * `refused` per request (never the header), so the test can see the call arrived.
 */
const STAND_IN = `
const http = require("node:http");
const expected = "Bearer " + process.env.EXPECTED_TOKEN;
http.createServer((req, res) => {
  const path = req.url.split("?")[0];
  if (path === "/healthz") return res.end("ok");
  const ok = req.headers.authorization === expected;
  console.log((ok ? "accepted " : "refused ") + req.method + " " + path);
  if (!ok) {
    res.writeHead(401, { "content-type": "application/json" });
    return res.end(JSON.stringify({ message: "Unauthorized" }));
  }
  const found = path === "/api/search" ? [{ uid: "stand-in", title: process.env.TITLE, url: "/d/stand-in", type: "dash-db", tags: [] }] : [];
  res.writeHead(200, { "content-type": "application/json" });
  res.end(JSON.stringify(found));
}).listen(3000);
`;

/** The stand-in on `network` as `alias`:3000; the expected token reaches it by environment, never argv. */
export async function runGrafanaStandIn(
  base: string,
  container: string,
  network: string,
  alias: string,
  expected: { token: string; title: string },
): Promise<Upstream> {
  const env = { EXPECTED_TOKEN: expected.token, TITLE: expected.title };
  const args = ["run", "-d", "--name", container, "--network", network, "--network-alias", alias, "-p", "127.0.0.1::3000"];
  docker([...args, "-e", "EXPECTED_TOKEN", "-e", "TITLE", "--user", "1000:1000", "--entrypoint", "node", base, "-e", STAND_IN], { env });
  return ready({ container, base: hostBase(container, 3000) }, "/healthz");
}

/** What the stand-in logged: one `accepted`/`refused <method> <path>` line per request. */
export function standInLog(u: Upstream): string[] {
  return docker(["logs", u.container]).trim().split("\n").filter(Boolean);
}

/** Containers this file started (mcps does not own them), removed whether or not they exist. */
export function removeUpstreams(containers: string[]): void {
  for (const c of containers) {
    try {
      docker(["rm", "-f", c]);
    } catch {
      // never created
    }
  }
}
