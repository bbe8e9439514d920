import type { NodeModel, ScopeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import type { ElementOptions } from './element-options.js';
import { ioMappingExtension } from './io-mapping.js';
import type { IoMappingOptions } from './element-options.js';

/** Options of an event sub-process. */
export interface EventSubProcessOptions extends ElementOptions, IoMappingOptions {}

/**
 * An event sub-process (`triggeredByEvent="true"`): not part of any path; its one start event (timer,
 * message, signal, error or escalation) starts it while the enclosing scope runs, interrupting that
 * scope or not.
 */
export const eventSubProcessKind: ElementKind = {
  bpmnType: 'bpmn:SubProcess',
  description: 'event sub-process',
  isEntryPoint: true,
  acceptsIncoming: false,
  acceptsOutgoing: false,
  requiresOutgoing: false,
  isGateway: false,
  isActivity: false,
  conditionalOutgoing: false,
  defaultOutgoing: false,
};

export function createEventSubProcess(
  id: string,
  options: EventSubProcessOptions,
  scope: ScopeModel,
): NodeModel {
  return {
    kind: 'eventSubProcess',
    id,
    name: options?.name,
    extensions: ioMappingExtension(id, options ?? {}),
    attributes: { triggeredByEvent: true },
    scope,
  };
}
