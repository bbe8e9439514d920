import type { ActivatedJob } from '@baton-engine/baton';
import { BatonError } from '@baton-engine/baton';
import { DEFAULT_TENANT } from '../tenancy.js';

/** Parses a JSON variables field ("" means none); anything but a JSON object is INVALID_ARGUMENT naming the field. */
export function variablesOf(text: string | undefined, field = 'variables'): Record<string, unknown> {
  if (text === undefined || text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BatonError(
      'INVALID_ARGUMENT',
      `Expected '${field}' to be a JSON document, but it is not valid JSON: ${(error as Error).message}`,
    );
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new BatonError(
      'INVALID_ARGUMENT',
      `Expected '${field}' to be a JSON object (a document), but it was ${Array.isArray(value) ? 'an array' : typeof value}`,
    );
  }
  return value as Record<string, unknown>;
}

/** An int64 key from the wire; 0 (the proto default) means "not given". */
export function keyOf(value: string | number | undefined): string | undefined {
  const text = value === undefined ? '' : String(value);
  return text === '' || text === '0' ? undefined : text;
}

/** Milliseconds from an int64 field. */
export function millisOf(value: string | number | undefined): number {
  return Number(value ?? 0);
}

/** An engine job as the protocol's ActivatedJob. */
export function toActivatedJob(job: ActivatedJob) {
  return {
    key: job.key,
    type: job.type,
    processInstanceKey: job.processInstanceKey,
    bpmnProcessId: job.bpmnProcessId,
    processDefinitionVersion: job.processDefinitionVersion,
    processDefinitionKey: job.processDefinitionKey,
    elementId: job.elementId,
    elementInstanceKey: job.elementInstanceKey,
    customHeaders: JSON.stringify(job.customHeaders),
    worker: job.worker,
    retries: job.retries,
    deadline: String(job.deadline),
    variables: JSON.stringify(job.variables),
    tenantId: DEFAULT_TENANT,
  };
}
