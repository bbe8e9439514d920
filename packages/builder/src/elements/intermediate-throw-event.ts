import type { EventDefinitionModel } from '../model/event-definition-model.js';
import type { ExtensionModel, VariableMapping } from '../model/extension-model.js';
import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { eventRules } from './element-kind.js';
import type { ElementOptions, JobOptions } from './element-options.js';
import type { CompensationOptions } from './event-definitions.js';
import {
  codeDefinition,
  compensationDefinition,
  definitionKeyOf,
  linkDefinition,
  signalDefinition,
} from './event-definitions.js';
import { ioMappingExtension } from './io-mapping.js';
import { jobExtensions } from './job-definition.js';

/** Options of an intermediate throw event; without a definition it is a none event (a milestone). */
export interface IntermediateThrowEventOptions extends ElementOptions {
  /** Broadcasts the signal with this name. */
  readonly signal?: string;
  /** Throws the escalation with this code; the path goes on unless it is caught interrupting. */
  readonly escalation?: string;
  /** Jumps to the link catch event of this name in the same scope; nothing flows out. */
  readonly link?: string;
  /** Compensates one activity, or every completed activity of the scope (`true`), and waits for it. */
  readonly compensation?: CompensationOptions;
  /** Sends a message the Zeebe way: a job of this type for a worker. */
  readonly message?: JobOptions;
  /** Evaluated when the event is reached, e.g. the variables of its job. */
  readonly inputs?: readonly VariableMapping[];
  readonly outputs?: readonly VariableMapping[];
}

/** An intermediate throw event: does what its definition says and goes on. */
export const intermediateThrowEventKind: ElementKind = {
  ...eventRules,
  bpmnType: 'bpmn:IntermediateThrowEvent',
  description: 'intermediate throw event',
  isEntryPoint: false,
  acceptsIncoming: true,
  acceptsOutgoing: true,
  rulesFor: (node) => (node.eventDefinition?.kind === 'link' ? { acceptsOutgoing: false } : {}),
};

export function createIntermediateThrowEvent(
  id: string,
  options: IntermediateThrowEventOptions = {},
): NodeModel {
  const key = definitionKeyOf(
    id,
    options,
    ['signal', 'escalation', 'link', 'compensation', 'message'],
    intermediateThrowEventKind.description,
  );
  let eventDefinition: EventDefinitionModel | undefined;
  const extensions: ExtensionModel[] = [];
  if (key === 'signal') eventDefinition = signalDefinition(id, options.signal!);
  if (key === 'escalation') eventDefinition = codeDefinition(id, 'escalation', options.escalation!, false);
  if (key === 'link') eventDefinition = linkDefinition(id, options.link!);
  if (key === 'compensation') eventDefinition = compensationDefinition(id, options.compensation!);
  if (key === 'message') {
    eventDefinition = { kind: 'message' };
    extensions.push(...jobExtensions(id, options.message));
  }
  extensions.push(...ioMappingExtension(id, options));
  return {
    kind: 'intermediateThrowEvent',
    id,
    name: options.name,
    extensions,
    ...(eventDefinition ? { eventDefinition } : {}),
  };
}
