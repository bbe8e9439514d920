import type { EmptyCommandValue } from './job.js';

export interface TimerRecordValue {
  /** The element instance that waits (catch event, activity with a boundary, gateway, scope); "-1" for a start event. */
  readonly elementInstanceKey: string;
  readonly processInstanceKey: string;
  readonly processDefinitionKey: string;
  readonly bpmnProcessId: string;
  /** The event the timer triggers: the catch event, boundary event, or (event sub-process) start event. */
  readonly targetElementId: string;
  readonly dueDate: number;
  /** Triggers left including this one; -1 for an unbounded cycle. */
  readonly repetitions: number;
  /** The evaluated cycle (e.g. `R3/PT10M` or a cron expression) a repeating timer continues with; "" otherwise. */
  readonly cycle: string;
}

export type TimerRecord =
  | {
      readonly valueType: 'TIMER';
      readonly intent: 'CREATED' | 'TRIGGERED' | 'CANCELED';
      readonly value: TimerRecordValue;
    }
  /** From the due-date scheduler: the timer named by the key is due (processing checks again). */
  | { readonly valueType: 'TIMER'; readonly intent: 'TRIGGER'; readonly value: EmptyCommandValue };
