/**
 * Host ports of a previously generated file, by service name. The generated file is the memory
 * that keeps ports stable. A missing file means no memory (a first run); a file that is there but
 * cannot be parsed means no memory too, but said as a warning, since every port it held may move.
 */
import { parse, YAMLError } from "yaml";

const SERVICE_KEY = /^ {2}([A-Za-z0-9][\w.-]*):\s*$/;
const PORT_ITEM = /^ {6}- "?(?:[^"]*:)?(\d+):\d+(?:\/\w+)?"?\s*$/;

/**
 * Fast path for files mcps wrote itself (a full YAML parse of a 1,000-customer file costs seconds):
 * service keys at indent 2 under `services:`, the first port item at indent 6 under `ports:`.
 */
function scanOwnFormat(text: string): Map<string, number> {
  const ports = new Map<string, number>();
  let inServices = false;
  let service: string | undefined;
  let inPorts = false;
  for (const line of text.split("\n")) {
    if (/^\S/.test(line)) {
      inServices = line.startsWith("services:");
      service = undefined;
      continue;
    }
    if (!inServices) continue;
    const key = SERVICE_KEY.exec(line);
    if (key) {
      service = key[1];
      inPorts = false;
    } else if (line === "    ports:") inPorts = true;
    else if (inPorts && service && !ports.has(service)) {
      const port = PORT_ITEM.exec(line);
      if (port) ports.set(service, Number(port[1]));
      inPorts = false;
    } else if (/^ {4}\S/.test(line)) inPorts = false;
  }
  return ports;
}

interface Memory {
  ports: Map<string, number>;
  /** Why the file gave no memory, when it is there but not a compose document. */
  problem?: string;
}

function parseAnyFormat(text: string): Memory {
  const ports = new Map<string, number>();
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: -1, merge: true });
  } catch (e) {
    // The parser's message goes on with a code frame; its first line names the place.
    const first = e instanceof YAMLError ? e.message.split("\n")[0]!.replace(/:$/, "") : String(e);
    return { ports, problem: `is not valid YAML (${first})` };
  }
  if (doc === null || doc === undefined) return { ports };
  const services = (doc as { services?: unknown }).services;
  if (typeof doc !== "object" || Array.isArray(doc) || (services !== undefined && (typeof services !== "object" || Array.isArray(services)))) {
    return { ports, problem: "is not a compose file (no services: mapping)" };
  }
  for (const [name, svc] of Object.entries((services ?? {}) as Record<string, { ports?: unknown[] } | null>)) {
    const first = Array.isArray(svc?.ports) ? svc.ports[0] : undefined;
    const m = typeof first === "string" ? /^(?:.*:)?(\d+):\d+(?:\/\w+)?$/.exec(first) : null;
    if (m) ports.set(name, Number(m[1]));
  }
  return { ports };
}

export function previousPorts(text: string | undefined): Map<string, number> {
  return portMemory(text).ports;
}

/** The ports, and why there are none when the text is there but unusable. */
export function portMemory(text: string | undefined): Memory {
  if (!text) return { ports: new Map() };
  const fast = scanOwnFormat(text);
  return fast.size ? { ports: fast } : parseAnyFormat(text);
}

/** The one warning line for a compose file that is there but gave no port memory. */
export function portMemoryWarning(file: string, problem: string): string {
  return `${file}: ${problem}; its host ports are not kept, every service gets its derived port`;
}
