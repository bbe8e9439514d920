/** Where the engine reads the time when a command is accepted. Injected so tests can control it. */
export interface Clock {
  now(): number;
  /** Called by clocks that jump (test clocks), so that due timers and deadlines are checked at once. */
  onAdvance?(listener: () => void): () => void;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that only moves when told to: `advance(ms)` fires whatever falls due, deterministically. */
export class ControlledClock implements Clock {
  private listeners = new Set<() => void>();
  constructor(private current = Date.UTC(2030, 0, 1)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot move the clock by ${ms} ms`);
    this.current += ms;
    for (const listener of this.listeners) listener();
  }

  onAdvance(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
