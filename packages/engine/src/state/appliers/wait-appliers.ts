import type { LoggedEventOf } from '../../records/record.js';
import type { EngineState } from '../engine-state.js';
import { partitionOfKey } from '../../keys.js';

export function timerCreated(state: EngineState, r: LoggedEventOf<'TIMER'>): void {
  state.waits.putTimer(r.key, r.value);
}

export function timerEnded(state: EngineState, r: LoggedEventOf<'TIMER'>): void {
  state.waits.removeTimer(r.key);
}

export function messagePublished(state: EngineState, r: LoggedEventOf<'MESSAGE'>): void {
  if (r.value.handOver) state.acceptHandOver(partitionOfKey(r.key), r.value.handOver.sourcePosition);
  // Buffered until its deadline; a hand-over that arrives after it only reached the subscriptions open then.
  if (r.value.timeToLive > 0 && r.value.deadline > r.timestamp)
    state.waits.putMessage({ key: r.key, value: r.value, correlatedProcesses: [] });
}

export function messageExpired(state: EngineState, r: LoggedEventOf<'MESSAGE'>): void {
  state.waits.removeMessage(r.key);
}

export function messageSubscriptionCreated(
  state: EngineState,
  r: LoggedEventOf<'MESSAGE_SUBSCRIPTION'>,
): void {
  state.waits.putMessageSubscription(r.key, r.value);
}

/** A correlation closes the subscription and remembers, on a buffered message, which process got it. */
export function messageSubscriptionCorrelated(
  state: EngineState,
  r: LoggedEventOf<'MESSAGE_SUBSCRIPTION'>,
): void {
  state.waits.messages.get(r.value.messageKey)?.correlatedProcesses.push(r.value.bpmnProcessId);
  if (r.value.elementInstanceKey !== '-1' && !r.value.interrupting) return; // a non-interrupting boundary keeps listening
  state.waits.removeMessageSubscription(r.key);
}

export function messageSubscriptionDeleted(
  state: EngineState,
  r: LoggedEventOf<'MESSAGE_SUBSCRIPTION'>,
): void {
  state.waits.removeMessageSubscription(r.key);
}

export function signalSubscriptionCreated(state: EngineState, r: LoggedEventOf<'SIGNAL_SUBSCRIPTION'>): void {
  state.waits.putSignalSubscription(r.key, r.value);
}

export function signalSubscriptionDeleted(state: EngineState, r: LoggedEventOf<'SIGNAL_SUBSCRIPTION'>): void {
  state.waits.removeSignalSubscription(r.key);
}
