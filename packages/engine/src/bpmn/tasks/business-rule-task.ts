import type { BusinessRuleTaskElement } from '../../model/executable.js';
import {
  compileCalledDecision,
  compileJobDefinition,
  taskDefinitionOf,
} from '../../model/compile-element.js';
import type { ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import {
  activateAndComplete,
  activityActivated,
  completeFlowNode,
  terminateFlowNode,
} from '../behaviors/activity.js';
import { evaluateString } from '../behaviors/expressions.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { mergeCompletionVariables } from '../behaviors/variables.js';
import { evaluateDecisionGraph } from '../../decisions/decision-evaluator.js';
import { decisionEvaluationEvent } from '../../decisions/evaluation-record.js';
import { activateJobWorkerTask } from './service-task.js';

/** Evaluates a DMN decision (latest version) and stores its result; with a task definition it is a job. */
export const businessRuleTask: ElementProcessor<BusinessRuleTaskElement> = {
  onActivate(ctx, el) {
    const { job, calledDecision: called } = el.element;
    if (job) {
      activateJobWorkerTask(ctx, el, job);
      return;
    }
    if (!activityActivated(ctx, el)) return;
    const decisionId = evaluateString(ctx, el.key, called.decisionId);
    if (!decisionId.ok) {
      raiseIncident(ctx, el, 'EXTRACT_VALUE_ERROR', decisionId.message);
      return;
    }
    const decision = ctx.state.latestDecision(decisionId.value);
    if (!decision) {
      raiseIncident(
        ctx,
        el,
        'CALLED_DECISION_ERROR',
        `Expected to evaluate decision '${decisionId.value}', but none is deployed.`,
      );
      return;
    }
    const variables = ctx.state.visibleVariables(el.key);
    const result = evaluateDecisionGraph(decision.drg, decision.decisionId, variables, ctx.timestamp);
    const event = decisionEvaluationEvent(ctx.state, decision, result, {
      variables: {},
      elementInstanceKey: el.key,
      processInstanceKey: el.value.processInstanceKey,
    });
    ctx.appendEvent(ctx.nextKey(), { valueType: 'DECISION_EVALUATION', ...event });
    if (!result.ok) {
      raiseIncident(ctx, el, 'DECISION_EVALUATION_ERROR', result.message);
      return;
    }
    mergeCompletionVariables(ctx, el, { [called.resultVariable]: result.value.output });
    activateAndComplete(ctx, el);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const businessRuleTaskKind: ElementKind<BusinessRuleTaskElement> = {
  compile(source, base, problems) {
    const taskDefinition = taskDefinitionOf(source);
    return taskDefinition
      ? { ...base, job: compileJobDefinition(source, taskDefinition, problems) }
      : { ...base, calledDecision: compileCalledDecision(source, problems) };
  },
  processor: businessRuleTask,
  activity: true,
};
