import type { NodeModel, ScopeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions } from './element-options.js';
import { activityNode } from './activity.js';

/** Options of an embedded sub-process. */
export interface SubProcessOptions extends ActivityOptions, IoMappingOptions {}

/**
 * An embedded sub-process: its inner flow (which begins at one none start event) runs in its own
 * variable scope; boundary events on it apply to all of it.
 */
export const subProcessKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:SubProcess',
  description: 'sub-process',
};

export function createSubProcess(id: string, options: SubProcessOptions, scope: ScopeModel): NodeModel {
  return { ...activityNode('subProcess', id, options ?? {}), scope };
}
