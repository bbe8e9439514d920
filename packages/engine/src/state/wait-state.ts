import type { TimerRecordValue } from '../records/timer.js';
import type { MessageRecordValue, MessageSubscriptionRecordValue } from '../records/message.js';
import type { SignalSubscriptionRecordValue } from '../records/signal.js';
import type { DueDateIndex } from './due-date-index.js';

export interface Timer {
  readonly key: string;
  readonly value: TimerRecordValue;
}
export interface BufferedMessage {
  readonly key: string;
  readonly value: MessageRecordValue;
  /** Process ids the message was already correlated to: a buffered message reaches each at most once. */
  readonly correlatedProcesses: string[];
}
export interface MessageSubscription {
  readonly key: string;
  readonly value: MessageSubscriptionRecordValue;
}
export interface SignalSubscription {
  readonly key: string;
  readonly value: SignalSubscriptionRecordValue;
}

const messageIndexKey = (name: string, correlationKey: string) => `${name}\u0000${correlationKey}`;

function addTo<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) map.set(key, (set = new Set()));
  set.add(value);
}

function removeFrom<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/** What partitions wait for: timers, buffered messages, message and signal subscriptions. */
export class WaitState {
  readonly timers = new Map<string, Timer>();
  readonly messages = new Map<string, BufferedMessage>();
  readonly messageSubscriptions = new Map<string, MessageSubscription>();
  readonly signalSubscriptions = new Map<string, SignalSubscription>();
  private readonly messagesByName = new Map<string, Set<string>>();
  private readonly messageIds = new Map<string, string>();
  private readonly subscriptionsByMessage = new Map<string, Set<string>>();
  private readonly signalsByName = new Map<string, Set<string>>();
  /** Subscriptions (timers, message and signal subscriptions) owned by each element instance. */
  private readonly byOwner = new Map<string, Set<string>>();

  constructor(private readonly dueDates: DueDateIndex) {}

  ownedBy(elementInstanceKey: string): Iterable<string> {
    return this.byOwner.get(elementInstanceKey) ?? [];
  }

  bufferedMessages(name: string, correlationKey: string): BufferedMessage[] {
    const keys = this.messagesByName.get(messageIndexKey(name, correlationKey));
    return keys ? [...keys].map((k) => this.messages.get(k)!).filter(Boolean) : [];
  }

  messageWithId(name: string, correlationKey: string, messageId: string): BufferedMessage | undefined {
    const key = this.messageIds.get(`${messageIndexKey(name, correlationKey)}\u0000${messageId}`);
    return key === undefined ? undefined : this.messages.get(key);
  }

  subscriptionsFor(name: string, correlationKey: string): MessageSubscription[] {
    const keys = this.subscriptionsByMessage.get(messageIndexKey(name, correlationKey));
    return keys ? [...keys].map((k) => this.messageSubscriptions.get(k)!) : [];
  }

  signalSubscriptionsFor(name: string): SignalSubscription[] {
    const keys = this.signalsByName.get(name);
    return keys ? [...keys].map((k) => this.signalSubscriptions.get(k)!) : [];
  }

  putTimer(timer: Timer): void {
    this.timers.set(timer.key, timer);
    if (timer.value.elementInstanceKey !== '-1')
      addTo(this.byOwner, timer.value.elementInstanceKey, timer.key);
    this.dueDates.add({ due: timer.value.dueDate, key: timer.key, kind: 'TIMER' });
  }

  removeTimer(key: string): void {
    const timer = this.timers.get(key);
    if (!timer) return;
    this.timers.delete(key);
    removeFrom(this.byOwner, timer.value.elementInstanceKey, key);
  }

  putMessage(message: BufferedMessage): void {
    const { name, correlationKey, messageId, deadline } = message.value;
    this.messages.set(message.key, message);
    addTo(this.messagesByName, messageIndexKey(name, correlationKey), message.key);
    if (messageId)
      this.messageIds.set(`${messageIndexKey(name, correlationKey)}\u0000${messageId}`, message.key);
    this.dueDates.add({ due: deadline, key: message.key, kind: 'MESSAGE_EXPIRY' });
  }

  removeMessage(key: string): void {
    const message = this.messages.get(key);
    if (!message) return;
    const { name, correlationKey, messageId } = message.value;
    this.messages.delete(key);
    removeFrom(this.messagesByName, messageIndexKey(name, correlationKey), key);
    if (messageId) this.messageIds.delete(`${messageIndexKey(name, correlationKey)}\u0000${messageId}`);
  }

  putMessageSubscription(subscription: MessageSubscription): void {
    const { messageName, correlationKey, elementInstanceKey } = subscription.value;
    this.messageSubscriptions.set(subscription.key, subscription);
    addTo(this.subscriptionsByMessage, messageIndexKey(messageName, correlationKey), subscription.key);
    addTo(this.byOwner, elementInstanceKey, subscription.key);
  }

  removeMessageSubscription(key: string): void {
    const subscription = this.messageSubscriptions.get(key);
    if (!subscription) return;
    const { messageName, correlationKey, elementInstanceKey } = subscription.value;
    this.messageSubscriptions.delete(key);
    removeFrom(this.subscriptionsByMessage, messageIndexKey(messageName, correlationKey), key);
    removeFrom(this.byOwner, elementInstanceKey, key);
  }

  putSignalSubscription(subscription: SignalSubscription): void {
    this.signalSubscriptions.set(subscription.key, subscription);
    addTo(this.signalsByName, subscription.value.signalName, subscription.key);
    if (subscription.value.elementInstanceKey !== '-1')
      addTo(this.byOwner, subscription.value.elementInstanceKey, subscription.key);
  }

  removeSignalSubscription(key: string): void {
    const subscription = this.signalSubscriptions.get(key);
    if (!subscription) return;
    this.signalSubscriptions.delete(key);
    removeFrom(this.signalsByName, subscription.value.signalName, key);
    removeFrom(this.byOwner, subscription.value.elementInstanceKey, key);
  }
}
