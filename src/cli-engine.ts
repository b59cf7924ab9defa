/** Commander wiring of the commands that talk to the Docker engine. Modules load only when used. */
import { Option, type Command } from "commander";
import { registerStatusCommand } from "./cli-status.js";
import {
  action,
  type Cli,
  type Common,
  engine,
  jsonText,
  progressTo,
  type Selected,
  selectable,
  selection,
  source,
  sourceOptions,
} from "./cli-support.js";
import { UsageError } from "./errors.js";
import { positiveInt, parseBuildArgs } from "./load/selection.js";

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

export function registerEngineCommands(program: Command, cli: Cli): void {
  startLike(cli, program.command("start").description("create or start containers for the selected customers, idempotently"), false);
  startLike(cli, program.command("restart").description("stop, then start the selected customers"), true);

  selectable(program.command("stop").description("stop the selected customers' containers"))
    .option("--all", "every customer")
    .option("--timeout <seconds>", "grace period before the engine kills (default: each service's stop grace, 10 s)")
    .option("--json", "one JSON document on stdout")
    .action(
      action(cli, async (customers: string[], o: Selected & { timeout?: string }) => {
        const [{ stopCommand }, { stopTable }] = await Promise.all([import("./commands/stop.js"), import("./output/stop-table.js")]);
        const { services, outcome } = await stopCommand(
          {
            ...source(o),
            ...selection(customers, o),
            concurrency: 8,
            ...(o.timeout !== undefined && { timeoutMs: positiveInt("--timeout", o.timeout) * 1000 }),
          },
          { engine: await engine(), onProgress: progressTo(cli) },
        );
        return { stdout: o.json ? jsonText({ services }) : stopTable(services), outcome };
      }),
    );

  registerStatusCommand(program, cli);

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
    .option("--timeout <seconds>", "grace period before the engine kills (default: each service's stop grace, 10 s)")
    .option("--json", "one JSON document on stdout")
    .action(
      action(cli, async (customers: string[], o: { config: string; project?: string; timeout?: string; json?: boolean }) => {
        const [{ downCommand }, { downTable }] = await Promise.all([import("./commands/down.js"), import("./output/down-table.js")]);
        const timeoutMs = o.timeout === undefined ? undefined : seconds("--timeout", o.timeout) * 1000;
        const { outcome, ...r } = await downCommand(
          {
            config: o.config,
            ...(o.project !== undefined && { project: o.project }),
            customers,
            ...(timeoutMs !== undefined && { timeoutMs }),
            concurrency: 8,
          },
          { engine: await engine(), onProgress: progressTo(cli) },
        );
        return { stdout: o.json ? jsonText(r) : downTable(r), warnings: r.warnings, outcome };
      }),
    );
}
