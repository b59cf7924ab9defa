/**
 * Every --out that generate and migrate must refuse, and the one sandbox that holds them all (the
 * config, the catalog, a folder, a FIFO, a socket, links). output-refused.test.ts runs the cases
 * in-process; the FIFO cases run as processes in cli-process-output-writes.test.ts, since a run that
 * opened the FIFO would block until killed.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { fixtureCustomer, workspace } from "./workspace.js";

const config = { customers: [fixtureCustomer("Acme"), fixtureCustomer("Globex")] };
const legacy = { servers: [{ name: "Acme", grafana_url: "https://acme.example.com", token_env: "GRAFANA_TOKEN_ACME" }] };

export interface RefusedOut {
  out: string;
  reason: RegExp;
  /** Extra arguments; generate by default. */
  args?: string[];
}

export const REFUSED: RefusedOut[] = [
  { out: "mcp_servers.json", reason: /is the config file \(--config mcp_servers\.json\)/ },
  { out: "./mcp_servers.json", reason: /is the config file/ },
  { out: "grafana_servers.json", args: ["generate", "--config", "grafana_servers.json"], reason: /is the config file/ },
  { out: "mcps/alpha/mcp.yaml", reason: /is inside the catalog folder \(--catalog mcps\)/ },
  { out: "mcps/alpha/new-file.yml", reason: /is inside the catalog folder/ },
  { out: "mcps", reason: /is the catalog folder/ },
  { out: "mcps/", reason: /is the catalog folder/ },
  { out: "a-folder", reason: /is a folder, not a file/ },
  { out: ".", reason: /is a folder/ },
  { out: "/dev/null", reason: /is a character device, not a regular file/ },
  { out: "pipe", reason: /is a named pipe \(FIFO\), not a regular file/ },
  { out: "pipe", args: ["generate", "--check"], reason: /is a named pipe/ },
  { out: "/dev/null", args: ["generate", "--check"], reason: /is a character device/ },
  { out: "sock", reason: /is a socket, not a regular file/ },
  { out: "dangling", reason: /is a symbolic link to a file that does not exist/ },
  { out: "link-to-config", reason: /is the config file/ },
  { out: "link-to-catalog/alpha/mcp.yaml", reason: /is inside the catalog folder/ },
  { out: "missing-folder/x.yml", reason: /cannot write: the folder does not exist/ },
  { out: "mcp_servers.json/x.yml", reason: /a part of the path is not a folder/ },
  { out: "mcp_credentials.env", reason: /is the credentials file/ },
  { out: "grafana_servers.json", args: ["migrate", "--force"], reason: /is the file being migrated \(--from grafana_servers\.json\)/ },
  { out: "mcps/alpha/mcp.yaml", args: ["migrate", "--force"], reason: /is inside the catalog folder/ },
  { out: "/dev/null", args: ["migrate"], reason: /is a character device/ },
  { out: "pipe", args: ["migrate", "--force"], reason: /is a named pipe/ },
  { out: "dangling", args: ["migrate", "--force"], reason: /symbolic link to a file that does not exist/ },
  { out: "missing-folder/new.json", args: ["migrate"], reason: /the folder does not exist/ },
];

/** Opening it for writing blocks until a reader comes: only a process of its own can be killed out of that. */
export const isFifoCase = (c: RefusedOut): boolean => c.out === "pipe";

export async function refusalSandbox(): Promise<{ dir: string; close: () => void }> {
  const dir = workspace(config);
  const server = net.createServer();
  const close = () => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    writeFileSync(path.join(dir, "grafana_servers.json"), JSON.stringify(legacy));
    writeFileSync(path.join(dir, "mcp_credentials.env"), "ALPHA_TOKEN_ACME=x\n");
    mkdirSync(path.join(dir, "a-folder"));
    execFileSync("mkfifo", [path.join(dir, "pipe")]);
    symlinkSync("does-not-exist.yml", path.join(dir, "dangling"));
    symlinkSync("mcp_servers.json", path.join(dir, "link-to-config"));
    symlinkSync("mcps", path.join(dir, "link-to-catalog"));
    await new Promise<void>((resolve) => server.listen(path.join(dir, "sock"), resolve));
    return { dir, close };
  } catch (e) {
    close();
    throw e;
  }
}
