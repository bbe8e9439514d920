import type { ModdleObject } from 'bpmn-moddle';
import type { EventDefinitionModel } from '../model/event-definition-model.js';
import { moddle } from './moddle.js';
import type { RootElements } from './root-elements.js';

const TIMER_FIELDS = { duration: 'timeDuration', date: 'timeDate', cycle: 'timeCycle' } as const;

/**
 * The `bpmn:*EventDefinition` of `definition`. References go to root elements (`roots`) or, for a
 * compensation of one activity, to that activity's element in the same scope (`scopeElements`).
 */
export function toEventDefinition(
  definition: EventDefinitionModel,
  roots: RootElements,
  scopeElements: ReadonlyMap<string, ModdleObject>,
): ModdleObject {
  switch (definition.kind) {
    case 'timer':
      return moddle.create('bpmn:TimerEventDefinition', {
        [TIMER_FIELDS[definition.timer]]: moddle.create('bpmn:FormalExpression', { body: definition.value }),
      });
    case 'message':
      return moddle.create(
        'bpmn:MessageEventDefinition',
        definition.message ? { messageRef: roots.message(definition.message) } : {},
      );
    case 'signal':
      return moddle.create('bpmn:SignalEventDefinition', { signalRef: roots.signal(definition.name) });
    case 'error':
      return moddle.create(
        'bpmn:ErrorEventDefinition',
        definition.code !== undefined ? { errorRef: roots.error(definition.code) } : {},
      );
    case 'escalation':
      return moddle.create(
        'bpmn:EscalationEventDefinition',
        definition.code !== undefined ? { escalationRef: roots.escalation(definition.code) } : {},
      );
    case 'terminate':
      return moddle.create('bpmn:TerminateEventDefinition', {});
    case 'link':
      return moddle.create('bpmn:LinkEventDefinition', { name: definition.name });
    case 'compensation':
      return moddle.create(
        'bpmn:CompensateEventDefinition',
        definition.activityId !== undefined ? { activityRef: scopeElements.get(definition.activityId) } : {},
      );
    default:
      return unknownDefinition(definition);
  }
}

// A new EventDefinitionModel variant without a case above fails to compile here.
function unknownDefinition(definition: never): never {
  throw new Error(`no emitter for event definition ${JSON.stringify(definition)}`);
}
