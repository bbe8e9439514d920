import type { InclusiveGatewayElement } from '../../model/executable.js';
import { compileBase, type ElementKind } from '../element-kind.js';
import { validateConditionalFlows } from './exclusive-gateway.js';
import type { ProcessingContext } from '../../processing/processing-context.js';
import type { Result } from '../../expressions/feel.js';
import { failure, ok } from '../../expressions/feel.js';
import type { ElementContext } from '../element-context.js';
import type { ElementProcessor } from '../element-processor.js';
import { completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';
import { evaluateBoolean } from '../behaviors/expressions.js';
import { raiseIncident } from '../behaviors/incidents.js';
import { takeFlows, transition } from '../behaviors/transitions.js';

/**
 * Forks into every outgoing flow whose condition is true (else the default flow; none → incident). As a
 * join it is activated once no token can still arrive (see `joinReady`).
 */
export const inclusiveGateway: ElementProcessor<InclusiveGatewayElement> = {
  onActivate(ctx, el) {
    const chosen = chooseFlows(ctx, el);
    if (!chosen.ok) {
      raiseIncident(ctx, el, 'CONDITION_ERROR', chosen.message);
      return;
    }
    transition(ctx, el, 'ELEMENT_ACTIVATED');
    transition(ctx, el, 'ELEMENT_COMPLETING');
    transition(ctx, el, 'ELEMENT_COMPLETED');
    takeFlows(ctx, el, chosen.value);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

function chooseFlows(ctx: ProcessingContext, el: ElementContext): Result<string[]> {
  const { outgoing, defaultFlowId } = el.element;
  const chosen: string[] = [];
  for (const flowId of outgoing) {
    if (flowId === defaultFlowId) continue;
    const condition = el.process.flows[flowId]?.condition;
    if (condition === undefined) {
      chosen.push(flowId);
      continue;
    }
    const result = evaluateBoolean(ctx, el.key, condition);
    if (!result.ok) return result;
    if (result.value) chosen.push(flowId);
  }
  if (chosen.length > 0) return ok(chosen);
  if (defaultFlowId !== undefined) return ok([defaultFlowId]);
  return failure(
    `Expected at least one condition to evaluate to true, or to have a default flow at inclusive gateway '${el.element.id}'.`,
  );
}

export const inclusiveGatewayKind: ElementKind<InclusiveGatewayElement> = {
  compile: compileBase,
  validate: validateConditionalFlows,
  processor: inclusiveGateway,
  activity: false,
};
