/** Commander wiring of `mcps serve`; runs until SIGINT or SIGTERM. */
import type { Command } from "commander";
import { action, oneLine, sourceOptions } from "./cli-support.js";
import { ExitCode } from "./errors.js";

const log = (line: string) => process.stderr.write(`${oneLine(line)}\n`);

export function registerServeCommand(program: Command): void {
  sourceOptions(program.command("serve"))
    .description("HTTP API, live dashboard and metrics over the fleet; starts customers on demand")
    .option("--listen <address:port>", "where to listen (a non-loopback address needs --token-env)", "127.0.0.1:7070")
    .option("--idle-stop <duration>", "stop customers nobody switched to or started within this time, e.g. 30m")
    .option("--token-env <VAR>", "the environment variable holding the bearer token every request must carry")
    .option("--probe-interval <duration>", "how often running servers get an MCP probe", "10s")
    .option("--build-arg <KEY=VALUE...>", "build arguments for images a start has to build, e.g. BASE_IMAGE=node:20-slim")
    .option("--wake-timeout <duration>", "how long a gateway request (/mcp/<customer>) waits for a stopped customer to start", "60s")
    .option("--audit-log <file>", "append one JSON line per gateway tools/call to this file (reopened on SIGHUP)")
    .action(
      action(
        async (o: {
          config: string;
          catalog: string;
          out: string;
          listen: string;
          idleStop?: string;
          tokenEnv?: string;
          probeInterval: string;
          buildArg?: string[];
          wakeTimeout: string;
          auditLog?: string;
        }) => {
          const { serveCommand } = await import("./commands/serve.js");
          const handle = await serveCommand(
            {
              config: o.config,
              catalog: o.catalog,
              compose: o.out,
              listen: o.listen,
              probeInterval: o.probeInterval,
              ...(o.idleStop !== undefined && { idleStop: o.idleStop }),
              ...(o.tokenEnv !== undefined && { tokenEnv: o.tokenEnv }),
              ...(o.buildArg !== undefined && { buildArg: o.buildArg }),
              wakeTimeout: o.wakeTimeout,
              ...(o.auditLog !== undefined && { auditLog: o.auditLog }),
            },
            {
              engine: async () => new (await import("./engine/docker-engine.js")).DockerEngine(),
              log,
            },
          );
          log(`mcps serve: listening on ${handle.url} (project ${handle.store.plan.project}, ${handle.store.plan.services.length} services)`);
          await new Promise<void>((resolve) => {
            process.once("SIGINT", resolve);
            process.once("SIGTERM", resolve);
          });
          await handle.close();
          return ExitCode.ok;
        },
      ),
    );
}
