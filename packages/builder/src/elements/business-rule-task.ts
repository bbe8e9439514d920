import { BuilderError } from '../builder-error.js';
import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { activityRules } from './element-kind.js';
import type { ActivityOptions, IoMappingOptions, JobOptions } from './element-options.js';
import { requireText } from './expressions.js';
import { activityNode } from './activity.js';
import { jobExtensions } from './job-definition.js';

/** A business rule task evaluates a deployed DMN decision … */
export interface CalledDecisionOptions {
  /** The DMN decision id (a FEEL expression is allowed). */
  readonly decisionId: string;
  /** The variable the decision's result is written to. */
  readonly resultVariable: string;
}

/** … or, with a job type, is a job for a worker. */
export type BusinessRuleTaskOptions = ActivityOptions &
  IoMappingOptions &
  (CalledDecisionOptions | JobOptions);

/** A business rule task: a DMN decision evaluated by the engine, or a job for a worker. */
export const businessRuleTaskKind: ElementKind = {
  ...activityRules,
  bpmnType: 'bpmn:BusinessRuleTask',
  description: 'business rule task',
};

export function createBusinessRuleTask(id: string, options: BusinessRuleTaskOptions): NodeModel {
  const decision = 'decisionId' in (options ?? {});
  const job = 'type' in (options ?? {});
  if (decision === job) {
    throw new BuilderError(
      `business rule task '${id}' needs either a decisionId (and resultVariable) or a job type`,
      id,
    );
  }
  if (job) return activityNode('businessRuleTask', id, options, jobExtensions(id, options as JobOptions));
  const called = options as CalledDecisionOptions;
  return activityNode('businessRuleTask', id, options, [
    {
      kind: 'calledDecision',
      decisionId: requireText(called.decisionId, id, 'the decision id'),
      resultVariable: requireText(called.resultVariable, id, 'the result variable'),
    },
  ]);
}
