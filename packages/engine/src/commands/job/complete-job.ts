import type { CommandProcessor } from '../../processing/processing-context.js';
import { elementContextOf } from '../../bpmn/element-context.js';
import { mergeCompletionVariables } from '../../bpmn/behaviors/variables.js';
import { command as lifecycleCommand } from '../../bpmn/behaviors/transitions.js';
import { isVariableDocument } from '../variable/variable-document.js';
import { jobInState } from './job-preconditions.js';
import { jobValueWith } from '../../records/job.js';
import {
  adHocJobResultProblem,
  followAdHocJobResult,
  isAdHocJob,
} from '../ad-hoc-sub-process/ad-hoc-job-result.js';

/** COMPLETE: the worker is done; its variables are merged and the task completes. */
export const completeJob: CommandProcessor<'JOB:COMPLETE'> = (command, ctx) => {
  const { key, value } = command;
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
  const instance = ctx.state.elementInstance(job.value.elementInstanceKey);
  const el = instance && elementContextOf(ctx.state, instance.key, instance.value);
  // The job of an ad-hoc sub-process: the worker's result says what to activate and whether it is done.
  const adHoc = isAdHocJob(el) ? el : undefined;
  const problem = adHoc && adHocJobResultProblem(ctx, adHoc, value.result);
  if (problem) {
    ctx.reject(problem.type, problem.reason);
    return;
  }
  const completed = jobValueWith(job.value, { variables });
  ctx.respond(
    ctx.appendEvent(key, {
      valueType: 'JOB',
      intent: 'COMPLETED',
      value: adHoc && value.result ? { ...completed, result: value.result } : completed,
    }),
  );
  if (!el || instance.state !== 'ELEMENT_ACTIVATED') return;
  mergeCompletionVariables(ctx, el, variables);
  if (adHoc) followAdHocJobResult(ctx, adHoc, value.result);
  else lifecycleCommand(ctx, el, 'COMPLETE_ELEMENT');
};
