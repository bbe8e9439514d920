import type { ElementInstanceState } from '../state/element-instance.js';

/** The lifecycle events of an element instance. */
export type LifecycleIntent =
  | 'ELEMENT_ACTIVATING'
  | 'ELEMENT_ACTIVATED'
  | 'ELEMENT_COMPLETING'
  | 'ELEMENT_COMPLETED'
  | 'ELEMENT_TERMINATING'
  | 'ELEMENT_TERMINATED';

/** An element instance's state before a transition; `NONE` when it does not exist yet (or any more). */
export type LifecycleState = ElementInstanceState | 'NONE';

/**
 * The element lifecycle, as in Zeebe: `ACTIVATING → ACTIVATED → COMPLETING → COMPLETED`, and from any state
 * before COMPLETED, `TERMINATING → TERMINATED`. For each transition, the states it may start from.
 */
const TRANSITIONS: { readonly [T in LifecycleIntent]: readonly LifecycleState[] } = {
  ELEMENT_ACTIVATING: ['NONE'],
  ELEMENT_ACTIVATED: ['ELEMENT_ACTIVATING'],
  ELEMENT_COMPLETING: ['ELEMENT_ACTIVATED'],
  ELEMENT_COMPLETED: ['ELEMENT_COMPLETING'],
  ELEMENT_TERMINATING: ['ELEMENT_ACTIVATING', 'ELEMENT_ACTIVATED', 'ELEMENT_COMPLETING'],
  ELEMENT_TERMINATED: ['ELEMENT_TERMINATING'],
};

export function canTransition(from: LifecycleState, to: LifecycleIntent): boolean {
  return TRANSITIONS[to].includes(from);
}

/** The commands that move an element instance through its lifecycle. */
export type LifecycleCommand = 'ACTIVATE_ELEMENT' | 'COMPLETE_ELEMENT' | 'TERMINATE_ELEMENT';

const COMMAND_TRANSITION: { readonly [C in LifecycleCommand]: LifecycleIntent } = {
  ACTIVATE_ELEMENT: 'ELEMENT_ACTIVATING',
  COMPLETE_ELEMENT: 'ELEMENT_COMPLETING',
  TERMINATE_ELEMENT: 'ELEMENT_TERMINATING',
};

/**
 * Whether a lifecycle command applies to an instance in state `from`: its transition is allowed, or (activate
 * and complete) the instance is already in the state it leads to and the hook runs again after an incident.
 */
export function commandApplies(command: LifecycleCommand, from: LifecycleState): boolean {
  const to = COMMAND_TRANSITION[command];
  return canTransition(from, to) || (command !== 'TERMINATE_ELEMENT' && from === to);
}

/** The rejection of a lifecycle command that does not apply: NOT_FOUND for a gone instance, else INVALID_STATE. */
export function lifecycleRejection(
  command: LifecycleCommand,
  key: string,
  elementId: string,
  from: LifecycleState,
): { type: 'NOT_FOUND' | 'INVALID_STATE'; reason: string } {
  const to = COMMAND_TRANSITION[command];
  const allowed = [...TRANSITIONS[to], ...(command !== 'TERMINATE_ELEMENT' ? [to] : [])].filter(
    (s) => s !== 'NONE',
  );
  const expected = allowed.length > 0 ? `to be ${allowed.join(' or ')}` : 'not to exist';
  const found = from === 'NONE' ? 'it does not exist' : `it is ${from}`;
  return {
    type: from === 'NONE' ? 'NOT_FOUND' : 'INVALID_STATE',
    reason: `Expected to ${command.toLowerCase().replace('_element', '')} element instance '${key}' of '${elementId}' (${expected}${command === 'ACTIVATE_ELEMENT' ? ' or new' : ''}), but ${found}`,
  };
}
