import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import type { ElementOptions } from './element-options.js';

/** Options of a none start event. */
export type StartEventOptions = ElementOptions;

/** A none start event: where a new instance begins. Nothing flows into it. */
export const startEventKind: ElementKind = {
  bpmnType: 'bpmn:StartEvent',
  description: 'start event',
  isEntryPoint: true,
  acceptsIncoming: false,
  acceptsOutgoing: true,
  isGateway: false,
  requiresOutgoing: false,
  conditionalOutgoing: false,
  defaultOutgoing: false,
};

export function createStartEvent(id: string, options: StartEventOptions = {}): NodeModel {
  return { kind: 'startEvent', id, name: options.name, extensions: [] };
}
