import type { ProcessingContext } from '../../processing/processing-context.js';
import type { ExecutableProcess } from '../../model/executable.js';
import type { Result } from '../../expressions/feel.js';
import { evaluateFeel, failure, ok } from '../../expressions/feel.js';
import type { Schedule } from '../../bpmn/behaviors/timer-schedule.js';
import { scheduleOf } from '../../bpmn/behaviors/timer-schedule.js';

export interface TimerStart {
  readonly startEventId: string;
  readonly schedule: Schedule;
}

/** Evaluates the timer start events of a process (expressions see no variables) before anything is written. */
export function timerStartsOf(process: ExecutableProcess, now: number): Result<TimerStart[]> {
  const starts: TimerStart[] = [];
  for (const id of process.elements[process.bpmnProcessId]?.eventStartEventIds ?? []) {
    const definition = process.elements[id]!.eventDefinition;
    if (definition?.kind !== 'timer') continue;
    let text: string;
    if (definition.value.kind === 'static') text = definition.value.value;
    else {
      const result = evaluateFeel(definition.value.expression, {}, now);
      if (!result.ok || typeof result.value !== 'string') {
        return failure(
          `element '${id}': the timer expression '${definition.value.expression}' must evaluate to a string without variables`,
        );
      }
      text = result.value;
    }
    const schedule = scheduleOf(definition, text, now);
    if (!schedule.ok) return failure(`element '${id}': ${schedule.message}`);
    starts.push({ startEventId: id, schedule: schedule.value });
  }
  return ok(starts);
}

/** Replaces the timer start events of a process id's previous version by those of the new one. */
export function replaceTimerStarts(
  ctx: ProcessingContext,
  bpmnProcessId: string,
  processDefinitionKey: string,
  starts: readonly TimerStart[],
): void {
  for (const timer of [...ctx.state.waits.timers.values()]) {
    if (timer.value.elementInstanceKey === '-1' && timer.value.bpmnProcessId === bpmnProcessId) {
      ctx.appendEvent(timer.key, { valueType: 'TIMER', intent: 'CANCELED', value: timer.value });
    }
  }
  for (const start of starts) {
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'TIMER',
      intent: 'CREATED',
      value: {
        elementInstanceKey: '-1',
        processInstanceKey: '-1',
        processDefinitionKey,
        bpmnProcessId,
        targetElementId: start.startEventId,
        ...start.schedule,
      },
    });
  }
}
