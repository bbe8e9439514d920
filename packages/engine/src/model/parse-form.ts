import type { Result } from '../expressions/feel.js';
import { failure, ok } from '../expressions/feel.js';

/** What deployment reads from a Camunda Form: its id and version tag; the rest is for the form's renderer. */
export interface ParsedForm {
  readonly formId: string;
  readonly versionTag: string;
}

/**
 * Reads a `.form` resource (form-js JSON: `{ "id": …, "components": […], "schemaVersion": … }`). Refuses
 * what is not a JSON object with a non-blank string `id`, naming the resource, as Zeebe does.
 */
export function parseForm(resourceName: string, json: string): Result<ParsedForm> {
  let form: unknown;
  try {
    form = JSON.parse(json.charCodeAt(0) === 0xfeff ? json.slice(1) : json);
  } catch (err) {
    return failure(`'${resourceName}': Failed to parse form JSON: ${(err as Error).message}`);
  }
  if (typeof form !== 'object' || form === null || Array.isArray(form)) {
    return failure(`'${resourceName}': Expected the form to be a JSON object, but it is not`);
  }
  const { id, versionTag } = form as { id?: unknown; versionTag?: unknown };
  if (id === undefined || id === null)
    return failure(`'${resourceName}': Expected the form id to be present, but none given`);
  if (typeof id !== 'string')
    return failure(`'${resourceName}': Expected the form id to be a string, but it is ${typeof id}`);
  if (id.trim() === '')
    return failure(`'${resourceName}': Expected the form id to be filled, but it is blank`);
  return ok({ formId: id, versionTag: typeof versionTag === 'string' ? versionTag : '' });
}
