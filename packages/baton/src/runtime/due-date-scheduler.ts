import type { Clock } from './clock.js';
import type { CommandBody, EngineState, LoggedRecord } from '@baton-engine/engine';
import { dueItemCommand } from '@baton-engine/engine';

const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Watches the earliest due date of a partition (job deadlines, back-offs, timers, message expiries) and submits the command that
 * handles it when the clock reaches it. The decision itself is made in processing, from the command's time.
 */
/** What the scheduler needs of its partition: the due dates in its state, and a way to submit commands. */
export interface ScheduledPartition {
  readonly engineState: Pick<EngineState, 'nextDueDate' | 'dueItems'>;
  submit(body: CommandBody, key: string): Promise<LoggedRecord>;
}

export class DueDateScheduler {
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private readonly inFlight = new Set<string>();
  private stopped = false;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly partition: ScheduledPartition,
    private readonly clock: Clock,
  ) {
    this.unsubscribe = clock.onAdvance?.(() => this.fire());
  }

  reschedule(): void {
    if (this.stopped) return;
    const due = this.partition.engineState.nextDueDate();
    if (due === undefined || due >= this.timerDue) return;
    if (this.timer) clearTimeout(this.timer);
    this.timerDue = due;
    const delay = Math.min(Math.max(0, due - this.clock.now()), MAX_TIMEOUT);
    this.timer = setTimeout(() => this.fire(), delay);
    this.timer.unref();
  }

  private fire(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.timerDue = Infinity;
    if (this.stopped) return;
    const now = this.clock.now();
    for (const { key, kind } of this.partition.engineState.dueItems(now, 1000)) {
      if (this.inFlight.has(key)) continue;
      this.inFlight.add(key);
      this.partition
        .submit(dueItemCommand(kind), key)
        .catch(() => undefined) // already completed or moved on: nothing to do
        .finally(() => {
          this.inFlight.delete(key);
          this.reschedule();
        });
    }
    this.reschedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.unsubscribe?.();
  }
}
