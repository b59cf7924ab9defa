/**
 * Docker multiplexes a non-TTY container's stdout and stderr into frames: 8-byte header
 * (stream type, 3 zero bytes, big-endian length) then the payload.
 */
export function demuxLogs(buf: Buffer, out: NodeJS.WritableStream, err: NodeJS.WritableStream): void {
  for (const { stream, payload } of frames(buf)) (stream === 2 ? err : out).write(payload);
}

function* frames(buf: Buffer): Generator<{ stream: number; payload: Buffer }> {
  let offset = 0;
  while (offset + 8 <= buf.length) {
    const length = buf.readUInt32BE(offset + 4);
    yield { stream: buf[offset]!, payload: buf.subarray(offset + 8, offset + 8 + length) };
    offset += 8 + length;
  }
  // Not multiplexed (a TTY container): pass it through.
  if (offset === 0 && buf.length) yield { stream: 1, payload: buf };
}

/** Longest line kept in a log tail: a failure reason must stay readable whatever the server prints. */
const MAX_LINE = 300;

/** The last `max` lines of both streams in the order they arrived, each cut to a readable length. */
export function logTail(buf: Buffer, max: number): string[] {
  const text = [...frames(buf)].map((f) => f.payload.toString("utf8")).join("");
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== "");
  return lines.slice(-max).map((l) => (l.length > MAX_LINE ? `${l.slice(0, MAX_LINE)}…` : l));
}
