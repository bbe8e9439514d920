import type { EventDefinition, ExpressionOrStatic, JobDefinition } from './executable.js';
import type { CompiledBase } from '../bpmn/element-kind.js';
import { compileJobDefinition } from './compile-element.js';
import type { ModelProblem } from './deployment-error.js';
import type { ModdleElement } from './moddle-element.js';
import { extensionOf } from './moddle-element.js';
import { checkExpression, compileExpressionOrStatic } from './compile-expressions.js';
import { feelExpressionOf } from '../expressions/feel.js';
import { parseCycle, parseDateTime, parseDuration } from '../timers/iso8601.js';
import type { Cycle } from '../timers/iso8601.js';
import { cycleTooShort } from '../timers/cycle-limit.js';

const SUPPORTED = new Set([
  'bpmn:MessageEventDefinition',
  'bpmn:TimerEventDefinition',
  'bpmn:SignalEventDefinition',
  'bpmn:ErrorEventDefinition',
  'bpmn:EscalationEventDefinition',
  'bpmn:TerminateEventDefinition',
  'bpmn:LinkEventDefinition',
  'bpmn:CompensateEventDefinition',
]);

/** Compiles the (at most one) event definition of an event; problems name the element. */
export function compileEventDefinition(
  element: ModdleElement,
  problems: ModelProblem[],
): EventDefinition | undefined {
  const id = element.id ?? '';
  const definitions = (element.eventDefinitions as ModdleElement[] | undefined) ?? [];
  if (definitions.length === 0) return undefined;
  if (definitions.length > 1) {
    problems.push({ elementId: id, message: 'an event may have at most one event definition' });
    return undefined;
  }
  const definition = definitions[0]!;
  if (!SUPPORTED.has(definition.$type)) {
    problems.push({ elementId: id, message: `event definition '${definition.$type}' is not supported` });
    return undefined;
  }
  switch (definition.$type) {
    case 'bpmn:MessageEventDefinition':
      return compileMessage(element, definition, problems);
    case 'bpmn:TimerEventDefinition':
      return compileTimer(id, definition, problems);
    case 'bpmn:SignalEventDefinition': {
      const name = (definition.signalRef as ModdleElement | undefined)?.name;
      if (typeof name !== 'string' || !name.trim()) {
        problems.push({ elementId: id, message: 'a signal event must reference a signal with a name' });
        return undefined;
      }
      return {
        kind: 'signal',
        signalName: compileExpressionOrStatic(id, 'signal name', name.trim(), problems),
      };
    }
    case 'bpmn:ErrorEventDefinition': {
      const code = (definition.errorRef as ModdleElement | undefined)?.errorCode;
      return { kind: 'error', errorCode: codeOf(id, 'error code', code, problems) };
    }
    case 'bpmn:EscalationEventDefinition': {
      const code = (definition.escalationRef as ModdleElement | undefined)?.escalationCode;
      return { kind: 'escalation', escalationCode: codeOf(id, 'escalation code', code, problems) };
    }
    case 'bpmn:TerminateEventDefinition':
      return { kind: 'terminate' };
    case 'bpmn:CompensateEventDefinition': {
      const activity = (definition.activityRef as ModdleElement | undefined)?.id;
      return activity ? { kind: 'compensation', activityRef: activity } : { kind: 'compensation' };
    }
    default: {
      const name = typeof definition.name === 'string' ? definition.name.trim() : '';
      if (!name) problems.push({ elementId: id, message: 'a link event must have a name' });
      return { kind: 'link', linkName: name };
    }
  }
}

function codeOf(
  id: string,
  what: string,
  code: unknown,
  problems: ModelProblem[],
): ExpressionOrStatic | undefined {
  if (typeof code !== 'string' || code.trim() === '') return undefined;
  return compileExpressionOrStatic(id, what, code.trim(), problems);
}

function compileMessage(
  element: ModdleElement,
  definition: ModdleElement,
  problems: ModelProblem[],
): EventDefinition | undefined {
  const id = element.id ?? '';
  const message = definition.messageRef as ModdleElement | undefined;
  const name = typeof message?.name === 'string' ? message.name.trim() : '';
  // Message throw and end events are jobs in Camunda 8: a worker sends the message, so neither a message
  // reference nor a correlation key is required.
  const isThrow = element.$type === 'bpmn:IntermediateThrowEvent' || element.$type === 'bpmn:EndEvent';
  if (!name) {
    if (isThrow) return { kind: 'message', messageName: { kind: 'static', value: '' } };
    problems.push({ elementId: id, message: 'a message event must reference a message with a name' });
    return undefined;
  }
  const subscription = message && extensionOf(message, 'zeebe:Subscription');
  const keyText = typeof subscription?.correlationKey === 'string' ? subscription.correlationKey.trim() : '';
  const isStart =
    element.$type === 'bpmn:StartEvent' &&
    (element.$parent as ModdleElement | undefined)?.$type === 'bpmn:Process';
  let correlationKey: string | undefined;
  if (keyText) {
    correlationKey = feelExpressionOf(keyText) ?? JSON.stringify(keyText);
    checkExpression(id, 'correlation key', correlationKey, problems);
  } else if (!isStart && !isThrow) {
    problems.push({
      elementId: id,
      message: `message '${name}' must have a correlation key (zeebe:subscription correlationKey)`,
    });
  }
  return {
    kind: 'message',
    messageName: compileExpressionOrStatic(id, 'message name', name, problems),
    correlationKey,
  };
}

function compileTimer(
  id: string,
  definition: ModdleElement,
  problems: ModelProblem[],
): EventDefinition | undefined {
  const entries = (['timeDuration', 'timeDate', 'timeCycle'] as const)
    .map((field) => [field, (definition[field] as { body?: string } | undefined)?.body?.trim()] as const)
    .filter(([, body]) => body);
  if (entries.length !== 1) {
    problems.push({
      elementId: id,
      message: 'a timer must have exactly one of timeDuration, timeDate or timeCycle',
    });
    return undefined;
  }
  const [field, body] = entries[0]!;
  const timer = field === 'timeDuration' ? 'duration' : field === 'timeDate' ? 'date' : 'cycle';
  const value = compileExpressionOrStatic(id, `timer ${timer}`, body!, problems);
  if (value.kind === 'static') {
    const valid =
      timer === 'duration'
        ? parseDuration(value.value)
        : timer === 'date'
          ? parseDateTime(value.value)
          : parseCycle(value.value);
    const tooShort = timer === 'cycle' && valid !== undefined ? cycleTooShort(valid as Cycle) : undefined;
    if (tooShort)
      problems.push({ elementId: id, message: `timer cycle '${value.value}' is refused: ${tooShort}` });
    if (valid === undefined) {
      const expected =
        timer === 'duration'
          ? 'an ISO 8601 duration such as PT10M'
          : timer === 'date'
            ? 'an ISO 8601 date-time with a zone such as 2030-01-01T10:00:00Z'
            : 'a cycle such as R3/PT10M or a cron expression such as 0 0 9 * * MON-FRI';
      problems.push({
        elementId: id,
        message: `invalid timer ${timer} '${value.value}': expected ${expected}`,
      });
    }
  }
  return { kind: 'timer', timer, value };
}

/** Throw and end events: their event definition; a message one is a job of its task definition, as in Zeebe. */
export function compileThrowEvent<T extends 'END_EVENT' | 'INTERMEDIATE_THROW_EVENT'>(
  source: ModdleElement,
  base: CompiledBase<T>,
  problems: ModelProblem[],
): CompiledBase<T> & { readonly eventDefinition?: EventDefinition; readonly job?: JobDefinition } {
  const eventDefinition = compileEventDefinition(source, problems);
  if (eventDefinition?.kind !== 'message') return eventDefinition ? { ...base, eventDefinition } : base;
  const job = compileJobDefinition(source, extensionOf(source, 'zeebe:TaskDefinition'), problems);
  return { ...base, eventDefinition, job };
}

/** A receive task waits like a message catch event for the message it references. */
export function compileReceiveTaskMessage(element: ModdleElement, problems: ModelProblem[]) {
  const message = element.messageRef as ModdleElement | undefined;
  if (!message) {
    problems.push({ elementId: element.id, message: 'a receive task must reference a message' });
    return undefined;
  }
  // A receive task waits like a message catch event: reuse that compilation.
  return compileEventDefinition(
    {
      $type: 'bpmn:ReceiveTask',
      id: element.id,
      eventDefinitions: [{ $type: 'bpmn:MessageEventDefinition', messageRef: message }],
    },
    problems,
  );
}
