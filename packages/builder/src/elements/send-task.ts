import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions, JobOptions } from './element-options.js';
import { activityNode } from './activity.js';
import { jobExtensions } from './job-definition.js';

/** Options of a send task: like a service task, the sending is a job for a worker. */
export interface SendTaskOptions extends ActivityOptions, IoMappingOptions, JobOptions {}

/** A send task: in Zeebe a job of `type`, done by a worker that sends the message. */
export const sendTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:SendTask',
  description: 'send task',
};

export function createSendTask(id: string, options: SendTaskOptions): NodeModel {
  return activityNode('sendTask', id, options ?? {}, jobExtensions(id, options));
}
