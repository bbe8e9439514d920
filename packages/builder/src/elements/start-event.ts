import type { EventDefinitionModel } from '../model/event-definition-model.js';
import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { eventRules } from './element-kind.js';
import type { ElementOptions, OutputMappingOptions } from './element-options.js';
import type { MessageOptions, TimerOptions } from './event-definitions.js';
import {
  codeDefinition,
  definitionKeyOf,
  messageOf,
  signalDefinition,
  timerDefinition,
} from './event-definitions.js';
import { ioMappingExtension } from './io-mapping.js';

/**
 * Options of a start event. Without a definition it is a none start event. A process may also start
 * on a timer, a message (no correlation key needed) or a signal; the start event of an event
 * sub-process may in addition catch an error or escalation, and may be non-interrupting.
 */
export interface StartEventOptions extends ElementOptions, OutputMappingOptions {
  readonly timer?: TimerOptions;
  readonly message?: string | MessageOptions;
  readonly signal?: string;
  /** Event sub-processes only: the error code to catch, or `true` for any error. */
  readonly error?: string | true;
  /** Event sub-processes only: the escalation code to catch, or `true` for any escalation. */
  readonly escalation?: string | true;
  /**
   * Event sub-processes inside an embedded sub-process only: the event sub-process becomes the compensation
   * handler of that sub-process (run when a compensation throw event compensates it).
   */
  readonly compensation?: true;
  /** Event sub-processes only: `false` lets the enclosing scope go on (default true). */
  readonly interrupting?: boolean;
}

/** A start event: where a new instance (or sub-process) begins. Nothing flows into it. */
export const startEventKind: ElementKind = {
  ...eventRules,
  bpmnType: 'bpmn:StartEvent',
  description: 'start event',
  isEntryPoint: true,
  acceptsIncoming: false,
  acceptsOutgoing: true,
};

export function createStartEvent(id: string, options: StartEventOptions = {}): NodeModel {
  const key = definitionKeyOf(
    id,
    options,
    ['timer', 'message', 'signal', 'error', 'escalation', 'compensation'],
    startEventKind.description,
  );
  let eventDefinition: EventDefinitionModel | undefined;
  if (key === 'timer') eventDefinition = timerDefinition(id, options.timer!);
  // Whether a key is needed depends on the scope (an event sub-process needs one): checked by done().
  if (key === 'message')
    eventDefinition = { kind: 'message', message: messageOf(id, options.message!, 'start event', false) };
  if (key === 'signal') eventDefinition = signalDefinition(id, options.signal!);
  if (key === 'error') eventDefinition = codeDefinition(id, 'error', options.error!, true);
  if (key === 'escalation') eventDefinition = codeDefinition(id, 'escalation', options.escalation!, true);
  if (key === 'compensation') eventDefinition = { kind: 'compensation' };
  return {
    kind: 'startEvent',
    id,
    name: options.name,
    extensions: ioMappingExtension(id, { outputs: options.outputs }),
    ...(eventDefinition ? { eventDefinition } : {}),
    ...(options.interrupting === false ? { attributes: { isInterrupting: false } } : {}),
  };
}
