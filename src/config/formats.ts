/**
 * Formats a manifest config key may declare (`format: url`), checked against each customer's value.
 * Messages quote a value only through safe-text, and never a URL's credentials.
 */
import { describeHidden, looksSecret, shown } from "./safe-text.js";

export const FORMATS = ["url", "hostname", "region", "port"] as const;
export type Format = (typeof FORMATS)[number];

export const FORMATS_DESCRIPTION =
  "Checks the value: url = an http(s) URL without credentials (e.g. https://grafana.example.com); " +
  "hostname = a DNS host name (e.g. mypurecloud.de); region = a region name such as eu-west-1 (letters, digits, '-' and '.'); " +
  "port = a whole number 1-65535";

const LABEL = "[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?";
const HOSTNAME = new RegExp(`^(?=.{1,253}$)${LABEL}(?:\\.${LABEL})*\\.?$`, "i");
const REGION = /^[a-z0-9](?:[a-z0-9.-]{0,61}[a-z0-9])?$/i;

export const CREDENTIALS_IN_URL = "carries credentials (user:password@ in the URL); credentials belong in *_env variables, never in a URL";

/** Why the text is not an http(s) URL we accept, or undefined. */
export function urlProblem(text: string): string | undefined {
  // Before parsing: a URL that fails to parse may still hold a password, and must not be echoed.
  if (/^[^/?#]*\/\/[^/?#]*@/.test(text)) return CREDENTIALS_IN_URL;
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    return `${shown(text)} is not a URL; expected one like https://grafana.example.com`;
  }
  if (u.username || u.password) return CREDENTIALS_IN_URL;
  if (u.protocol !== "http:" && u.protocol !== "https:") return `${shown(text)} must be an http:// or https:// URL`;
  if (!u.hostname) return `${shown(text)} has no host`;
  if (/\s/.test(text)) return "must not contain spaces";
  if (u.port === "0") return "port 0 is not a port; leave the port out or give a real one";
  return undefined;
}

/** Why the value does not have the format, or undefined. */
export function checkFormat(format: Format, value: unknown): string | undefined {
  if (format === "port") {
    const n = typeof value === "string" && /^[0-9]{1,5}$/.test(value) ? Number(value) : value;
    return typeof n === "number" && Number.isInteger(n) && n >= 1 && n <= 65535 ? undefined : "must be a port number, 1-65535";
  }
  if (typeof value !== "string") return `must be a string (${format}), not a ${typeof value}`;
  const why = stringProblem(format, value);
  if (why) return why;
  // A token pasted into the wrong key can pass a loose format (a random run of letters and digits is
  // a valid host name); it would be written into the compose file in the clear.
  if (looksSecret(value))
    return `holds what looks like a pasted secret (${describeHidden(value)}), not a ${format}; secrets belong in a variable named by a *_env key`;
  return undefined;
}

function stringProblem(format: Exclude<Format, "port">, value: string): string | undefined {
  switch (format) {
    case "url":
      return urlProblem(value);
    case "hostname":
      if (value.includes("://")) return "must be a host name (like mypurecloud.de), not a URL";
      return HOSTNAME.test(value) ? undefined : `${shown(value)} is not a host name (like mypurecloud.de)`;
    case "region":
      return REGION.test(value) ? undefined : `${shown(value)} is not a region name (letters, digits, '-' and '.', like eu-west-1)`;
  }
}
