/**
 * The two header lines that tell a reader how to write a generated file again and how CI checks it.
 * A file printed to stdout (`--out -`) has no name mcps knows (it is the user's redirect), and
 * `--check` needs one, so its lines say to redirect and to diff instead.
 */
export function regenerateLines(regenerate: string): [string, string] {
  if (regenerate.endsWith(" --out -")) {
    return [
      `Do not edit: run \`${regenerate} > <this file>\`.`,
      `CI: \`${regenerate} | diff - <this file>\` exits 1 when this file is stale (--check needs --out <file>).`,
    ];
  }
  return [`Do not edit: run \`${regenerate}\`.`, `CI: \`${regenerate} --check\` exits 1 when this file is stale.`];
}
