import { BuilderError } from '../builder-error.js';
import type {
  EventDefinitionModel,
  MessageModel,
  TimerDefinitionModel,
} from '../model/event-definition-model.js';
import { requireText } from './expressions.js';

/** When a timer fires: after a duration, at a date, or repeatedly. Values may be FEEL (`'= delay'`). */
export type TimerOptions =
  { readonly duration: string } | { readonly date: string } | { readonly cycle: string };

/** A message to wait for: its name and the FEEL expression (or fixed value) it is correlated by. */
export interface MessageOptions {
  readonly name: string;
  /** `'= orderId'`: the instance's value that a published message's key must equal. */
  readonly correlationKey?: string;
}

/** Compensation to throw: of one activity, or (with `true`) of every completed activity in the scope. */
export type CompensationOptions = true | { readonly activity: string };

/** The option keys that stand for an event definition, in the order they are looked for. */
const DEFINITION_KEYS = [
  'timer',
  'message',
  'signal',
  'error',
  'escalation',
  'terminate',
  'link',
  'compensation',
] as const;

export type DefinitionKey = (typeof DEFINITION_KEYS)[number];

/**
 * Which event definition the options of event `id` ask for (or none), failing when they name more
 * than one or one this kind of event (`description`) cannot carry.
 */
export function definitionKeyOf(
  id: string,
  options: object | undefined,
  allowed: readonly DefinitionKey[],
  description: string,
): DefinitionKey | undefined {
  const record = (options ?? {}) as Record<string, unknown>;
  const given = DEFINITION_KEYS.filter((key) => record[key] !== undefined && record[key] !== false);
  if (given.length > 1) {
    throw new BuilderError(
      `${description} '${id}' has several event definitions (${given.join(', ')}); an event has at most one`,
      id,
    );
  }
  const key = given[0];
  if (key !== undefined && !allowed.includes(key)) {
    throw new BuilderError(
      `a ${key} ${description} ('${id}') is not supported; a ${description} can be ` +
        `${allowed.length > 0 ? allowed.join(', ') : 'none only'}`,
      id,
    );
  }
  return key;
}

export function timerDefinition(id: string, timer: TimerOptions): TimerDefinitionModel {
  const entries = Object.entries(timer ?? {}).filter(([key]) => ['duration', 'date', 'cycle'].includes(key));
  if (entries.length !== 1) {
    throw new BuilderError(`the timer of '${id}' needs exactly one of duration, date or cycle`, id);
  }
  const [kind, raw] = entries[0] as ['duration' | 'date' | 'cycle', unknown];
  const value = requireText(raw, id, `the timer ${kind}`).trim();
  if (!value.startsWith('=')) checkStaticTimer(id, kind, value);
  return { kind: 'timer', timer: kind, value };
}

// The engine checks these too; checking here points at the builder call instead of the deployment.
const ISO_DURATION = /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

function checkStaticTimer(id: string, kind: 'duration' | 'date' | 'cycle', value: string): void {
  const ok =
    kind === 'duration'
      ? ISO_DURATION.test(value)
      : kind === 'date'
        ? /(Z|[+-]\d\d:?\d\d)$/.test(value) && !Number.isNaN(Date.parse(value))
        : /^R\d*\/.+/.test(value) || value.split(/\s+/).length >= 5;
  if (ok) return;
  const expected =
    kind === 'duration'
      ? 'an ISO 8601 duration such as PT10M'
      : kind === 'date'
        ? 'an ISO 8601 date-time with a zone such as 2030-01-01T10:00:00Z'
        : 'a cycle such as R3/PT10M or a cron expression such as 0 0 9 * * MON-FRI';
  throw new BuilderError(`invalid timer ${kind} '${value}' of '${id}': expected ${expected}`, id);
}

/**
 * The message of event `id`. `keyRequired` is false only where there is no instance to correlate
 * with yet (a process's message start event); everywhere else Zeebe needs a correlation key.
 */
export function messageOf(
  id: string,
  message: string | MessageOptions,
  description: string,
  keyRequired: boolean,
): MessageModel {
  const options = typeof message === 'string' ? { name: message } : message;
  const name = requireText(options?.name, id, 'the message name');
  if (options.correlationKey === undefined) {
    if (keyRequired) {
      throw new BuilderError(
        `${description} '${id}' waits for message '${name}' without a correlationKey; ` +
          `give one (e.g. correlationKey: '= orderId') so the message finds this instance`,
        id,
      );
    }
    return { name };
  }
  return { name, correlationKey: requireText(options.correlationKey, id, 'the correlation key') };
}

export function signalDefinition(id: string, name: string): EventDefinitionModel {
  return { kind: 'signal', name: requireText(name, id, 'the signal name') };
}

export function linkDefinition(id: string, name: string): EventDefinitionModel {
  return { kind: 'link', name: requireText(name, id, 'the link name') };
}

/** An error or escalation definition: `true` catches any code (only where catching is allowed). */
export function codeDefinition(
  id: string,
  kind: 'error' | 'escalation',
  code: string | true,
  catchAllAllowed: boolean,
): EventDefinitionModel {
  if (code === true) {
    if (!catchAllAllowed) {
      throw new BuilderError(`the ${kind} thrown by '${id}' needs a code`, id);
    }
    return { kind };
  }
  return { kind, code: requireText(code, id, `the ${kind} code`) };
}

export function compensationDefinition(id: string, options: CompensationOptions): EventDefinitionModel {
  if (options === true) return { kind: 'compensation' };
  return { kind: 'compensation', activityId: requireText(options?.activity, id, 'the compensated activity') };
}
