/** Commander wiring of `mcps serve`; runs until SIGINT or SIGTERM. */
import type { Command } from "commander";
import { oneLine } from "./cli-exit.js";
import { action, type Cli, composeFile, sourceOptions } from "./cli-support.js";

export function registerServeCommand(program: Command, cli: Cli): void {
  const log = (line: string) => cli.io.stderr.write(`${oneLine(line)}\n`);
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
        cli,
        async (o: {
          config: string;
          catalog: string;
          compose: string;
          out?: string;
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
              compose: composeFile(o),
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
              ...(cli.io.env && { env: cli.io.env }),
            },
          );
          log(`mcps serve: listening on ${handle.url} (project ${handle.store.plan.project}, ${handle.store.plan.services.length} services)`);
          // One signal ends serve, and both listeners go, so nothing outlives the run (main() in another program).
          await new Promise<void>((resolve) => {
            const end = () => {
              process.removeListener("SIGINT", end);
              process.removeListener("SIGTERM", end);
              resolve();
            };
            process.on("SIGINT", end);
            process.on("SIGTERM", end);
          });
          await handle.close();
        },
      ),
    );
}
