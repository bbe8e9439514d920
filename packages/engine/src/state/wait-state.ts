import type { TimerRecordValue } from '../records/timer.js';
import type { MessageRecordValue, MessageSubscriptionRecordValue } from '../records/message.js';
import type { SignalSubscriptionRecordValue } from '../records/signal.js';
import type { DueDateIndex } from './due-date-index.js';
import { KeyMultimap } from './key-multimap.js';

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

/** What partitions wait for: timers, buffered messages, message and signal subscriptions. */
export class WaitState {
  readonly timers = new Map<string, Timer>();
  readonly messages = new Map<string, BufferedMessage>();
  readonly messageSubscriptions = new Map<string, MessageSubscription>();
  readonly signalSubscriptions = new Map<string, SignalSubscription>();
  private readonly messagesByName = new KeyMultimap();
  private readonly messageIds = new Map<string, string>();
  private readonly subscriptionsByMessage = new KeyMultimap();
  private readonly signalsByName = new KeyMultimap();
  /** Subscriptions (timers, message and signal subscriptions) owned by each element instance. */
  private readonly byOwner = new KeyMultimap();

  constructor(private readonly dueDates: DueDateIndex) {}

  ownedBy(elementInstanceKey: string): Iterable<string> {
    return this.byOwner.get(elementInstanceKey);
  }

  bufferedMessages(name: string, correlationKey: string): BufferedMessage[] {
    return this.messagesByName
      .get(messageIndexKey(name, correlationKey))
      .map((k) => this.messages.get(k)!)
      .filter(Boolean);
  }

  messageWithId(name: string, correlationKey: string, messageId: string): BufferedMessage | undefined {
    const key = this.messageIds.get(`${messageIndexKey(name, correlationKey)}\u0000${messageId}`);
    return key === undefined ? undefined : this.messages.get(key);
  }

  subscriptionsFor(name: string, correlationKey: string): MessageSubscription[] {
    return this.subscriptionsByMessage
      .get(messageIndexKey(name, correlationKey))
      .map((k) => this.messageSubscriptions.get(k)!);
  }

  signalSubscriptionsFor(name: string): SignalSubscription[] {
    return this.signalsByName.get(name).map((k) => this.signalSubscriptions.get(k)!);
  }

  putTimer(timer: Timer): void {
    this.timers.set(timer.key, timer);
    if (timer.value.elementInstanceKey !== '-1') this.byOwner.add(timer.value.elementInstanceKey, timer.key);
    this.dueDates.add({ due: timer.value.dueDate, key: timer.key, kind: 'TIMER' });
  }

  removeTimer(key: string): void {
    const timer = this.timers.get(key);
    if (!timer) return;
    this.timers.delete(key);
    this.byOwner.remove(timer.value.elementInstanceKey, key);
  }

  putMessage(message: BufferedMessage): void {
    const { name, correlationKey, messageId, deadline } = message.value;
    this.messages.set(message.key, message);
    this.messagesByName.add(messageIndexKey(name, correlationKey), message.key);
    if (messageId)
      this.messageIds.set(`${messageIndexKey(name, correlationKey)}\u0000${messageId}`, message.key);
    this.dueDates.add({ due: deadline, key: message.key, kind: 'MESSAGE_EXPIRY' });
  }

  removeMessage(key: string): void {
    const message = this.messages.get(key);
    if (!message) return;
    const { name, correlationKey, messageId } = message.value;
    this.messages.delete(key);
    this.messagesByName.remove(messageIndexKey(name, correlationKey), key);
    if (messageId) this.messageIds.delete(`${messageIndexKey(name, correlationKey)}\u0000${messageId}`);
  }

  putMessageSubscription(subscription: MessageSubscription): void {
    const { messageName, correlationKey, elementInstanceKey } = subscription.value;
    this.messageSubscriptions.set(subscription.key, subscription);
    this.subscriptionsByMessage.add(messageIndexKey(messageName, correlationKey), subscription.key);
    this.byOwner.add(elementInstanceKey, subscription.key);
  }

  removeMessageSubscription(key: string): void {
    const subscription = this.messageSubscriptions.get(key);
    if (!subscription) return;
    const { messageName, correlationKey, elementInstanceKey } = subscription.value;
    this.messageSubscriptions.delete(key);
    this.subscriptionsByMessage.remove(messageIndexKey(messageName, correlationKey), key);
    this.byOwner.remove(elementInstanceKey, key);
  }

  putSignalSubscription(subscription: SignalSubscription): void {
    this.signalSubscriptions.set(subscription.key, subscription);
    this.signalsByName.add(subscription.value.signalName, subscription.key);
    if (subscription.value.elementInstanceKey !== '-1')
      this.byOwner.add(subscription.value.elementInstanceKey, subscription.key);
  }

  removeSignalSubscription(key: string): void {
    const subscription = this.signalSubscriptions.get(key);
    if (!subscription) return;
    this.signalSubscriptions.delete(key);
    this.signalsByName.remove(subscription.value.signalName, key);
    this.byOwner.remove(subscription.value.elementInstanceKey, key);
  }
}
