import type { CommandProcessor } from '../../processing/processing-context.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { processorOf } from '../../bpmn/element-kinds.js';
import { transition } from '../../bpmn/behaviors/transitions.js';

/** CANCEL: terminates a process instance and everything in it. */
export const cancelProcessInstance: CommandProcessor<'PROCESS_INSTANCE:CANCEL'> = (command, ctx) => {
  const instance = ctx.state.elementInstance(command.key);
  if (!instance || instance.value.flowScopeKey !== '-1') {
    ctx.reject(
      'NOT_FOUND',
      `Expected to cancel a process instance with key '${command.key}', but no such process instance was found`,
    );
    return;
  }
  if (instance.value.parentProcessInstanceKey !== '-1') {
    ctx.reject(
      'INVALID_STATE',
      `Expected to cancel process instance '${command.key}', but it was created by a call activity of process instance '${instance.value.parentProcessInstanceKey}'; cancel the root process instance instead`,
    );
    return;
  }
  if (instance.state === 'ELEMENT_TERMINATING') {
    ctx.reject(
      'INVALID_STATE',
      `Expected to cancel process instance '${command.key}', but it is already being canceled`,
    );
    return;
  }
  const el = elementContextOf(ctx.state, instance.key, instance.value)!;
  ctx.respond(transition(ctx, el, 'ELEMENT_TERMINATING'));
  processorOf('PROCESS').onTerminate(ctx, el);
};
