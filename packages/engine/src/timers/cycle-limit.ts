import type { Cycle } from './iso8601.js';
import { firstDueDate, nextDueDate } from './iso8601.js';

/**
 * The shortest interval a timer cycle may have: `R/PT0S` on a start event created thousands of instances a
 * second, and `R/PT0.001S` on a boundary event fired without pause. Process-wide, set by the runtime.
 */
let minimumMs = 1_000;

export const DEFAULT_MINIMUM_CYCLE_INTERVAL_MS = 1_000;

export function setMinimumCycleInterval(ms: number): void {
  if (!(Number.isFinite(ms) && ms >= 0))
    throw new RangeError(`a minimum cycle interval is ms >= 0, got ${ms}`);
  minimumMs = ms;
}

// Gaps are measured from a fixed instant, so that the answer never depends on when it is asked.
const FROM = Date.UTC(2030, 0, 1);
const GAPS_MEASURED = 6;

/**
 * Why a cycle fires too often (naming its shortest interval and the minimum), or undefined when it does not.
 * A cron expression is measured over its first few occurrences, its intervals may differ.
 */
export function cycleTooShort(cycle: Cycle): string | undefined {
  let shortest = Number.POSITIVE_INFINITY;
  let previous = firstDueDate(cycle.kind === 'repeat' ? { ...cycle, start: undefined } : cycle, FROM);
  for (let i = 0; i < GAPS_MEASURED; i++) {
    const next = nextDueDate(cycle, previous);
    shortest = Math.min(shortest, next - previous);
    if (cycle.kind === 'repeat') break; // always the same interval
    previous = next;
  }
  if (shortest >= minimumMs) return undefined;
  return `it fires every ${shortest} ms, more often than the minimum interval of ${minimumMs} ms for timer cycles`;
}
