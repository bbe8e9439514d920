import type { Clock } from './clock.js';
import type { PartitionRuntime } from './partition.js';

const MAX_TIMEOUT = 2 ** 31 - 1;

/**
 * Watches the earliest due date of a partition (job deadlines, back-offs) and submits the command that
 * handles it when the clock reaches it. The decision itself is made in processing, from the command's time.
 */
export class DueDateScheduler {
  private timer: NodeJS.Timeout | undefined;
  private timerDue = Infinity;
  private readonly inFlight = new Set<string>();
  private stopped = false;
  private readonly unsubscribe: (() => void) | undefined;

  constructor(
    private readonly partition: PartitionRuntime,
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
    for (const { key, reason } of this.partition.engineState.dueJobs(now, 1000)) {
      if (this.inFlight.has(key)) continue;
      this.inFlight.add(key);
      const intent = reason === 'TIME_OUT' ? 'TIME_OUT' : 'RECUR_AFTER_BACKOFF';
      this.partition
        .submit({ valueType: 'JOB', intent, value: {} as never }, key)
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
