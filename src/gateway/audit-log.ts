/**
 * --audit-log FILE: one JSON line per tools/call through the gateway, appended. Names only: the
 * argument keys, never an argument value, a result or a token. Reopened on reopen() (SIGHUP), so
 * logrotate can move the file away and serve writes on into a new one.
 */
import { createWriteStream, type WriteStream } from "node:fs";
import type { CallRecord } from "./gateway-server.js";

export class AuditLog {
  private out: WriteStream;

  constructor(
    private readonly file: string,
    private readonly log: (line: string) => void,
    private readonly now: () => number = Date.now,
  ) {
    this.out = this.open();
  }

  private open(): WriteStream {
    const out = createWriteStream(this.file, { flags: "a", mode: 0o600 });
    out.on("error", (e) => this.log(`mcps serve: audit log ${this.file}: ${e.message}`));
    return out;
  }

  write(r: CallRecord): void {
    const line = {
      time: new Date(this.now()).toISOString(),
      customer: r.customer,
      type: r.type,
      tool: r.tool,
      outcome: r.outcome,
      duration_ms: Math.round(r.durationMs * 1000) / 1000,
      caller: r.caller,
      argument_keys: r.argumentKeys,
      request_id: r.requestId,
    };
    this.out.write(`${JSON.stringify(line)}\n`);
  }

  reopen(): void {
    const old = this.out;
    this.out = this.open();
    old.end();
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.out.end(resolve));
  }
}
