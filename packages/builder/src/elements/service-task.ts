import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions, JobOptions } from './element-options.js';
import { activityNode } from './activity.js';
import { jobExtensions } from './job-definition.js';

/** Options of a service task: the job it creates for a worker. */
export interface ServiceTaskOptions extends ActivityOptions, IoMappingOptions, JobOptions {}

/** A service task: the engine creates a job of `type` and waits for a worker to complete it. */
export const serviceTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:ServiceTask',
  description: 'service task',
};

export function createServiceTask(id: string, options: ServiceTaskOptions): NodeModel {
  return activityNode('serviceTask', id, options ?? {}, jobExtensions(id, options));
}
