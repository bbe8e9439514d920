import { BuilderError } from '../builder-error.js';
import type { EventDefinitionModel } from '../model/event-definition-model.js';
import type { NodeModel } from '../model/process-model.js';
import type { ElementKind } from './element-kind.js';
import { eventRules } from './element-kind.js';
import type { ElementOptions, OutputMappingOptions } from './element-options.js';
import type { MessageOptions, TimerOptions } from './event-definitions.js';
import {
  definitionKeyOf,
  linkDefinition,
  messageOf,
  signalDefinition,
  timerDefinition,
} from './event-definitions.js';
import { ioMappingExtension } from './io-mapping.js';

/** Options of an intermediate catch event: exactly one of timer, message, signal or link. */
export interface IntermediateCatchEventOptions extends ElementOptions, OutputMappingOptions {
  /** Waits for a duration or a date (a cycle is only for start and non-interrupting boundary events). */
  readonly timer?: TimerOptions;
  /** Waits for a message; the correlation key is required. */
  readonly message?: MessageOptions;
  readonly signal?: string;
  /** The target of the link throw event of the same name in this scope; it takes no incoming flow. */
  readonly link?: string;
}

/** An intermediate catch event: the path waits here until the event occurs. */
export const intermediateCatchEventKind: ElementKind = {
  ...eventRules,
  bpmnType: 'bpmn:IntermediateCatchEvent',
  description: 'intermediate catch event',
  isEntryPoint: false,
  acceptsIncoming: true,
  acceptsOutgoing: true,
  rulesFor: (node) => (node.eventDefinition?.kind === 'link' ? { acceptsIncoming: false } : {}),
};

export function createIntermediateCatchEvent(id: string, options: IntermediateCatchEventOptions): NodeModel {
  const description = intermediateCatchEventKind.description;
  const key = definitionKeyOf(id, options, ['timer', 'message', 'signal', 'link'], description);
  let eventDefinition: EventDefinitionModel;
  if (key === 'timer') {
    eventDefinition = timerDefinition(id, options.timer!);
    if (eventDefinition.timer === 'cycle') {
      throw new BuilderError(
        `a timer cycle on ${description} '${id}' is not allowed: it fires once (use a duration or a date)`,
        id,
      );
    }
  } else if (key === 'message') {
    eventDefinition = {
      kind: 'message',
      message: messageOf(id, options.message!, 'message catch event', true),
    };
  } else if (key === 'signal') {
    eventDefinition = signalDefinition(id, options.signal!);
  } else if (key === 'link') {
    eventDefinition = linkDefinition(id, options.link!);
  } else {
    throw new BuilderError(
      `${description} '${id}' needs an event to wait for: timer, message, signal or link`,
      id,
    );
  }
  return {
    kind: 'intermediateCatchEvent',
    id,
    name: options.name,
    extensions: ioMappingExtension(id, { outputs: options.outputs }),
    eventDefinition,
  };
}
