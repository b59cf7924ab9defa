/**
 * --idle-stop: when each customer was last used (switched to, started, or found running when serve
 * started). The clock is injected, so tests move time instead of waiting for it.
 */
export class IdleTracker {
  private readonly lastUsed = new Map<string, number>();

  constructor(
    readonly idleMs: number,
    private readonly now: () => number,
  ) {}

  touch(customerId: string): void {
    this.lastUsed.set(customerId, this.now());
  }

  /** Only when never seen: a start event from our own switch must not push back a later touch. */
  touchIfUnknown(customerId: string): void {
    if (!this.lastUsed.has(customerId)) this.touch(customerId);
  }

  forget(customerId: string): void {
    this.lastUsed.delete(customerId);
  }

  /** Customers unused for idleMs or more, oldest first. */
  due(): string[] {
    const t = this.now();
    return [...this.lastUsed.entries()]
      .filter(([, at]) => t - at >= this.idleMs)
      .sort((a, b) => a[1] - b[1])
      .map(([id]) => id);
  }
}
