/**
 * An older file's server `url` pins the host port; its scheme, host and path must match what we
 * serve. Quoted only through safe-text, and never when it carries credentials.
 */
import { CREDENTIALS_IN_URL, urlProblem } from "../config/formats.js";
import { shown } from "../config/safe-text.js";

export function checkServerUrl(url: string, path: string, bindAddress: string): { port?: number; error?: string } {
  const why = urlProblem(url);
  if (why === CREDENTIALS_IN_URL) return { error: why };
  let u: URL | undefined;
  try {
    u = new URL(url);
  } catch {
    return { error: `${shown(url)} is not a URL` };
  }
  const hosts = new Set(["localhost", "127.0.0.1", bindAddress]);
  if (u.protocol !== "http:" || !hosts.has(u.hostname) || u.pathname !== path || u.search || u.hash) {
    return { error: `${shown(url)} does not match the derived http://${bindAddress}:<port>${path}` };
  }
  // The URL parser drops the scheme's default port: "http://127.0.0.1:80/mcp" and "http://127.0.0.1/mcp" both mean 80.
  const port = u.port ? Number(u.port) : 80;
  if (port === 0) return { error: "port 0 is not a port: it would publish on a random one; give the port the server is served on" };
  return { port };
}
