import type { TimerRecordValue } from '../records/timer.js';
import type { MessageRecordValue, MessageSubscriptionRecordValue } from '../records/message.js';
import type { SignalSubscriptionRecordValue } from '../records/signal.js';
import type { DueDateIndex } from './due-date-index.js';
import type { ElementInstance } from './element-instance.js';
import { KeyMultimap, bagAdd, bagRemove, bagValues } from './key-multimap.js';
import type { Bag } from './key-multimap.js';
import { MessageSubscription, SignalSubscription, Timer } from './wait-entries.js';
import type { Wait } from './wait-entries.js';

export { MessageSubscription, SignalSubscription, Timer } from './wait-entries.js';
export type { Wait } from './wait-entries.js';

export interface BufferedMessage {
  readonly key: string;
  readonly value: MessageRecordValue;
  /** Process ids the message was already correlated to: a buffered message reaches each at most once. */
  readonly correlatedProcesses: string[];
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
  /** Open message subscriptions by message name, then correlation key: no index string per subscription. */
  private readonly subscriptionsByMessage = new Map<string, Map<string, Bag<MessageSubscription>>>();
  private readonly signalsByName = new KeyMultimap<SignalSubscription>();
  /**
   * Each waiting element instance holds its first wait (`ElementInstance.waits`), the others follow through
   * `nextOwned`. Waits whose owner is not in the state (none are expected) are listed here instead.
   */
  private readonly unowned = new Map<string, Wait>();

  constructor(
    private readonly dueDates: DueDateIndex,
    private readonly elementInstance: (key: string) => ElementInstance | undefined,
  ) {}

  waitsOf(elementInstanceKey: string): Wait[] {
    const waits: Wait[] = [];
    for (let wait = this.firstOwnedBy(elementInstanceKey); wait; wait = wait.nextOwned) waits.push(wait);
    return waits;
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
    return bagValues(this.subscriptionsByMessage.get(name)?.get(correlationKey));
  }

  signalSubscriptionsFor(name: string): SignalSubscription[] {
    return this.signalsByName.get(name);
  }

  putTimer(key: string, value: TimerRecordValue): void {
    const timer = new Timer(key, value);
    this.timers.set(key, timer);
    this.own(timer);
    this.dueDates.add({ due: timer.dueDate, key, kind: 'TIMER' });
  }

  removeTimer(key: string): void {
    const timer = this.timers.get(key);
    if (!timer) return;
    this.timers.delete(key);
    this.disown(timer);
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

  putMessageSubscription(key: string, value: MessageSubscriptionRecordValue): void {
    const subscription = new MessageSubscription(key, value);
    this.messageSubscriptions.set(key, subscription);
    let byKey = this.subscriptionsByMessage.get(subscription.messageName);
    if (!byKey) this.subscriptionsByMessage.set(subscription.messageName, (byKey = new Map()));
    const bag = byKey.get(subscription.correlationKey);
    const next = bagAdd(bag, subscription);
    if (next !== bag) byKey.set(subscription.correlationKey, next);
    this.own(subscription);
  }

  removeMessageSubscription(key: string): void {
    const subscription = this.messageSubscriptions.get(key);
    if (!subscription) return;
    this.messageSubscriptions.delete(key);
    const byKey = this.subscriptionsByMessage.get(subscription.messageName);
    const bag = byKey?.get(subscription.correlationKey);
    const next = bagRemove(bag, subscription);
    if (next === undefined) byKey?.delete(subscription.correlationKey);
    else if (next !== bag) byKey!.set(subscription.correlationKey, next);
    if (byKey?.size === 0) this.subscriptionsByMessage.delete(subscription.messageName);
    this.disown(subscription);
  }

  putSignalSubscription(key: string, value: SignalSubscriptionRecordValue): void {
    const subscription = new SignalSubscription(key, value);
    this.signalSubscriptions.set(key, subscription);
    this.signalsByName.add(subscription.signalName, subscription);
    this.own(subscription);
  }

  removeSignalSubscription(key: string): void {
    const subscription = this.signalSubscriptions.get(key);
    if (!subscription) return;
    this.signalSubscriptions.delete(key);
    this.signalsByName.remove(subscription.signalName, subscription);
    this.disown(subscription);
  }

  /** Appends a wait to its owner's list (start events, owner "-1", have none). */
  private own(wait: Wait): void {
    const owner = wait.elementInstanceKey;
    if (owner === '-1') return;
    let last = this.firstOwnedBy(owner);
    if (!last) return this.setFirstOwned(owner, wait);
    while (last.nextOwned) last = last.nextOwned;
    last.nextOwned = wait;
  }

  private disown(wait: Wait): void {
    const owner = wait.elementInstanceKey;
    const first = this.firstOwnedBy(owner);
    if (first === wait) this.setFirstOwned(owner, wait.nextOwned);
    else {
      let before = first;
      while (before && before.nextOwned !== wait) before = before.nextOwned;
      if (before) before.nextOwned = wait.nextOwned;
    }
    wait.nextOwned = undefined;
  }

  private firstOwnedBy(owner: string): Wait | undefined {
    const instance = this.elementInstance(owner);
    return instance ? instance.waits : this.unowned.get(owner);
  }

  private setFirstOwned(owner: string, wait: Wait | undefined): void {
    const instance = this.elementInstance(owner);
    if (instance) instance.waits = wait;
    else if (wait) this.unowned.set(owner, wait);
    else this.unowned.delete(owner);
  }
}
