import type { GatewayElement, InclusiveGatewayElement } from '../../model/executable.js';
import { compileBase, type ElementKind, type ProcessView, type ReportProblem } from '../element-kind.js';
import type { ProcessingContext } from '../../processing/processing-context.js';
import type { Result } from '../../expressions/feel.js';
import { failure, ok } from '../../expressions/feel.js';
import type { ElementContext } from '../element-context.js';
import type { ElementProcessor } from '../element-processor.js';
import { completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';
import { evaluateBoolean } from '../behaviors/expressions.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { takeFlows, transition } from '../behaviors/transitions.js';

/** Takes the first outgoing flow whose condition is true, else the default flow; none → incident. */
export const exclusiveGateway: ElementProcessor<GatewayElement> = {
  onActivate(ctx, el) {
    const chosen = chooseFlow(ctx, el);
    if (!chosen.ok) {
      raiseIncident(ctx, el, 'CONDITION_ERROR', chosen.message);
      return;
    }
    transition(ctx, el, 'ELEMENT_ACTIVATED');
    transition(ctx, el, 'ELEMENT_COMPLETING');
    transition(ctx, el, 'ELEMENT_COMPLETED');
    takeFlows(ctx, el, [chosen.value]);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

function chooseFlow(ctx: ProcessingContext, el: ElementContext): Result<string> {
  const { outgoing, defaultFlowId } = el.element;
  if (outgoing.length === 1 && el.process.flows[outgoing[0]!]?.condition === undefined)
    return ok(outgoing[0]!);
  for (const flowId of outgoing) {
    if (flowId === defaultFlowId) continue;
    const condition = el.process.flows[flowId]?.condition;
    if (condition === undefined) continue;
    const result = evaluateBoolean(ctx, el.key, condition);
    if (!result.ok) return result;
    if (result.value) return ok(flowId);
  }
  if (defaultFlowId !== undefined) return ok(defaultFlowId);
  return failure(
    `Expected at least one condition to evaluate to true, or to have a default flow at exclusive gateway '${el.element.id}'.`,
  );
}

export const exclusiveGatewayKind: ElementKind<GatewayElement> = {
  compile: compileBase,
  validate: validateConditionalFlows,
  processor: exclusiveGateway,
  activity: false,
};

/** Exclusive and inclusive gateways: at least one outgoing flow; of several, each has a condition or is the default. */
export function validateConditionalFlows(
  element: GatewayElement | InclusiveGatewayElement,
  process: ProcessView,
  problem: ReportProblem,
): void {
  const name = element.type === 'INCLUSIVE_GATEWAY' ? 'inclusive' : 'exclusive';
  if (element.outgoing.length === 0) problem(`an ${name} gateway must have at least one outgoing flow`);
  for (const flowId of element.outgoing) {
    const flow = process.flows[flowId];
    if (
      element.outgoing.length > 1 &&
      flow &&
      flow.condition === undefined &&
      flowId !== element.defaultFlowId
    )
      problem(
        `a flow leaving ${name} gateway '${element.id}' must have a condition or be the default flow`,
        flowId,
      );
  }
}
