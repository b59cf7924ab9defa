/**
 * The TCP ports a customer's servers call out to, for the NetworkPolicy's egress. A policy can only
 * allow ports (not host names), so these come from the config values whose manifest key declares a
 * format: url (its port, or 80/443 by scheme), hostname or region (443: the shipped types that take
 * one, such as Genesys, call https://api.<region>), port (the number itself).
 */
import type { Catalog } from "../catalog/catalog.js";
import type { Format } from "../config/formats.js";
import type { ServicePlan } from "../plan/types.js";

/** Per type, the format of each container variable its config keys become. */
export type EnvFormats = ReadonlyMap<string, ReadonlyMap<string, Format>>;

export function envFormats(catalog: Pick<Catalog, "types">): EnvFormats {
  const out = new Map<string, Map<string, Format>>();
  for (const [name, type] of catalog.types) {
    const formats = new Map<string, Format>();
    for (const spec of Object.values(type.manifest.config)) if (spec.format) formats.set(spec.env, spec.format);
    out.set(name, formats);
  }
  return out;
}

const HTTPS = 443;
const DEFAULT_PORT: Record<string, number> = { "http:": 80, "https:": HTTPS };

function urlPort(value: string): number | undefined {
  try {
    const u = new URL(value);
    return u.port ? Number(u.port) : DEFAULT_PORT[u.protocol];
  } catch {
    return undefined;
  }
}

function portOf(format: Format | undefined, value: string): number | undefined {
  switch (format) {
    case "url":
      return urlPort(value);
    case "hostname":
    case "region":
      return HTTPS;
    case "port":
      return /^[0-9]{1,5}$/.test(value) ? Number(value) : undefined;
    default:
      // Without the catalog's formats only what is unmistakably an http(s) URL counts.
      return /^https?:\/\//.test(value) ? urlPort(value) : undefined;
  }
}

/** Sorted, without repeats. Secrets are variable references here and never read. */
export function upstreamPorts(services: ServicePlan[], formats?: EnvFormats): number[] {
  const ports = new Set<number>();
  for (const s of services) {
    const known = formats?.get(s.type);
    for (const e of s.env) {
      if ("fromVar" in e) continue;
      const format = known ? known.get(e.name) : undefined;
      // With the catalog, a variable without a format is not an address; without it, guess by shape.
      if (known && !format) continue;
      const port = portOf(format, e.value);
      if (port !== undefined && port >= 1 && port <= 65535) ports.add(port);
    }
  }
  return [...ports].sort((a, b) => a - b);
}
