/**
 * Tool-name globs of the gateway policy (`tools.allow`, `tools.deny`): `*` is any run of characters,
 * `?` one character, everything else itself. Only the characters MCP allows in a tool name (and the
 * two wildcards) are accepted, so a glob cannot smuggle a regular expression or a look-alike letter.
 */

/** MCP tool names: letters, digits, `_`, `-`, `.` and `/`, 1-128 characters; plus the wildcards. */
export const TOOL_GLOB = /^[A-Za-z0-9_\-./*?]{1,128}$/;

const toRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.\-/]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "s",
  );

/** A matcher for a list of checked globs: true when the name matches any of them. */
export function globMatcher(globs: readonly string[]): (name: string) => boolean {
  const res = globs.map(toRegExp);
  return (name) => res.some((r) => r.test(name));
}
