import type { CommandProcessor } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { raiseIncident } from '../../bpmn/behaviors/incidents.js';
import { jobInState } from './job-preconditions.js';

/**
 * THROW_ERROR: the worker reports a business error (a BPMN error code). Without an error catch event in
 * scope it becomes an incident naming the code.
 */
export const throwError: CommandProcessor = (command, ctx) => {
  const { key, value } = command as LoggedRecordOf<'JOB'>;
  const job = jobInState(ctx, 'throw an error for', key, ['ACTIVATED', 'ACTIVATABLE']);
  if (!job) return;
  if (!value.errorCode) {
    ctx.reject('INVALID_ARGUMENT', `Expected to throw an error for job '${key}' with a non-empty error code`);
    return;
  }
  const thrown = ctx.appendEvent(key, {
    valueType: 'JOB',
    intent: 'ERROR_THROWN',
    value: { ...job.value, errorCode: value.errorCode, errorMessage: value.errorMessage ?? '' },
  });
  ctx.respond(thrown);
  const instance = ctx.state.elementInstance(job.value.elementInstanceKey);
  const el = instance && elementContextOf(ctx.state, instance.key, instance.value);
  if (!el) return;
  raiseIncident(
    ctx,
    el,
    'UNHANDLED_ERROR_EVENT',
    `Expected to throw an error event with the code '${value.errorCode}'${value.errorMessage ? ` with message '${value.errorMessage}'` : ''}, but it was not caught. No error events are available in the scope.`,
    key,
  );
};
