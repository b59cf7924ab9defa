#!/usr/bin/env node
/**
 * Commander wiring only. This is the one place where errors become messages and exit codes:
 * 0 ok, 1 unhealthy / failed / stale, 2 bad input, 3 engine unreachable.
 */
import { Command, CommanderError, Option } from "commander";
import { ExitCode } from "./errors.js";
import { registerEngineCommands } from "./cli-engine.js";
import { registerServeCommand } from "./cli-serve.js";
import { action, report, sourceOptions, warn } from "./cli-support.js";

const program = new Command("mcps")
  .description("Customer -> MCP server mapping to a compose file and running, health-checked containers")
  .version("0.1.0")
  .option("--debug", "show stack traces of unexpected errors")
  .exitOverride()
  .showHelpAfterError("(run mcps --help for usage)");

sourceOptions(program.command("generate"))
  .description("write the compose file: one service per enabled (customer, MCP type)")
  .option("--check", "write nothing; exit 1 with a summary when the file on disk is stale")
  .option("--customer <id...>", "only these customers (id or name)")
  .option("--dev", "a developer's stack: no profiles, no restart policy (see docker-compose.dev.yml)")
  .action(
    action(async (opts: { config: string; catalog: string; out: string; check?: boolean; customer?: string[]; dev?: boolean }) => {
      const { generate } = await import("./commands/generate.js");
      const r = await generate({ ...opts, customers: opts.customer ?? [] });
      warn(r.warnings);
      if (r.kind === "printed") process.stdout.write(r.text);
      if (r.kind === "current") process.stdout.write(`${r.out} is up to date\n`);
      if (r.kind === "stale") {
        process.stdout.write(`${r.out} is stale; run \`mcps generate\`:\n${r.differences.map((d) => `  ${d}\n`).join("")}`);
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
registerServeCommand(program);

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
