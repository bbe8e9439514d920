import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { gatewayRules } from './element-kind.js';
import type { ElementOptions } from './element-options.js';

/** Options of an event-based gateway. */
export type EventBasedGatewayOptions = ElementOptions;

const WAITING = new Set(['message', 'timer', 'signal']);

/**
 * An event-based gateway: waits for the first of the events its flows lead to (message, timer or
 * signal catch events, or receive tasks) and takes that path.
 */
export const eventBasedGatewayKind: ElementKind = {
  ...gatewayRules,
  bpmnType: 'bpmn:EventBasedGateway',
  description: 'event-based gateway',
  conditionalOutgoing: false,
  defaultOutgoing: false,
  validate(node, outgoing, scope) {
    if (outgoing.length === 0) return undefined; // reported as a missing outgoing flow
    if (outgoing.length < 2) {
      return `event-based gateway '${node.id}' needs at least two outgoing flows, one per event it waits for`;
    }
    const wrong = outgoing
      .map((f) => scope.nodes.get(f.targetId)!)
      .filter(
        (target) =>
          target.kind !== 'receiveTask' &&
          !(target.kind === 'intermediateCatchEvent' && WAITING.has(target.eventDefinition?.kind ?? '')),
      )
      .map((target) => `'${target.id}'`);
    if (wrong.length === 0) return undefined;
    return (
      `event-based gateway '${node.id}' may only lead to message, timer or signal catch events or ` +
      `receive tasks; ${wrong.join(', ')} is none of these`
    );
  },
};

export function createEventBasedGateway(id: string, options: EventBasedGatewayOptions = {}): NodeModel {
  return { kind: 'eventBasedGateway', id, name: options.name, extensions: [] };
}
