/** Shared pieces of the command-line wiring: common options, and how an action hands its result to cli-exit.ts. */
import path from "node:path";
import { type Command, Option } from "commander";
import type { CliIo, Shown } from "./cli-exit.js";
import type { ContainerEngine } from "./engine/container-engine.js";

/** What every plan is made from. */
export const planOptions = (cmd: Command): Command =>
  cmd
    .option("-c, --config <file>", "customer -> MCP servers mapping", "mcp_servers.json")
    .option("--catalog <dir>", "folder of MCP types (<dir>/<type>/mcp.yaml)", "mcps")
    // In the plan (the image is hashed): generate, start and status must be given the same one.
    .option("--image-prefix <registry/>", "put REGISTRY/ before every built image (mcps/<type>:<digest>), for a registry all nodes reach");

/** The plan's options, and the generated compose file the command reads for the host ports it keeps. */
export const sourceOptions = (cmd: Command): Command =>
  planOptions(cmd)
    // The file these commands read is --compose, as in clients export; --out is what a command writes.
    .option("--compose <file>", "the generated compose file, read for the host ports it keeps", "docker-compose.mcps.yml")
    // The older spelling, still taken so scripts keep working; not shown in the help.
    .addOption(new Option("-o, --out <file>").hideHelp());

/** One run of the command line: where it writes, and what the action that ran showed. */
export interface Cli {
  io: CliIo;
  shown?: Shown;
}

/** A command body; what it returns is kept for cli-exit.ts's settle(), what it throws goes there through parseAsync. */
export function action<A extends unknown[]>(cli: Cli, body: (...args: A) => Promise<Shown | void>) {
  return async (...args: A): Promise<void> => {
    cli.shown = (await body(...args)) ?? {};
  };
}

/** Progress goes to stderr, one line per event, so stdout stays the result (or the JSON document). */
export const progressTo = (cli: Cli) => (line: string) => cli.io.stderr.write(`${line}\n`);

export const jsonText = (value: unknown) => `${JSON.stringify(value, null, 2)}\n`;

export type Common = { config: string; catalog: string; compose: string; out?: string; json?: boolean; imagePrefix?: string };
export type Selected = Common & { type?: string[]; all?: boolean };

/** The engine, built once per command and passed down (no singletons). */
export async function engine(): Promise<ContainerEngine> {
  const { DockerEngine } = await import("./engine/docker-engine.js");
  return new DockerEngine();
}

/** --compose, or the older --out naming the same file. */
export function composeFile(o: Pick<Common, "compose" | "out">): string {
  return o.out ?? o.compose;
}

export const source = (o: Common) => ({
  config: o.config,
  catalog: o.catalog,
  compose: composeFile(o),
  ...(o.imagePrefix !== undefined && { imagePrefix: o.imagePrefix }),
});
/** One value per --type, repeatable: a variadic option would swallow the customers after it. */
const collect = (value: string, previous: string[] = []) => [...previous, value];

/** The config options plus the customers and types a command acts on. */
export const selectable = (cmd: Command): Command =>
  sourceOptions(cmd)
    .argument("[customer...]", "customer ids or names")
    .option("--type <type>", "only this MCP type (repeat for more: --type a --type b)", collect);

export const selection = (customers: string[], o: Selected) => ({ customers, types: o.type ?? [], all: o.all ?? false });

/**
 * Defaults live beside the config, as compose reads paths relative to its own file: with
 * `--config ../mcp_servers.json`, the catalog is ../mcps and the compose file ../docker-compose.mcps.yml.
 * A path typed on the command line stays relative to where mcps runs. Runs before every action.
 */
export function defaultsBesideConfig(cmd: Command): void {
  const config: unknown = cmd.getOptionValue("config");
  if (typeof config !== "string" || path.dirname(config) === ".") return;
  for (const name of ["catalog", "compose"]) {
    const value: unknown = cmd.getOptionValue(name);
    if (cmd.getOptionValueSource(name) === "default" && typeof value === "string") {
      cmd.setOptionValueWithSource(name, path.join(path.dirname(config), value), "default");
    }
  }
}
