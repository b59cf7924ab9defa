/**
 * The dashboard's files: GET / is index.html, GET /assets/<name> a file of that folder. Only plain
 * names (no slash, no dot first), so no request can leave the folder. The folder is found relative to
 * this module, which works from src/serve (tsx) and from dist/serve alike. They are read without
 * the token (security.ts), so they never hold a fact about the fleet.
 */
import { readFile } from "node:fs/promises";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
};

/**
 * Sent with the page and its files: only this server's own scripts, styles, images and fetches, so no
 * inline script or style runs (the page keeps all of them in its files); no plugin or <base> rewrite;
 * and no other site may frame the page with its start and stop buttons (frame-ancestors is the one
 * directive default-src does not cover).
 */
export const DASHBOARD_HEADERS = {
  "content-security-policy": "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
} as const;

export const DASHBOARD_DIR = new URL("../../assets/dashboard/", import.meta.url);

export async function asset(name: string, dir: URL = DASHBOARD_DIR): Promise<{ body: Buffer; type: string } | undefined> {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.-]*$/.test(name) || name.includes("..")) return undefined;
  const ext = name.slice(name.lastIndexOf("."));
  const type = TYPES[ext];
  if (!type) return undefined;
  try {
    return { body: await readFile(new URL(name, dir)), type };
  } catch {
    return undefined;
  }
}
