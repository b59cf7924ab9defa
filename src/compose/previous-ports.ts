/**
 * Host ports of a previously generated file, by service name. The generated file is the memory
 * that keeps ports stable; anything unreadable simply means "no memory".
 */
import { parse } from "yaml";

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

function parseAnyFormat(text: string): Map<string, number> {
  const ports = new Map<string, number>();
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: -1, merge: true });
  } catch {
    return ports;
  }
  const services = (doc as { services?: Record<string, { ports?: unknown[] }> } | null)?.services;
  if (!services || typeof services !== "object") return ports;
  for (const [name, svc] of Object.entries(services)) {
    const first = svc?.ports?.[0];
    const m = typeof first === "string" ? /^(?:.*:)?(\d+):\d+(?:\/\w+)?$/.exec(first) : null;
    if (m) ports.set(name, Number(m[1]));
  }
  return ports;
}

export function previousPorts(text: string | undefined): Map<string, number> {
  if (!text) return new Map();
  const fast = scanOwnFormat(text);
  return fast.size ? fast : parseAnyFormat(text);
}
