/** Commander wiring of the commands that talk to the Docker engine. Modules load only when used. */
import { Option, type Command } from "commander";
import type { ContainerEngine } from "./engine/container-engine.js";
import { ExitCode, UsageError } from "./errors.js";
import { action, sourceOptions, warn } from "./cli-support.js";
import { positiveInt, parseBuildArgs } from "./load/selection.js";
import { table } from "./output/table.js";
import { describeAction, isFailure, type CustomerResult, type ServiceOutcome } from "./orchestrate/outcome.js";

type Common = { config: string; catalog: string; out: string; json?: boolean; imagePrefix?: string };
type Selected = Common & { type?: string[]; all?: boolean };

async function engine(): Promise<ContainerEngine> {
  const { DockerEngine } = await import("./engine/docker-engine.js");
  return new DockerEngine();
}

/** Progress goes to stderr, one line per event, so stdout stays the result (or the JSON document). */
const progress = (line: string) => process.stderr.write(`${line}\n`);
const json = (value: unknown) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
const source = (o: Common) => ({
  config: o.config,
  catalog: o.catalog,
  compose: o.out,
  ...(o.imagePrefix !== undefined && { imagePrefix: o.imagePrefix }),
});
/** One value per --type, repeatable: a variadic option would swallow the customers after it. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The config options plus the customers and types a command acts on. */
const selectable = (cmd: Command): Command =>
  sourceOptions(cmd)
    .argument("[customer...]", "customer ids or names")
    .option("--type <type>", "only this MCP type (repeat for more: --type a --type b)", collect);

const selection = (customers: string[], o: Selected) => ({ customers, types: o.type ?? [], all: o.all ?? false });

/** Whole seconds, 0 allowed (stop at once, like `docker-compose down -t 0`). */
function seconds(flag: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n))
    throw new UsageError(`${flag} ${JSON.stringify(value)}: expected a whole number of seconds (0 or more)`);
  return n;
}

/** Tables of what start did; a failure's log lines follow the tables, indented, so the table stays one row per service. */
function startReport(services: ServiceOutcome[], customers: CustomerResult[]): string {
  const rows = services.map((s) => [s.service, describeAction(s), s.url, s.reason?.split("\n")[0] ?? ""]);
  let text = table(["SERVICE", "ACTION", "URL", "REASON"], rows);
  text += table(
    ["CUSTOMER", "CONNECTED", "FAILED"],
    customers.map((c) => [c.customer, c.connected_mcps.join(",") || "-", c.failed_mcps.map((f) => f.type).join(",") || "-"]),
  );
  for (const s of services) if (s.reason?.includes("\n")) text += `\n${s.service}: ${s.reason}\n`;
  return text;
}

function startLike(cmd: Command, restart: boolean): void {
  selectable(cmd)
    .option("--all", "every customer")
    .option("--wait", "return when every started service answers MCP through its port")
    .option("--timeout <seconds>", "with --wait: how long to wait", "120")
    .option("--concurrency <n>", "services handled at once", "16")
    .option("--build", "rebuild images even when present")
    .option("--build-arg <KEY=VALUE...>", "build arguments, e.g. BASE_IMAGE=node:20-slim")
    .option("--force-recreate", "recreate containers even when unchanged (after rotating a credential)")
    .option("--no-heal", "leave running containers alone even when they do not answer MCP")
    // Not --env-file: Node 20 reads that option itself wherever it appears, even after the script
    // (a missing file is "node: nope.env: not found", exit 9, before mcps runs).
    .option("--credentials <file>", "credentials file, compose's env-file rules (default: mcp_credentials.env beside the config)")
    .option("--json", "one JSON document on stdout")
    .action(
      action(
        async (
          customers: string[],
          o: Selected & {
            wait?: boolean;
            timeout: string;
            concurrency: string;
            build?: boolean;
            buildArg?: string[];
            forceRecreate?: boolean;
            heal: boolean;
            credentials?: string;
          },
        ) => {
          // Both module graphs load at once: they are a good part of a cold start's time.
          const [{ startCommand }, eng] = await Promise.all([import("./commands/start.js"), engine()]);
          const r = await startCommand(
            {
              ...source(o),
              ...selection(customers, o),
              ...(o.wait && { waitMs: positiveInt("--timeout", o.timeout) * 1000 }),
              concurrency: positiveInt("--concurrency", o.concurrency),
              build: o.build ?? false,
              buildArgs: parseBuildArgs(o.buildArg ?? []),
              forceRecreate: o.forceRecreate ?? false,
              heal: o.heal,
              restart,
              ...(o.credentials && { envFile: o.credentials }),
            },
            { engine: eng, onProgress: progress },
          );
          warn(r.warnings);
          if (o.json) json(r);
          else process.stdout.write(startReport(r.services, r.customers));
          return r.services.some(isFailure) ? ExitCode.failed : ExitCode.ok;
        },
      ),
    );
}

/** status --target swarm: services and tasks through the Swarm API, probes from inside each customer's network. */
async function swarmStatus(customers: string[], o: Selected & { probe: boolean; timeout: string; wide?: boolean; watch?: boolean }): Promise<number> {
  if (o.watch || o.wide) throw new UsageError(`--${o.watch ? "watch" : "wide"} does not apply to --target swarm`);
  const [{ swarmStatusCommand }, { DockerSwarmEngine }, { swarmAllOk }, out] = await Promise.all([
    import("./commands/status-swarm.js"),
    import("./engine/docker-swarm-engine.js"),
    import("./orchestrate/swarm-verdicts.js"),
    import("./output/swarm-status-output.js"),
  ]);
  const { report: r, warnings } = await swarmStatusCommand(
    { ...source(o), customers, types: o.type ?? [], probe: o.probe, concurrency: 8, timeoutMs: positiveInt("--timeout", o.timeout) * 1000 },
    { engine: new DockerSwarmEngine() },
  );
  warn(warnings);
  if (o.json) json(out.swarmStatusJson(r));
  else process.stdout.write(out.swarmStatusTable(r));
  return swarmAllOk(r) ? ExitCode.ok : ExitCode.failed;
}

export function registerEngineCommands(program: Command): void {
  startLike(program.command("start").description("create or start containers for the selected customers, idempotently"), false);
  startLike(program.command("restart").description("stop, then start the selected customers"), true);

  selectable(program.command("stop").description("stop the selected customers' containers"))
    .option("--all", "every customer")
    .option("--timeout <seconds>", "grace period before the engine kills", "10")
    .option("--json", "one JSON document on stdout")
    .action(
      action(async (customers: string[], o: Selected & { timeout: string }) => {
        const { stopCommand } = await import("./commands/stop.js");
        const r = await stopCommand(
          { ...source(o), ...selection(customers, o), concurrency: 8, timeoutMs: positiveInt("--timeout", o.timeout) * 1000 },
          { engine: await engine(), onProgress: progress },
        );
        if (o.json) json({ services: r });
        else
          process.stdout.write(
            r.length
              ? table(
                  ["SERVICE", "ACTION", "REASON"],
                  r.map((s) => [s.service, s.action, s.reason ?? ""]),
                )
              : "nothing to stop\n",
          );
        return r.some((s) => s.action === "failed") ? ExitCode.failed : ExitCode.ok;
      }),
    );

  selectable(
    program.command("status").description("Docker state and a real MCP handshake per service (exit 0 only when every service and orphan is ok)"),
  )
    .option("--no-probe", "Docker state and health only, no MCP handshake")
    .option("--timeout <seconds>", "per-probe time limit", "5")
    .option("--wide", "every column: URL, exit code, restarts, image, created, health streak, protocol, server, note")
    .option("--watch", "keep watching: redraw on a terminal, one line per change otherwise; Ctrl-C ends it (exit 0)")
    .option("--interval <seconds>", "with --watch: probe at least this often (default 10)")
    .option("--json", "one JSON document on stdout (with --watch: one JSON line per change)")
    .addOption(
      new Option("--target <engine>", "where the fleet runs: this engine's containers, or a Swarm stack")
        .choices(["compose", "swarm"])
        .default("compose"),
    )
    .action(
      action(
        async (
          customers: string[],
          o: Selected & { probe: boolean; timeout: string; wide?: boolean; watch?: boolean; interval?: string; target: string },
        ) => {
          if (o.interval !== undefined && !o.watch) throw new UsageError("--interval applies only with --watch");
          if (o.target === "swarm") return swarmStatus(customers, o);
          const { statusCommand, watchStatusCommand } = await import("./commands/status.js");
          const { allOk } = await import("./orchestrate/status.js");
          const { statusTable } = await import("./output/status-table.js");
          const { statusJson } = await import("./output/status-json.js");
          // Probes are network waits, not work: all 30 of a fleet at once cost less than two rounds.
          const opts = {
            ...source(o),
            customers,
            types: o.type ?? [],
            probe: o.probe,
            concurrency: 32,
            timeoutMs: positiveInt("--timeout", o.timeout) * 1000,
          };
          if (o.watch) {
            const { watchStatus } = await import("./output/status-watch-render.js");
            const stop = new AbortController();
            process.once("SIGINT", () => stop.abort());
            const reports = watchStatusCommand(
              { ...opts, intervalMs: positiveInt("--interval", o.interval ?? "10") * 1000 },
              { engine: await engine(), signal: stop.signal },
            );
            await watchStatus(reports, {
              out: process.stdout,
              tty: process.stdout.isTTY === true && !o.json,
              json: o.json ?? false,
              wide: o.wide ?? false,
            });
            return ExitCode.ok;
          }
          const { report: r, warnings } = await statusCommand(opts, { engine: await engine() });
          warn(warnings);
          if (o.json) json(statusJson(r));
          else process.stdout.write(statusTable(r, { wide: o.wide ?? false }));
          return allOk(r) ? ExitCode.ok : ExitCode.failed;
        },
      ),
    );

  sourceOptions(program.command("logs").description("a container's logs"))
    .argument("<customer>", "customer id or name")
    .argument("<type>", "MCP type")
    .option("-f, --follow", "keep streaming")
    .addOption(new Option("--tail <n>", "only the last n lines"))
    .action(
      action(async (customer: string, type: string, o: Common & { follow?: boolean; tail?: string }) => {
        const { logsCommand } = await import("./commands/logs.js");
        const args = { ...source(o), customer, type, follow: o.follow ?? false, ...(o.tail && { tail: positiveInt("--tail", o.tail) }) };
        await logsCommand(args, { engine: await engine(), out: process.stdout, err: process.stderr });
      }),
    );

  program
    .command("down")
    .description("stop (with a grace period) and remove the project's containers, then its networks; only ones with its labels")
    .argument("[customer...]", "only these customers (id or name); their network goes too once empty")
    .option("-c, --config <file>", "where the project name is read from", "mcp_servers.json")
    .option("-p, --project <name>", "the project to take down, without reading any config")
    .option("--timeout <seconds>", "grace period before the engine kills", "10")
    .option("--json", "one JSON document on stdout")
    .action(
      action(async (customers: string[], o: { config: string; project?: string; timeout: string; json?: boolean }) => {
        const { downCommand } = await import("./commands/down.js");
        const { downFailed } = await import("./orchestrate/down.js");
        const timeoutMs = seconds("--timeout", o.timeout) * 1000;
        const r = await downCommand(
          { config: o.config, ...(o.project !== undefined && { project: o.project }), customers, timeoutMs, concurrency: 8 },
          { engine: await engine(), onProgress: progress },
        );
        warn(r.warnings);
        if (o.json) json(r);
        else {
          const rows = [
            ...r.containers.map((c) => [c.name, "container", c.action, c.reason ?? ""]),
            ...r.networks.map((n) => [n.name, "network", n.action, n.reason ?? ""]),
          ];
          if (rows.length) process.stdout.write(table(["NAME", "KIND", "ACTION", "REASON"], rows));
          const removed = (xs: Array<{ action: string }>) => xs.filter((x) => x.action === "removed").length;
          process.stdout.write(`Removed ${removed(r.containers)} containers and ${removed(r.networks)} networks of project ${r.project}\n`);
        }
        return downFailed(r) ? ExitCode.failed : ExitCode.ok;
      }),
    );
}
