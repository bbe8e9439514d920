import type { EventDefinitionModel } from '../model/event-definition-model.js';
import type { ExtensionModel } from '../model/extension-model.js';
import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { eventRules } from './element-kind.js';
import type { ElementOptions, JobOptions } from './element-options.js';
import type { CompensationOptions } from './event-definitions.js';
import {
  codeDefinition,
  compensationDefinition,
  definitionKeyOf,
  signalDefinition,
} from './event-definitions.js';
import { ioMappingExtension } from './io-mapping.js';
import { jobExtensions } from './job-definition.js';
import type { VariableMapping } from '../model/extension-model.js';

/** Options of an end event; without a definition it is a none end event. At most one definition. */
export interface EndEventOptions extends ElementOptions {
  /** Throws the BPMN error with this code (a FEEL expression is allowed). */
  readonly error?: string;
  /** Throws the escalation with this code. */
  readonly escalation?: string;
  /** Ends the whole scope: every other path in it is cancelled. */
  readonly terminate?: true;
  /** Broadcasts the signal with this name. */
  readonly signal?: string;
  /** Compensates one activity, or every completed activity of the scope (`true`), then ends. */
  readonly compensation?: CompensationOptions;
  /** Sends a message the Zeebe way: a job of this type for a worker. */
  readonly message?: JobOptions;
  /** Evaluated when the event is reached, e.g. for the job of a message end event or a signal's variables. */
  readonly inputs?: readonly VariableMapping[];
}

/** An end event: the path ends here; nothing flows out. */
export const endEventKind: ElementKind = {
  ...eventRules,
  bpmnType: 'bpmn:EndEvent',
  description: 'end event',
  isEntryPoint: false,
  acceptsIncoming: true,
  acceptsOutgoing: false,
};

export function createEndEvent(id: string, options: EndEventOptions = {}): NodeModel {
  const key = definitionKeyOf(
    id,
    options,
    ['error', 'escalation', 'terminate', 'signal', 'compensation', 'message'],
    endEventKind.description,
  );
  let eventDefinition: EventDefinitionModel | undefined;
  const extensions: ExtensionModel[] = [];
  if (key === 'error') eventDefinition = codeDefinition(id, 'error', options.error!, false);
  if (key === 'escalation') eventDefinition = codeDefinition(id, 'escalation', options.escalation!, false);
  if (key === 'terminate') eventDefinition = { kind: 'terminate' };
  if (key === 'signal') eventDefinition = signalDefinition(id, options.signal!);
  if (key === 'compensation') eventDefinition = compensationDefinition(id, options.compensation!);
  if (key === 'message') {
    eventDefinition = { kind: 'message' };
    extensions.push(...jobExtensions(id, options.message));
  }
  extensions.push(...ioMappingExtension(id, { inputs: options.inputs }));
  return {
    kind: 'endEvent',
    id,
    name: options.name,
    extensions,
    ...(eventDefinition ? { eventDefinition } : {}),
  };
}
