/** Commander wiring of the commands that talk to the Docker engine. Modules load only when used. */
import { Option, type Command } from "commander";
import type { Shown } from "./cli-exit.js";
import { action, type Cli, jsonText, progressTo, sourceOptions } from "./cli-support.js";
import type { ContainerEngine } from "./engine/container-engine.js";
import { UsageError } from "./errors.js";
import { positiveInt, parseBuildArgs } from "./load/selection.js";

type Common = { config: string; catalog: string; out: string; json?: boolean; imagePrefix?: string };
type Selected = Common & { type?: string[]; all?: boolean };

async function engine(): Promise<ContainerEngine> {
  const { DockerEngine } = await import("./engine/docker-engine.js");
  return new DockerEngine();
}

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

function startLike(cli: Cli, cmd: Command, restart: boolean): void {
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
        cli,
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
          const [{ startCommand }, { startTable }, eng] = await Promise.all([
            import("./commands/start.js"),
            import("./output/start-table.js"),
            engine(),
          ]);
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
            { engine: eng, onProgress: progressTo(cli), ...(cli.io.env && { env: cli.io.env }) },
          );
          const { outcome, warnings, ...doc } = r;
          return { stdout: o.json ? jsonText({ ...doc, warnings }) : startTable(r), warnings, outcome };
        },
      ),
    );
}

/** status --target swarm: services and tasks through the Swarm API, probes from inside each customer's network. */
async function swarmStatus(customers: string[], o: Selected & { probe: boolean; timeout: string; wide?: boolean; watch?: boolean }): Promise<Shown> {
  if (o.watch || o.wide) throw new UsageError(`--${o.watch ? "watch" : "wide"} does not apply to --target swarm`);
  const [{ swarmStatusCommand }, { DockerSwarmEngine }, out] = await Promise.all([
    import("./commands/status-swarm.js"),
    import("./engine/docker-swarm-engine.js"),
    import("./output/swarm-status-output.js"),
  ]);
  const {
    report: r,
    warnings,
    outcome,
  } = await swarmStatusCommand(
    { ...source(o), customers, types: o.type ?? [], probe: o.probe, concurrency: 8, timeoutMs: positiveInt("--timeout", o.timeout) * 1000 },
    { engine: new DockerSwarmEngine() },
  );
  return { stdout: o.json ? jsonText(out.swarmStatusJson(r)) : out.swarmStatusTable(r), warnings, outcome };
}

export function registerEngineCommands(program: Command, cli: Cli): void {
  startLike(cli, program.command("start").description("create or start containers for the selected customers, idempotently"), false);
  startLike(cli, program.command("restart").description("stop, then start the selected customers"), true);

  selectable(program.command("stop").description("stop the selected customers' containers"))
    .option("--all", "every customer")
    .option("--timeout <seconds>", "grace period before the engine kills", "10")
    .option("--json", "one JSON document on stdout")
    .action(
      action(cli, async (customers: string[], o: Selected & { timeout: string }) => {
        const [{ stopCommand }, { stopTable }] = await Promise.all([import("./commands/stop.js"), import("./output/stop-table.js")]);
        const { services, outcome } = await stopCommand(
          { ...source(o), ...selection(customers, o), concurrency: 8, timeoutMs: positiveInt("--timeout", o.timeout) * 1000 },
          { engine: await engine(), onProgress: progressTo(cli) },
        );
        return { stdout: o.json ? jsonText({ services }) : stopTable(services), outcome };
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
        cli,
        async (
          customers: string[],
          o: Selected & { probe: boolean; timeout: string; wide?: boolean; watch?: boolean; interval?: string; target: string },
        ) => {
          if (o.interval !== undefined && !o.watch) throw new UsageError("--interval applies only with --watch");
          if (o.target === "swarm") return swarmStatus(customers, o);
          const { statusCommand, watchStatusCommand } = await import("./commands/status.js");
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
              out: cli.io.stdout,
              tty: cli.io.stdout.isTTY === true && !o.json,
              json: o.json ?? false,
              wide: o.wide ?? false,
            });
            return {};
          }
          const { report: r, warnings, outcome } = await statusCommand(opts, { engine: await engine() });
          return { stdout: o.json ? jsonText(statusJson(r)) : statusTable(r, { wide: o.wide ?? false }), warnings, outcome };
        },
      ),
    );

  sourceOptions(program.command("logs").description("a container's logs"))
    .argument("<customer>", "customer id or name")
    .argument("<type>", "MCP type")
    .option("-f, --follow", "keep streaming")
    .addOption(new Option("--tail <n>", "only the last n lines"))
    .action(
      action(cli, async (customer: string, type: string, o: Common & { follow?: boolean; tail?: string }) => {
        const { logsCommand } = await import("./commands/logs.js");
        const args = { ...source(o), customer, type, follow: o.follow ?? false, ...(o.tail && { tail: positiveInt("--tail", o.tail) }) };
        await logsCommand(args, { engine: await engine(), out: cli.io.stdout, err: cli.io.stderr });
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
      action(cli, async (customers: string[], o: { config: string; project?: string; timeout: string; json?: boolean }) => {
        const [{ downCommand }, { downTable }] = await Promise.all([import("./commands/down.js"), import("./output/down-table.js")]);
        const timeoutMs = seconds("--timeout", o.timeout) * 1000;
        const { outcome, ...r } = await downCommand(
          { config: o.config, ...(o.project !== undefined && { project: o.project }), customers, timeoutMs, concurrency: 8 },
          { engine: await engine(), onProgress: progressTo(cli) },
        );
        return { stdout: o.json ? jsonText(r) : downTable(r), warnings: r.warnings, outcome };
      }),
    );
}
