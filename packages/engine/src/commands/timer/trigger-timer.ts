import type { CommandProcessor } from '../../processing/processing-context.js';
import { triggerEvent } from '../../bpmn/behaviors/event-triggers.js';
import { startInstanceAt } from '../../bpmn/behaviors/start-instance.js';
import { parseCycle, nextDueDate } from '../../timers/iso8601.js';

/**
 * TRIGGER (from the due-date scheduler): a timer is due. It fires its event (or starts an instance for a
 * timer start event); a cycle with repetitions left schedules its next occurrence.
 */
export const triggerTimer: CommandProcessor<'TIMER:TRIGGER'> = (command, ctx) => {
  const timer = ctx.state.waits.timers.get(command.key);
  if (!timer || timer.value.dueDate > ctx.timestamp) {
    ctx.reject('INVALID_STATE', `Timer '${command.key}' is not a timer that is due`);
    return;
  }
  const { value } = timer;
  ctx.respond(ctx.appendEvent(command.key, { valueType: 'TIMER', intent: 'TRIGGERED', value }));
  const repeats = value.repetitions !== 1 && value.cycle !== '';
  const cycle = repeats ? parseCycle(value.cycle) : undefined;
  const scheduleNext = () => {
    if (!cycle) return;
    ctx.appendEvent(ctx.nextKey(), {
      valueType: 'TIMER',
      intent: 'CREATED',
      value: {
        elementInstanceKey: value.elementInstanceKey,
        processInstanceKey: value.processInstanceKey,
        processDefinitionKey: value.processDefinitionKey,
        bpmnProcessId: value.bpmnProcessId,
        targetElementId: value.targetElementId,
        dueDate: nextDueDate(cycle, value.dueDate),
        repetitions: value.repetitions === -1 ? -1 : value.repetitions - 1,
        cycle: value.cycle,
      },
    });
  };
  if (value.elementInstanceKey === '-1') {
    const definition = ctx.state.processByKey(value.processDefinitionKey);
    if (!definition) return;
    scheduleNext();
    startInstanceAt(ctx, definition, value.targetElementId, {});
    return;
  }
  // A non-interrupting boundary or event sub-process keeps its cycle going while its owner is active.
  const target = ctx.state.processByKey(value.processDefinitionKey)?.executable.elements[
    value.targetElementId
  ];
  if (target?.interrupting === false) scheduleNext();
  triggerEvent(ctx, value.elementInstanceKey, value.targetElementId, {});
};
