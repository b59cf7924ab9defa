/** Plain aligned columns for people; scripts use --json. No colour, so NO_COLOR and pipes need nothing. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n") + "\n";
}

/** Cuts a cell to `width` characters, marking the cut with "…" so a shortened name is never taken for another. */
export const clip = (text: string, width: number) => (text.length <= width ? text : `${text.slice(0, Math.max(width - 1, 0))}…`);

/**
 * A table that fits `maxWidth` columns: when the natural widths do not fit, the columns named in
 * `shrinkable` (in that order) give up characters, down to their header's width, and their cells are clipped.
 */
export function fittedTable(headers: string[], rows: string[][], maxWidth: number, shrinkable: number[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const total = () => widths.reduce((a, b) => a + b, 0) + 2 * (widths.length - 1);
  for (const i of shrinkable) {
    const over = total() - maxWidth;
    if (over <= 0) break;
    widths[i] = Math.max(headers[i]!.length, widths[i]! - over);
  }
  const fitted = rows.map((r) => r.map((c, i) => clip(c, widths[i]!)));
  return table(headers, fitted)
    .split("\n")
    .map((l) => clip(l, maxWidth))
    .join("\n");
}
