import type { Result } from '../../expressions/feel.js';
import { failure, ok } from '../../expressions/feel.js';
import type { EventDefinition } from '../../model/executable.js';
import { addDuration, firstDueDate, parseCycle, parseDateTime, parseDuration } from '../../timers/iso8601.js';
import { cycleTooShort } from '../../timers/cycle-limit.js';

export interface Schedule {
  readonly dueDate: number;
  readonly repetitions: number;
  readonly cycle: string;
}

/** Turns an evaluated timer value into its first due date and repetitions, or a message naming what is wrong. */
export function scheduleOf(
  definition: Extract<EventDefinition, { kind: 'timer' }>,
  text: string,
  now: number,
): Result<Schedule> {
  if (definition.timer === 'duration') {
    const duration = parseDuration(text);
    return duration
      ? ok({ dueDate: addDuration(now, duration), repetitions: 1, cycle: '' })
      : failure(`Invalid timer duration '${text}': expected an ISO 8601 duration such as PT10M`);
  }
  if (definition.timer === 'date') {
    const date = parseDateTime(text);
    return date !== undefined
      ? ok({ dueDate: date, repetitions: 1, cycle: '' })
      : failure(
          `Invalid timer date '${text}': expected an ISO 8601 date-time with a zone such as 2030-01-01T10:00:00Z`,
        );
  }
  const cycle = parseCycle(text);
  if (!cycle) return failure(`Invalid timer cycle '${text}': expected R3/PT10M or a cron expression`);
  const repetitions = cycle.kind === 'repeat' ? cycle.repetitions : -1;
  if (repetitions === 0) return failure(`Invalid timer cycle '${text}': it never fires`);
  const tooShort = cycleTooShort(cycle);
  if (tooShort) return failure(`Invalid timer cycle '${text}': ${tooShort}`);
  return ok({ dueDate: firstDueDate(cycle, now), repetitions, cycle: text });
}
