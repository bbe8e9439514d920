import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ElementOptions } from './element-options.js';

/** Options of a manual task. */
export type ManualTaskOptions = ElementOptions;

/** A manual task: work done outside any system; Zeebe passes through it. */
export const manualTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:ManualTask',
  description: 'manual task',
};

export function createManualTask(id: string, options: ManualTaskOptions = {}): NodeModel {
  return { kind: 'manualTask', id, name: options.name, extensions: [] };
}
