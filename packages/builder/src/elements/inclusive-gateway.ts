import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { gatewayRules, undecidedBranches } from './element-kind.js';
import type { ElementOptions } from './element-options.js';

/** Options of an inclusive gateway. */
export type InclusiveGatewayOptions = ElementOptions;

/**
 * An inclusive (OR) gateway: as a fork it takes every outgoing flow whose condition holds (the default
 * when none does); as a join it waits for the paths that can still arrive.
 */
export const inclusiveGatewayKind: ElementKind = {
  ...gatewayRules,
  bpmnType: 'bpmn:InclusiveGateway',
  description: 'inclusive gateway',
  conditionalOutgoing: true,
  defaultOutgoing: true,
  validate: (node, outgoing) => undecidedBranches('inclusive gateway', node, outgoing),
};

export function createInclusiveGateway(id: string, options: InclusiveGatewayOptions = {}): NodeModel {
  return { kind: 'inclusiveGateway', id, name: options.name, extensions: [] };
}
