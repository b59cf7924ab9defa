/**
 * Renders `status --watch`: on a terminal, the table redrawn in place; otherwise (a pipe, a log, --json)
 * one line per change, so a log of the fleet reads as a history.
 */
import type { StatusReport } from "../orchestrate/status.js";
import { changedRows } from "../orchestrate/status-watch.js";
import { statusRowJson } from "./status-json.js";
import { statusTable, TABLE_WIDTH } from "./status-table.js";
import { clip } from "./table.js";

const CLEAR = "\x1b[H\x1b[2J";

export async function watchStatus(
  reports: AsyncIterable<StatusReport>,
  o: { out: NodeJS.WritableStream; tty: boolean; json: boolean; wide: boolean },
): Promise<void> {
  let prev: StatusReport | undefined;
  for await (const r of reports) {
    if (o.tty) {
      o.out.write(`${CLEAR}${statusTable(r, { wide: o.wide })}${r.checkedAt}  (Ctrl-C to stop)\n`);
      continue;
    }
    for (const { row, gone } of changedRows(prev, r)) {
      if (o.json) o.out.write(`${JSON.stringify({ at: r.checkedAt, gone, ...statusRowJson(row) })}\n`);
      else o.out.write(`${changeLine(r.checkedAt, row, gone)}\n`);
    }
    prev = r;
  }
}

export function changeLine(at: string, row: StatusReport["services"][number], gone: boolean): string {
  const who = `${row.customer || "-"} ${row.type || row.service}`;
  if (gone) return clip(`${at} ${who}: gone`, TABLE_WIDTH * 2);
  const mcp = row.mcp ? (row.mcp.ok ? " mcp ok" : " mcp FAIL") : "";
  const text = `${at} ${who}: ${row.verdict} (${row.state}/${row.health}${mcp})${row.note ? ` ${row.note}` : ""}`;
  return clip(text, TABLE_WIDTH * 2);
}
