#!/usr/bin/env node
/**
 * Commander wiring only. This is the one place where errors become messages and exit codes:
 * 0 ok, 1 unhealthy / failed / stale, 2 bad input, 3 engine unreachable.
 */
import { Command, CommanderError, Option } from "commander";
import { TARGET_NAMES, type TargetName } from "./commands/target-names.js";
import { ExitCode } from "./errors.js";
import { registerClientsCommands } from "./cli-clients.js";
import { registerEngineCommands } from "./cli-engine.js";
import { registerServeCommand } from "./cli-serve.js";
import { registerSecretsCommands } from "./cli-secrets.js";
import { action, report, sourceOptions, warn } from "./cli-support.js";

type GenerateFlags = {
  config: string;
  catalog: string;
  out: string;
  target: TargetName;
  check?: boolean;
  customer?: string[];
  dev?: boolean;
  publish?: boolean;
  imagePrefix?: string;
};

const program = new Command("mcps")
  .description("Customer -> MCP server mapping to a compose file and running, health-checked containers")
  .version("0.1.0")
  .option("--debug", "show stack traces of unexpected errors")
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(`${usageLine(text)}\n`) });

/**
 * A command-line mistake is one `mcps: ...` line, like every other bad input: commander's
 * "error: unknown command 'generat'" and "(Did you mean generate?)" become one line.
 */
function usageLine(text: string): string {
  const lines = text
    .trim()
    .replace(/^error: /, "")
    .split("\n");
  const suggestion = lines.map((l) => /^\(Did you mean (.+)\?\)$/.exec(l.trim())?.[1]).find(Boolean);
  const line = lines[0]!;
  if (/unknown option '--env-file'/.test(line)) return `mcps: ${line} (it is --credentials: Node itself reads --env-file)`;
  return `mcps: ${line}${suggestion ? ` (did you mean ${suggestion}?)` : " (mcps --help shows the usage)"}`;
}

sourceOptions(program.command("generate"))
  .description("write the compose file (or a Swarm stack file, or a Kubernetes folder): one service per enabled (customer, MCP type)")
  .addOption(new Option("--target <engine>", "what the output is for").choices(TARGET_NAMES).default("compose"))
  .option("--check", "write nothing; exit 1 with a summary when the file on disk is stale")
  .option("--customer <id...>", "only these customers (id or name)")
  .option("--dev", "a developer's stack: no profiles, no restart policy (see docker-compose.dev.yml)")
  .option("--publish", "swarm: publish host ports in host mode (open on every interface of every node)")
  .action(
    action(async (opts: GenerateFlags, cmd: Command) => {
      const { generate } = await import("./commands/generate.js");
      // --out's default is the compose file; another target has its own default file.
      const out = cmd.getOptionValueSource("out") === "default" ? undefined : opts.out;
      const { customer, out: _out, ...rest } = opts;
      const r = await generate({ ...rest, ...(out !== undefined && { out }), customers: customer ?? [] });
      warn(r.warnings);
      if (r.kind === "printed") process.stdout.write(r.text);
      if (r.kind === "current") process.stdout.write(`${r.out} is up to date\n`);
      if (r.kind === "stale") {
        const again = opts.target === "compose" ? "mcps generate" : `mcps generate --target ${opts.target}`;
        process.stdout.write(`${r.out} is stale; run \`${again}\`:\n${r.differences.map((d) => `  ${d}\n`).join("")}`);
        return ExitCode.failed;
      }
      if (r.kind === "written") {
        const what = `${r.services} services for ${r.customers} customer${r.customers === 1 ? "" : "s"}`;
        process.stdout.write(r.unchanged ? `${r.out} unchanged (${what})\n` : `Wrote ${r.out} (${what})\n`);
      }
    }),
  );

program
  .command("schema")
  .description("print the JSON Schema of mcp_servers.json (or of a type manifest) for editors")
  .addOption(new Option("--for <kind>", "which file").choices(["config", "manifest"]).default("config"))
  .action(
    action(async (opts: { for: "config" | "manifest" }) => {
      const { jsonSchema } = await import("./config/json-schema.js");
      process.stdout.write(`${JSON.stringify(jsonSchema(opts.for), null, 2)}\n`);
    }),
  );

program
  .command("migrate")
  .description("convert the older grafana_servers.json into mcp_servers.json")
  .option("--from <file>", "the older file", "grafana_servers.json")
  .option("-o, --out <file>", 'where to write ("-" for stdout)', "mcp_servers.json")
  .option("--catalog <dir>", "folder of MCP types the converted file is checked against", "mcps")
  .option("--force", "overwrite an existing output file")
  .action(
    action(async (opts: { from: string; out: string; catalog: string; force?: boolean }) => {
      const { migrate } = await import("./commands/migrate.js");
      const r = await migrate(opts);
      if (r.written) process.stdout.write(`Wrote ${r.written} (${r.customers} customers)\n`);
      else process.stdout.write(r.text);
    }),
  );

registerEngineCommands(program);
registerClientsCommands(program);
registerServeCommand(program);
registerSecretsCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (e) {
  if (e instanceof CommanderError) {
    // Help and version are not errors; every other parse failure is bad input.
    process.exitCode = e.exitCode === 0 ? ExitCode.ok : ExitCode.badInput;
  } else {
    process.exitCode = report(e);
  }
}
