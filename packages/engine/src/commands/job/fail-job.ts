import type { CommandProcessor } from '../../processing/processing-context.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { raiseIncident } from '../../bpmn/behaviors/incidents.js';
import { setLocalVariables } from '../../bpmn/behaviors/variables.js';
import { isVariableDocument } from '../variable/variable-document.js';
import { jobInState } from './job-preconditions.js';
import { jobValueWith } from '../../records/job.js';

/**
 * FAIL: the worker could not do the job. With retries left it becomes activatable again (after the back-off);
 * with none, an incident is raised on the task.
 */
export const failJob: CommandProcessor<'JOB:FAIL'> = (command, ctx) => {
  const { key, value } = command;
  const job = jobInState(ctx, 'fail', key, ['ACTIVATED']);
  if (!job) return;
  const retries = value.retries;
  const retryBackoff = value.retryBackoff ?? 0;
  if (!Number.isInteger(retries) || !Number.isInteger(retryBackoff) || retryBackoff < 0) {
    ctx.reject(
      'INVALID_ARGUMENT',
      `Expected retries and retryBackoff to be integers (backoff >= 0), got ${retries} and ${retryBackoff}`,
    );
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
  const instance = ctx.state.elementInstance(job.value.elementInstanceKey);
  const el = instance && elementContextOf(ctx.state, instance.key, instance.value);
  if (el) setLocalVariables(ctx, el, el.key, variables);
  const failed = ctx.appendEvent(key, {
    valueType: 'JOB',
    intent: 'FAILED',
    value: jobValueWith(job.value, {
      retries,
      retryBackoff,
      errorMessage: value.errorMessage ?? '',
      recurringTime: retries > 0 && retryBackoff > 0 ? ctx.timestamp + retryBackoff : -1,
      variables,
    }),
  });
  ctx.respond(failed);
  if (retries <= 0 && el) {
    const message = value.errorMessage ? value.errorMessage : 'No more retries left.';
    raiseIncident(ctx, el, 'JOB_NO_RETRIES', message, key);
  }
};
