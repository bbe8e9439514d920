import type { CommandProcessor } from '../../processing/processing-context.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { raiseIncident } from '../../bpmn/behaviors/incidents.js';
import { throwEvent } from '../../bpmn/behaviors/throw-events.js';
import { isVariableDocument } from '../variable/variable-document.js';
import { jobInState } from './job-preconditions.js';
import { jobValueWith } from '../../records/job.js';

/**
 * THROW_ERROR: the worker reports a business error (a BPMN error code). The nearest error boundary event or
 * error event sub-process that catches the code takes over; without one, an incident names the code.
 */
export const throwError: CommandProcessor<'JOB:THROW_ERROR'> = (command, ctx) => {
  const { key, value } = command;
  const job = jobInState(ctx, 'throw an error for', key, ['ACTIVATED', 'ACTIVATABLE']);
  if (!job) return;
  if (!value.errorCode) {
    ctx.reject('INVALID_ARGUMENT', `Expected to throw an error for job '${key}' with a non-empty error code`);
    return;
  }
  const variables = value.variables ?? {};
  if (!isVariableDocument(variables)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      'Expected the variables to be a JSON object (a document), but they were not',
    );
    return;
  }
  const thrown = ctx.appendEvent(key, {
    valueType: 'JOB',
    intent: 'ERROR_THROWN',
    value: jobValueWith(job.value, {
      errorCode: value.errorCode,
      errorMessage: value.errorMessage ?? '',
      variables,
    }),
  });
  ctx.respond(thrown);
  const instance = ctx.state.elementInstance(job.value.elementInstanceKey);
  const el = instance && elementContextOf(ctx.state, instance.key, instance.value);
  if (!el) return;
  if (throwEvent(ctx, el, 'error', value.errorCode, variables) !== 'uncaught') return;
  raiseIncident(
    ctx,
    el,
    'UNHANDLED_ERROR_EVENT',
    `Expected to throw an error event with the code '${value.errorCode}'${value.errorMessage ? ` with message '${value.errorMessage}'` : ''}, but it was not caught. No error events are available in the scope.`,
    key,
  );
};
