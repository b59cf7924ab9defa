/**
 * Host ports of a previously generated file, by service name. The generated file is the memory
 * that keeps ports stable; anything unreadable simply means "no memory".
 */
import { parse } from "yaml";

export function previousPorts(text: string | undefined): Map<string, number> {
  const ports = new Map<string, number>();
  if (!text) return ports;
  let doc: unknown;
  try {
    doc = parse(text, { maxAliasCount: -1 });
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
