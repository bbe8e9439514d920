import { BuilderError } from '../builder-error.js';
import type { ExtensionModel } from '../model/extension-model.js';
import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ElementOptions, IoMappingOptions } from './element-options.js';
import { requireText } from './expressions.js';
import { ioMappingExtension } from './io-mapping.js';

/** Options of a service task: the job it creates for a worker. */
export interface ServiceTaskOptions extends ElementOptions, IoMappingOptions {
  /** The job type workers subscribe to: a static name or a FEEL expression (`"= …"`). */
  readonly type: string;
  /** How often a failing job is retried before an incident: a count or a FEEL expression. Zeebe's default is 3. */
  readonly retries?: number | string;
  /** Static key/value pairs handed to the worker with every job, in this order. */
  readonly headers?: Readonly<Record<string, string>>;
}

/** A service task: the engine creates a job of `type` and waits for a worker to complete it. */
export const serviceTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:ServiceTask',
  description: 'service task',
};

export function createServiceTask(id: string, options: ServiceTaskOptions): NodeModel {
  const extensions: ExtensionModel[] = [
    {
      kind: 'taskDefinition',
      type: requireText(options?.type, id, 'the job type'),
      retries: retriesOf(id, options.retries),
    },
    ...ioMappingExtension(id, options),
  ];
  const headers = Object.entries(options.headers ?? {}).map(([key, value]) => ({
    key: requireText(key, id, 'a header key'),
    value: String(value),
  }));
  if (headers.length > 0) extensions.push({ kind: 'taskHeaders', headers });
  return { kind: 'serviceTask', id, name: options.name, extensions };
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
