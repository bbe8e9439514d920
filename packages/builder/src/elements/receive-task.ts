import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions } from './element-options.js';
import type { MessageOptions } from './event-definitions.js';
import { messageOf } from './event-definitions.js';
import { activityNode } from './activity.js';

/** Options of a receive task: the message it waits for, correlation key required. */
export interface ReceiveTaskOptions extends ActivityOptions, IoMappingOptions {
  readonly message: MessageOptions;
}

/** A receive task: waits for a message, like a message catch event, but can carry boundary events. */
export const receiveTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:ReceiveTask',
  description: 'receive task',
};

export function createReceiveTask(id: string, options: ReceiveTaskOptions): NodeModel {
  const message = messageOf(id, options?.message, 'receive task', true);
  return { ...activityNode('receiveTask', id, options), message };
}
