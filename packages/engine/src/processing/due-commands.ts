import type { CommandBody } from '../records/record.js';
import type { DueKind } from '../state/due-date-index.js';

/** The command that handles each kind of due item; processing checks again, from its own time, that it is due. */
const COMMANDS = {
  JOB_TIME_OUT: { valueType: 'JOB', intent: 'TIME_OUT' },
  JOB_BACKOFF: { valueType: 'JOB', intent: 'RECUR_AFTER_BACKOFF' },
  TIMER: { valueType: 'TIMER', intent: 'TRIGGER' },
  MESSAGE_EXPIRY: { valueType: 'MESSAGE', intent: 'EXPIRE' },
} as const;

/**
 * The command body that makes a partition act on a due item (a job deadline or back-off, a timer, a buffered
 * message's expiry), submitted with the item's key. Shared by the runtime's scheduler and the test harness, so
 * that both fire due dates the same way.
 */
export function dueItemCommand(kind: DueKind): CommandBody {
  return { ...COMMANDS[kind], value: {} };
}
