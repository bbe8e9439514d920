/**
 * Counts failed attempts per client address in a sliding window and says when one has had too many, so
 * that guessing client secrets at the token endpoint is slow. Bounded in memory: the oldest addresses are
 * forgotten first.
 */
export class FailureLimiter {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly options: {
      /** Failures allowed per window (default 10). */
      readonly maxFailures?: number;
      /** The window in milliseconds (default 60,000). */
      readonly windowMs?: number;
      /** Addresses remembered at most (default 10,000). */
      readonly maxAddresses?: number;
      readonly now?: () => number;
    } = {},
  ) {}

  /** Milliseconds until `address` may try again, or 0 when it may now. */
  retryAfterMs(address: string): number {
    const recent = this.recent(address);
    const max = this.options.maxFailures ?? 10;
    if (recent.length < max) return 0;
    return recent[recent.length - max]! + (this.options.windowMs ?? 60_000) - this.now();
  }

  failed(address: string): void {
    const recent = this.recent(address);
    recent.push(this.now());
    this.failures.delete(address); // re-inserted last: the map's order is the order of last failure
    this.failures.set(address, recent);
    if (this.failures.size > (this.options.maxAddresses ?? 10_000))
      this.failures.delete(this.failures.keys().next().value!);
  }

  succeeded(address: string): void {
    this.failures.delete(address);
  }

  private recent(address: string): number[] {
    const since = this.now() - (this.options.windowMs ?? 60_000);
    const recent = (this.failures.get(address) ?? []).filter((at) => at > since);
    if (recent.length === 0) this.failures.delete(address);
    return recent;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}
