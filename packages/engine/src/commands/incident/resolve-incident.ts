import type { CommandProcessor } from '../../processing/processing-context.js';
import { command as lifecycleCommand } from '../../bpmn/behaviors/transitions.js';

/**
 * RESOLVE: an operator fixed the cause. A job incident makes the job activatable again (its retries must have
 * been updated); an element incident retries the lifecycle step that failed.
 */
export const resolveIncident: CommandProcessor<'INCIDENT:RESOLVE'> = (command, ctx) => {
  const incident = ctx.state.incident(command.key);
  if (!incident) {
    ctx.reject(
      'NOT_FOUND',
      `Expected to resolve incident with key '${command.key}', but no such incident was found`,
    );
    return;
  }
  const { jobKey, elementInstanceKey } = incident.value;
  if (jobKey !== '-1') {
    const job = ctx.state.job(jobKey);
    if (job && job.value.retries <= 0 && job.state === 'FAILED') {
      ctx.reject(
        'INVALID_STATE',
        `Expected to resolve incident '${command.key}', but job '${jobKey}' has no retries left; update its retries first`,
      );
      return;
    }
  }
  ctx.respond(
    ctx.appendEvent(command.key, { valueType: 'INCIDENT', intent: 'RESOLVED', value: incident.value }),
  );
  if (jobKey !== '-1') return;
  const instance = ctx.state.elementInstance(elementInstanceKey);
  if (!instance) return;
  if (instance.state === 'ELEMENT_ACTIVATING') lifecycleCommand(ctx, instance, 'ACTIVATE_ELEMENT');
  else if (instance.state === 'ELEMENT_COMPLETING') lifecycleCommand(ctx, instance, 'COMPLETE_ELEMENT');
};
