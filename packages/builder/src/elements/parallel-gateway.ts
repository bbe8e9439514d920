import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { gatewayRules } from './element-kind.js';
import type { ElementOptions } from './element-options.js';

/** Options of a parallel gateway. */
export type ParallelGatewayOptions = ElementOptions;

/**
 * A parallel (AND) gateway: forks into every outgoing flow, joins by waiting for every incoming one.
 * It evaluates no conditions and has no default flow.
 */
export const parallelGatewayKind: ElementKind = {
  ...gatewayRules,
  bpmnType: 'bpmn:ParallelGateway',
  description: 'parallel gateway',
  conditionalOutgoing: false,
  defaultOutgoing: false,
};

export function createParallelGateway(id: string, options: ParallelGatewayOptions = {}): NodeModel {
  return { kind: 'parallelGateway', id, name: options.name, extensions: [] };
}
