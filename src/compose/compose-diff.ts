/** What differs between two compose documents, service by service, for `generate --check`. */
import { parse } from "yaml";
import { canonicalJson } from "../plan/hash.js";

type Services = Record<string, Record<string, unknown>>;

function servicesOf(text: string): Services | undefined {
  try {
    const doc = parse(text, { maxAliasCount: -1 }) as { services?: Services } | null;
    return doc?.services ?? {};
  } catch {
    return undefined;
  }
}

export function composeDiff(oldText: string, newText: string): string[] {
  const before = servicesOf(oldText);
  const after = servicesOf(newText) ?? {};
  if (!before) return ["the file on disk is not valid YAML"];
  const lines: string[] = [];
  for (const name of Object.keys(after)) {
    const old = before[name];
    if (!old) {
      lines.push(`+ ${name} (missing from the file)`);
      continue;
    }
    const keys = new Set([...Object.keys(old), ...Object.keys(after[name]!)]);
    const changed = [...keys].filter((k) => canonicalJson(old[k]) !== canonicalJson(after[name]![k]));
    if (changed.length) lines.push(`~ ${name}: ${changed.join(", ")} differ`);
  }
  for (const name of Object.keys(before)) if (!after[name]) lines.push(`- ${name} (no longer in the plan)`);
  if (!lines.length) lines.push("services are the same; other parts of the file (header, networks or layout) differ");
  return lines;
}
