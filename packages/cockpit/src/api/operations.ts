import { api, ApiError } from './client';
import type { Deployment, Incident } from './types';
import { isKey } from './types';

/**
 * Retries what an incident stopped: a job incident first gets its job `retries` back (the engine refuses to
 * resolve a job incident whose job has none), then the incident is resolved and the element goes on.
 */
export async function retryIncident(incident: Pick<Incident, 'key' | 'jobKey'>, retries = 1): Promise<void> {
  if (isKey(incident.jobKey))
    await api.patch(`/v2/jobs/${incident.jobKey}`, { changeset: { retries: Math.max(1, retries) } });
  try {
    await api.post(`/v2/incidents/${incident.key}/resolution`);
  } catch (error) {
    // The engine forgets an incident once it is resolved: say so instead of only "not found".
    if (error instanceof ApiError && error.status === 404)
      throw new ApiError(
        404,
        error.code,
        `Incident ${incident.key} is already resolved (or no longer exists). ${error.message}`,
      );
    throw error;
  }
}

export function cancelInstance(key: string): Promise<void> {
  return api.post(`/v2/process-instances/${key}/cancellation`);
}

/** Moves tokens: terminates element instances and/or activates elements, in one command. */
export function modifyInstance(
  key: string,
  change: { terminate?: string[]; activate?: { elementId: string; variables?: Record<string, unknown> }[] },
): Promise<void> {
  return api.post(`/v2/process-instances/${key}/modification`, {
    terminateInstructions: (change.terminate ?? []).map((elementInstanceKey) => ({ elementInstanceKey })),
    activateInstructions: (change.activate ?? []).map(({ elementId, variables }) => ({
      elementId,
      ...(variables ? { variableInstructions: [{ variables }] } : {}),
    })),
  });
}

/**
 * Migrates a running instance to another process definition: `mapping` names, per element id with an active
 * element instance, the element of the target it moves to. The engine refuses (409 / 400, naming the element
 * and why) what it cannot migrate safely, and then nothing changes.
 */
export function migrateInstance(
  key: string,
  targetProcessDefinitionKey: string,
  mapping: Record<string, string>,
): Promise<void> {
  return api.post(`/v2/process-instances/${key}/migration`, {
    targetProcessDefinitionKey,
    mappingInstructions: Object.entries(mapping).map(([sourceElementId, targetElementId]) => ({
      sourceElementId,
      targetElementId,
    })),
  });
}

/** Sets variables on one scope (the process instance or an element instance), where they are. */
export function setVariables(scopeKey: string, variables: Record<string, unknown>): Promise<void> {
  return api.put(`/v2/element-instances/${scopeKey}/variables`, { variables, local: true });
}

export function startInstance(
  processDefinitionKey: string,
  variables: Record<string, unknown>,
): Promise<{ processInstanceKey: string }> {
  return api.post('/v2/process-instances', { processDefinitionKey, variables });
}

/** Deploys BPMN/DMN files as one multipart upload (field `resources`): all deploy or none do. */
export function deployFiles(files: readonly File[]): Promise<Deployment> {
  const form = new FormData();
  for (const file of files) form.append('resources', file, file.name);
  return api.upload<Deployment>('/v2/deployments', form);
}

/**
 * Parses what the user typed as a JSON value. Answers the value, or a message that says where the text is
 * wrong (never throws), so that an editor can show it next to the field.
 */
export function parseJson(text: string): { ok: true; value: unknown } | { ok: false; message: string } {
  if (text.trim() === '')
    return { ok: false, message: 'Enter a JSON value, e.g. "text", 42, true or {"a": 1}.' };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, message: `Invalid JSON: ${(error as Error).message}` };
  }
}

/** Like {@link parseJson}, but the value must be an object (a variables document). */
export function parseJsonObject(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  if (text.trim() === '') return { ok: true, value: {} };
  const parsed = parseJson(text);
  if (!parsed.ok) return parsed;
  const value = parsed.value;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'Variables must be a JSON object, e.g. {"orderId": 42}.' };
  return { ok: true, value: value as Record<string, unknown> };
}
