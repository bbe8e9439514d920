import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions } from './element-options.js';
import { asFeelExpression, requireText } from './expressions.js';
import { activityNode } from './activity.js';

/** Options of a FEEL script task. */
export interface ScriptTaskOptions extends ActivityOptions, IoMappingOptions {
  /** The FEEL expression to evaluate; the leading `=` is added when missing. */
  readonly expression: string;
  /** The variable the result is written to. */
  readonly resultVariable: string;
}

/** A script task evaluated by the engine itself (Zeebe's `zeebe:script`), no worker involved. */
export const scriptTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:ScriptTask',
  description: 'script task',
};

export function createScriptTask(id: string, options: ScriptTaskOptions): NodeModel {
  return activityNode('scriptTask', id, options ?? {}, [
    {
      kind: 'script',
      expression: asFeelExpression(requireText(options?.expression, id, 'the script'), id, 'the script'),
      resultVariable: requireText(options.resultVariable, id, 'the result variable'),
    },
  ]);
}
