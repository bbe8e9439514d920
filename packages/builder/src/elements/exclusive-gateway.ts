import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { gatewayRules, undecidedBranches } from './element-kind.js';
import type { ElementOptions } from './element-options.js';

/** Options of an exclusive gateway. */
export type ExclusiveGatewayOptions = ElementOptions;

/**
 * An exclusive (XOR) gateway: takes the first outgoing flow whose condition holds, else its default.
 * Zeebe rejects a branch that has neither a condition nor is the default ("Must have a condition or
 * be default flow"), so the builder does too.
 */
export const exclusiveGatewayKind: ElementKind = {
  ...gatewayRules,
  bpmnType: 'bpmn:ExclusiveGateway',
  description: 'exclusive gateway',
  conditionalOutgoing: true,
  defaultOutgoing: true,
  validate: (node, outgoing) => undecidedBranches('exclusive gateway', node, outgoing),
};

export function createExclusiveGateway(id: string, options: ExclusiveGatewayOptions = {}): NodeModel {
  return { kind: 'exclusiveGateway', id, name: options.name, extensions: [] };
}
