import type { Clock } from '@baton-engine/baton';

/**
 * A clock that runs with the system time until it is pinned (`PUT /v2/clock`), then stands at the pinned
 * time until pinned again or reset — Zeebe's controlled clock (`zeebe.clock.controlled`). Pinning tells the
 * engine, so timers and job deadlines that fall due fire at once. Create the engine with one to serve
 * `/v2/clock`; it belongs to test and staging servers, not production.
 */
export class PinnableClock implements Clock {
  private pinned: number | undefined;
  private readonly listeners = new Set<() => void>();

  constructor(private readonly system: () => number = () => Date.now()) {}

  now(): number {
    return this.pinned ?? this.system();
  }

  pin(timestamp: number): void {
    this.pinned = timestamp;
    for (const listener of this.listeners) listener();
  }

  reset(): void {
    this.pinned = undefined;
    for (const listener of this.listeners) listener();
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
