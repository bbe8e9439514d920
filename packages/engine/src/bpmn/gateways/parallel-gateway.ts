import type { GatewayElement } from '../../model/executable.js';
import { compileBase, type ElementKind } from '../element-kind.js';
import type { ElementProcessor } from '../element-processor.js';
import { completeFlowNode, terminateFlowNode } from '../behaviors/activity.js';
import { takeFlows, transition } from '../behaviors/transitions.js';

/**
 * Forks into every outgoing flow. As a join it is activated only once a token arrived on each incoming
 * flow (see `takeFlows`), and its activation consumes one token per flow.
 */
export const parallelGateway: ElementProcessor<GatewayElement> = {
  onActivate(ctx, el) {
    transition(ctx, el, 'ELEMENT_ACTIVATED');
    transition(ctx, el, 'ELEMENT_COMPLETING');
    transition(ctx, el, 'ELEMENT_COMPLETED');
    takeFlows(ctx, el, el.element.outgoing);
  },
  onComplete: completeFlowNode,
  onTerminate: terminateFlowNode,
};

export const parallelGatewayKind: ElementKind<GatewayElement> = {
  compile: compileBase,
  processor: parallelGateway,
  activity: false,
};
