import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions } from './element-options.js';
import { activityNode } from './activity.js';

/** Options of an undefined task. */
export interface TaskOptions extends ActivityOptions, IoMappingOptions {}

/** An undefined task (`bpmn:task`): Zeebe passes through it, which makes it a useful placeholder. */
export const taskKind: ElementKind = { ...activityRules, bpmnType: 'bpmn:Task', description: 'task' };

export function createTask(id: string, options: TaskOptions = {}): NodeModel {
  return activityNode('task', id, options);
}
