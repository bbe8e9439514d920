import { BuilderError } from '../builder-error.js';
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

/** Options of a boundary event: exactly one of timer, message, signal, error, escalation, compensation. */
export interface BoundaryEventOptions extends ElementOptions, OutputMappingOptions {
  /** The activity it is attached to; by default the current element. */
  readonly attachedTo?: string;
  /** A duration or date; a cycle only when non-interrupting. */
  readonly timer?: TimerOptions;
  /** A message for this instance; the correlation key is required. */
  readonly message?: MessageOptions;
  readonly signal?: string;
  /** The error code to catch, or `true` for any error. Always interrupting. */
  readonly error?: string | true;
  /** The escalation code to catch, or `true` for any escalation. */
  readonly escalation?: string | true;
  /**
   * Marks the host as compensable: the activity added next is its compensation handler, linked by an
   * association instead of a sequence flow.
   */
  readonly compensation?: true;
  /** `false`: the host goes on when the event occurs and a token also leaves here (default true). */
  readonly interrupting?: boolean;
}

/**
 * A boundary event on an activity: while the activity runs, the event can happen and a path leaves
 * from here. Nothing flows into it.
 */
export const boundaryEventKind: ElementKind = {
  ...eventRules,
  bpmnType: 'bpmn:BoundaryEvent',
  description: 'boundary event',
  isEntryPoint: false,
  acceptsIncoming: false,
  acceptsOutgoing: true,
  requiresOutgoing: true,
  // A compensation boundary event leads to its handler by association, never by a sequence flow.
  rulesFor: (node) =>
    node.eventDefinition?.kind === 'compensation' ? { acceptsOutgoing: false, requiresOutgoing: false } : {},
};

export function createBoundaryEvent(id: string, hostId: string, options: BoundaryEventOptions): NodeModel {
  const description = boundaryEventKind.description;
  const key = definitionKeyOf(
    id,
    options,
    ['timer', 'message', 'signal', 'error', 'escalation', 'compensation'],
    description,
  );
  const interrupting = options.interrupting !== false;
  let eventDefinition: EventDefinitionModel;
  if (key === 'timer') {
    eventDefinition = timerDefinition(id, options.timer!);
    if (eventDefinition.timer === 'cycle' && interrupting) {
      throw new BuilderError(
        `a timer cycle on ${description} '${id}' needs interrupting: false (an interrupting timer fires once)`,
        id,
      );
    }
  } else if (key === 'message') {
    eventDefinition = {
      kind: 'message',
      message: messageOf(id, options.message!, 'message boundary event', true),
    };
  } else if (key === 'signal') {
    eventDefinition = signalDefinition(id, options.signal!);
  } else if (key === 'error') {
    if (!interrupting) {
      throw new BuilderError(
        `error ${description} '${id}' must be interrupting: an error ends its activity`,
        id,
      );
    }
    eventDefinition = codeDefinition(id, 'error', options.error!, true);
  } else if (key === 'escalation') {
    eventDefinition = codeDefinition(id, 'escalation', options.escalation!, true);
  } else if (key === 'compensation') {
    eventDefinition = { kind: 'compensation' };
  } else {
    throw new BuilderError(
      `${description} '${id}' needs an event: timer, message, signal, error, escalation or compensation`,
      id,
    );
  }
  return {
    kind: 'boundaryEvent',
    id,
    name: options.name,
    extensions: ioMappingExtension(id, { outputs: options.outputs }),
    eventDefinition,
    attachedTo: hostId,
    ...(interrupting || key === 'compensation' ? {} : { attributes: { cancelActivity: false } }),
  };
}
