import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import type { ElementOptions } from './element-options.js';

/** Options of a none end event. */
export type EndEventOptions = ElementOptions;

/** A none end event: the path ends here; nothing flows out. */
export const endEventKind: ElementKind = {
  bpmnType: 'bpmn:EndEvent',
  description: 'end event',
  isEntryPoint: false,
  acceptsIncoming: true,
  acceptsOutgoing: false,
  isGateway: false,
  requiresOutgoing: false,
  conditionalOutgoing: false,
  defaultOutgoing: false,
};

export function createEndEvent(id: string, options: EndEventOptions = {}): NodeModel {
  return { kind: 'endEvent', id, name: options.name, extensions: [] };
}
