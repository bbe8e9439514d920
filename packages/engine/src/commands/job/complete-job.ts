import type { CommandProcessor } from '../../processing/processing-context.js';
import type { LoggedRecordOf } from '../../records/record.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { mergeCompletionVariables } from '../../bpmn/behaviors/variables.js';
import { command as lifecycleCommand } from '../../bpmn/behaviors/transitions.js';
import { isVariableDocument } from '../variable/variable-document.js';
import { jobInState } from './job-preconditions.js';
import { jobValueWith } from '../../records/job.js';

/** COMPLETE: the worker is done; its variables are merged and the task completes. */
export const completeJob: CommandProcessor = (command, ctx) => {
  const { key, value } = command as LoggedRecordOf<'JOB'>;
  const job = jobInState(ctx, 'complete', key, ['ACTIVATED', 'ACTIVATABLE']);
  if (!job) return;
  const variables = value.variables ?? {};
  if (!isVariableDocument(variables)) {
    ctx.reject(
      'INVALID_ARGUMENT',
      'Expected the variables to be a JSON object (a document), but they were not',
    );
    return;
  }
  ctx.respond(
    ctx.appendEvent(key, {
      valueType: 'JOB',
      intent: 'COMPLETED',
      value: jobValueWith(job.value, { variables }),
    }),
  );
  const instance = ctx.state.elementInstance(job.value.elementInstanceKey);
  const el = instance && elementContextOf(ctx.state, instance.key, instance.value);
  if (!el || instance.state !== 'ELEMENT_ACTIVATED') return;
  mergeCompletionVariables(ctx, el, variables);
  lifecycleCommand(ctx, el, 'COMPLETE_ELEMENT');
};
