import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions } from './element-options.js';
import { activityNode } from './activity.js';

/** Options of a manual task. */
export interface ManualTaskOptions extends ActivityOptions, IoMappingOptions {}

/** A manual task: work done outside any system; Zeebe passes through it. */
export const manualTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:ManualTask',
  description: 'manual task',
};

export function createManualTask(id: string, options: ManualTaskOptions = {}): NodeModel {
  return activityNode('manualTask', id, options);
}
