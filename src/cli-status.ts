/** Commander wiring of `mcps status`: this engine's containers, or a Swarm stack (--target swarm). Modules load only when used. */
import { type Command, Option } from "commander";
import type { Shown } from "./cli-exit.js";
import { action, type Cli, engine, jsonText, type Selected, selectable, source } from "./cli-support.js";
import { UsageError } from "./errors.js";
import { positiveInt } from "./load/selection.js";

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

export function registerStatusCommand(program: Command, cli: Cli): void {
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
            const interrupt = () => stop.abort();
            process.once("SIGINT", interrupt);
            // However the watch ends: a listener left behind would outlive the run (main() in another program).
            try {
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
            } finally {
              process.removeListener("SIGINT", interrupt);
            }
            return {};
          }
          const { report: r, warnings, outcome } = await statusCommand(opts, { engine: await engine() });
          return { stdout: o.json ? jsonText(statusJson(r)) : statusTable(r, { wide: o.wide ?? false }), warnings, outcome };
        },
      ),
    );
}
