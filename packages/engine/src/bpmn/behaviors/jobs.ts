import type { ProcessingContext } from '../../processing/processing-context.js';
import type { JobRecordValue } from '../../records/job.js';
import type { Result } from '../../expressions/feel.js';
import { ok } from '../../expressions/feel.js';
import type { ElementContext } from '../element-context.js';
import type { JobDefinition } from '../../model/executable.js';
import { evaluateCount, evaluateString } from './expressions.js';
import { NO_VARIABLES } from '../../records/variable.js';

/** Evaluates the job's type and retries for an element instance; a failure becomes an incident upstream. */
export function prepareJob(
  ctx: ProcessingContext,
  el: ElementContext,
  definition: JobDefinition,
): Result<JobRecordValue> {
  const type = evaluateString(ctx, el.key, definition.type);
  if (!type.ok) return type;
  const retries = evaluateCount(ctx, el.key, definition.retries);
  if (!retries.ok) return retries;
  return ok({
    type: type.value,
    retries: retries.value,
    worker: '',
    deadline: -1,
    customHeaders: definition.headers,
    variables: NO_VARIABLES,
    errorMessage: '',
    errorCode: '',
    retryBackoff: 0,
    recurringTime: -1,
    timeout: 0,
    elementId: el.value.elementId,
    elementInstanceKey: el.key,
    processInstanceKey: el.value.processInstanceKey,
    processDefinitionKey: el.value.processDefinitionKey,
    bpmnProcessId: el.value.bpmnProcessId,
    processDefinitionVersion: el.value.version,
  });
}

export function createJob(ctx: ProcessingContext, job: JobRecordValue): void {
  ctx.appendEvent(ctx.nextKey(), { valueType: 'JOB', intent: 'CREATED', value: job });
}

/** Cancels the job of a terminated element instance and resolves the job's incident. */
export function cancelJobOf(ctx: ProcessingContext, el: ElementContext): void {
  const jobKey = ctx.state.elementInstance(el.key)?.jobKey;
  const job = jobKey === undefined ? undefined : ctx.state.job(jobKey);
  if (!job) return;
  const incident = ctx.state.incidentOfJob(job.key);
  if (incident)
    ctx.appendEvent(incident.key, { valueType: 'INCIDENT', intent: 'RESOLVED', value: incident.value });
  ctx.appendEvent(job.key, { valueType: 'JOB', intent: 'CANCELED', value: job.value });
}
