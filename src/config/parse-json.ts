/** JSON.parse with the error located by line and column, as a Problem. */
import type { Problem } from "../errors.js";

export type JsonResult = { ok: true; value: unknown } | { ok: false; problem: Problem };

export function parseJson(text: string, file: string): JsonResult {
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (e) {
    const msg = (e as Error).message;
    const pos = /position (\d+)/.exec(msg);
    let where = "";
    if (pos) {
      const before = text.slice(0, Number(pos[1]));
      const line = before.split("\n").length;
      const column = before.length - before.lastIndexOf("\n");
      where = ` at line ${line}, column ${column}`;
    }
    const reason = msg.replace(/ in JSON at position \d+.*$/s, "").replace(/^JSON\.parse: /, "");
    return { ok: false, problem: { file, path: "", message: `invalid JSON${where}: ${reason}` } };
  }
}
