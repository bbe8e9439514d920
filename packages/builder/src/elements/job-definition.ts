import { BuilderError } from '../builder-error.js';
import type { ExtensionModel } from '../model/extension-model.js';
import type { JobOptions } from './element-options.js';
import { requireText } from './expressions.js';

/** The `zeebe:taskDefinition` (and `zeebe:taskHeaders`, when there are headers) of a job worker element. */
export function jobExtensions(id: string, options: JobOptions | undefined): ExtensionModel[] {
  const extensions: ExtensionModel[] = [
    {
      kind: 'taskDefinition',
      type: requireText(options?.type, id, 'the job type'),
      retries: retriesOf(id, options?.retries),
    },
  ];
  const headers = Object.entries(options?.headers ?? {}).map(([key, value]) => ({
    key: requireText(key, id, 'a header key'),
    value: String(value),
  }));
  if (headers.length > 0) extensions.push({ kind: 'taskHeaders', headers });
  return extensions;
}

function retriesOf(id: string, retries: number | string | undefined): string | undefined {
  if (retries === undefined) return undefined;
  if (typeof retries === 'number') {
    if (!Number.isInteger(retries) || retries < 0) {
      throw new BuilderError(`retries of '${id}' must be a non-negative integer, got ${retries}`, id);
    }
    return String(retries);
  }
  return requireText(retries, id, 'retries');
}
