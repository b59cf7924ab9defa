/**
 * The command line as a function: `main(argv, io)` parses `argv` (the arguments after the program,
 * e.g. ["generate", "--check"]), runs the command, writes to `io` and resolves to the exit code.
 * It never calls process.exit and never writes to process.stdout or process.stderr itself
 * (commander is told to throw instead of exiting, and to write through `io`), so a test can run it
 * in-process; cli.ts, the bin, only calls it. Commander wiring only: commands are plain functions
 * in commands/, results and errors become text and exit codes in cli-exit.ts.
 */
import { Command, Option } from "commander";
import { registerClientsCommands } from "./cli-clients.js";
import { registerEngineCommands } from "./cli-engine.js";
import { type CliIo, type ExitCode, settle } from "./cli-exit.js";
import { registerSecretsCommands } from "./cli-secrets.js";
import { registerServeCommand } from "./cli-serve.js";
import { action, type Cli, defaultsBesideConfig, planOptions } from "./cli-support.js";
import type { GenerateResult } from "./commands/generate.js";
import { TARGET_NAMES, type TargetName } from "./commands/target-names.js";

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

/** What generate says on stdout: the output itself (--out -), or one line about the file or folder. */
function generateText(r: GenerateResult): string {
  if (r.kind === "printed") return r.text;
  if (r.kind === "current") return `${r.out} is up to date\n`;
  if (r.kind === "stale") {
    // Other options may have shaped the file (an --image-prefix, --customer): its header says which.
    const hint = r.writtenBy ? `  (its header says \`${r.writtenBy}\` wrote it: check with the same options)\n` : "";
    return `${r.out} is stale; run \`${r.again}\`:\n${r.differences.map((d) => `  ${d}\n`).join("")}${hint}`;
  }
  const what = `${r.services} services for ${r.customers} customer${r.customers === 1 ? "" : "s"}`;
  return r.unchanged ? `${r.out} unchanged (${what})\n` : `Wrote ${r.out} (${what})\n`;
}

function registerFileCommands(program: Command, cli: Cli): void {
  planOptions(program.command("generate"))
    .option("-o, --out <file>", 'where to write ("-" for stdout; a folder for --target kubernetes)', "docker-compose.mcps.yml")
    .description("write the compose file (or a Swarm stack file, or a Kubernetes folder): one service per enabled (customer, MCP type)")
    .addOption(new Option("--target <engine>", "what the output is for").choices(TARGET_NAMES).default("compose"))
    .option("--check", "write nothing; exit 1 with a summary when the file on disk is stale")
    .option("--customer <id...>", "only these customers (id or name)")
    .option("--dev", "a developer's stack: no profiles, no restart policy (see docker-compose.dev.yml)")
    .option("--publish", "swarm: publish host ports in host mode (open on every interface of every node)")
    .action(
      action(cli, async (opts: GenerateFlags, cmd: Command) => {
        const { generate } = await import("./commands/generate.js");
        // --out's default is the compose file; another target has its own default file.
        const out = cmd.getOptionValueSource("out") === "default" ? undefined : opts.out;
        const { customer, out: _out, ...rest } = opts;
        const r = await generate({ ...rest, ...(out !== undefined && { out }), customers: customer ?? [] });
        return { stdout: generateText(r), warnings: r.warnings, outcome: r.outcome };
      }),
    );

  program
    .command("schema")
    .description("print the JSON Schema of mcp_servers.json (or of a type manifest) for editors")
    .addOption(new Option("--for <kind>", "which file").choices(["config", "manifest"]).default("config"))
    .action(
      action(cli, async (opts: { for: "config" | "manifest" }) => {
        const { jsonSchema } = await import("./config/json-schema.js");
        return { stdout: `${JSON.stringify(jsonSchema(opts.for), null, 2)}\n` };
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
      action(cli, async (opts: { from: string; out: string; catalog: string; force?: boolean }) => {
        const { migrate } = await import("./commands/migrate.js");
        const r = await migrate(opts);
        return { stdout: r.written ? `Wrote ${r.written} (${r.customers} customers)\n` : r.text };
      }),
    );
}

export async function main(argv: string[], io: CliIo): Promise<ExitCode> {
  const cli: Cli = { io };
  const program = new Command("mcps")
    .description("Customer -> MCP server mapping to a compose file and running, health-checked containers")
    .version("0.1.0")
    .option("--debug", "show stack traces of unexpected errors")
    // Set before any subcommand exists: commander copies both settings to each one it creates.
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`${usageLine(text)}\n`),
    });
  program.hook("preAction", (_program, command) => defaultsBesideConfig(command));
  registerFileCommands(program, cli);
  registerEngineCommands(program, cli);
  registerClientsCommands(program, cli);
  registerServeCommand(program, cli);
  registerSecretsCommands(program, cli);
  return settle(io, argv.includes("--debug"), async () => {
    await program.parseAsync(argv, { from: "user" });
    return cli.shown;
  });
}
