/**
 * Docker multiplexes a non-TTY container's stdout and stderr into frames: 8-byte header
 * (stream type, 3 zero bytes, big-endian length) then the payload.
 */
export function demuxLogs(buf: Buffer, out: NodeJS.WritableStream, err: NodeJS.WritableStream): void {
  let offset = 0;
  while (offset + 8 <= buf.length) {
    const type = buf[offset];
    const length = buf.readUInt32BE(offset + 4);
    const payload = buf.subarray(offset + 8, offset + 8 + length);
    (type === 2 ? err : out).write(payload);
    offset += 8 + length;
  }
  // Not multiplexed (a TTY container): pass it through.
  if (offset === 0 && buf.length) out.write(buf);
}
