import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions } from './element-options.js';
import { requireText } from './expressions.js';
import { activityNode } from './activity.js';

/** Options of a call activity. */
export interface CallActivityOptions extends ActivityOptions, IoMappingOptions {
  /** The BPMN process id to start (a FEEL expression is allowed). */
  readonly processId: string;
  /** Copy all the child's variables back when it completes (Zeebe's default: true). */
  readonly propagateAllChildVariables?: boolean;
  /** Hand all the parent's variables to the child (Zeebe's default: true). */
  readonly propagateAllParentVariables?: boolean;
  /**
   * Which version to call: the latest, the one deployed together with the caller, or the latest one tagged
   * `versionTag` (`process(id, { versionTag })`).
   */
  readonly bindingType?: 'latest' | 'deployment' | 'versionTag';
  /** The version tag to call, with `bindingType: 'versionTag'`. */
  readonly versionTag?: string;
}

/** A call activity: starts an instance of another process and waits for it to complete. */
export const callActivityKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:CallActivity',
  description: 'call activity',
};

export function createCallActivity(id: string, options: CallActivityOptions): NodeModel {
  return activityNode('callActivity', id, options ?? {}, [
    {
      kind: 'calledElement',
      processId: requireText(options?.processId, id, 'the called process id'),
      propagateAllChildVariables: options.propagateAllChildVariables,
      propagateAllParentVariables: options.propagateAllParentVariables,
      bindingType: options.bindingType,
      versionTag:
        options.bindingType === 'versionTag'
          ? requireText(options.versionTag, id, "the version tag of binding type 'versionTag'")
          : options.versionTag,
    },
  ]);
}
