import type {
  Bus,
  BusState,
  BusSubscription,
  Delivery,
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
} from './bus.js';
import { BusUnavailableError, runHandler, StateNotifier } from './bus.js';
import { checkPattern, checkSubject, subjectMatches } from './subjects.js';

export interface MemoryBrokerOptions {
  /** Milliseconds a delivery may stay unsettled before it is delivered again (default 30,000). */
  readonly ackWaitMs?: number;
}

interface StoredMessage {
  readonly id: string;
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  delivered: boolean;
}

interface Consumer {
  readonly client: MemoryBus;
  readonly handler: DeliveryHandler;
  readonly maxInFlight: number;
  inFlight: number;
  closed: boolean;
}

interface InFlight {
  readonly message: StoredMessage;
  readonly consumer: Consumer;
  readonly timer: NodeJS.Timeout;
}

/** A durable group: its pattern, the messages waiting for it, the ones handed out, and its subscribers. */
class Group {
  readonly ready: StoredMessage[] = [];
  readonly inFlight = new Map<number, InFlight>();
  readonly consumers: Consumer[] = [];
  private next = 0;

  constructor(
    readonly pattern: string,
    private readonly broker: MemoryBroker,
  ) {}

  pump(): void {
    if (!this.broker.available) return;
    while (this.ready.length > 0) {
      const consumer = this.pickConsumer();
      if (!consumer) return;
      const message = this.ready.shift()!;
      this.hand(message, consumer);
    }
  }

  private pickConsumer(): Consumer | undefined {
    const n = this.consumers.length;
    for (let i = 0; i < n; i++) {
      const consumer = this.consumers[(this.next + i) % n]!;
      if (!consumer.closed && consumer.inFlight < consumer.maxInFlight) {
        this.next = (this.next + i + 1) % n;
        return consumer;
      }
    }
    return undefined;
  }

  private hand(message: StoredMessage, consumer: Consumer): void {
    const token = this.broker.nextToken();
    const redelivered = message.delivered;
    message.delivered = true;
    consumer.inFlight++;
    const timer = setTimeout(() => this.giveBack(token, 0), this.broker.ackWaitMs);
    timer.unref();
    this.inFlight.set(token, { message, consumer, timer });
    let settled = false;
    const delivery: Delivery = {
      id: message.id,
      subject: message.subject,
      headers: message.headers,
      body: message.body,
      redelivered,
      ack: async () => {
        settled = true;
        const entry = this.take(token);
        if (entry) this.pump();
      },
      nack: async (delayMs = 0) => {
        settled = true;
        this.giveBack(token, delayMs);
      },
    };
    setImmediate(() => void runHandler(consumer.handler, delivery, () => settled));
  }

  /** Removes a delivery from the in-flight set; undefined when it was settled or given back already. */
  private take(token: number): InFlight | undefined {
    const entry = this.inFlight.get(token);
    if (!entry) return undefined;
    this.inFlight.delete(token);
    clearTimeout(entry.timer);
    entry.consumer.inFlight--;
    return entry;
  }

  giveBack(token: number, delayMs: number): void {
    const entry = this.take(token);
    if (!entry) return;
    if (delayMs <= 0) {
      this.ready.unshift(entry.message);
      this.pump();
      return;
    }
    const timer = setTimeout(() => {
      this.ready.unshift(entry.message);
      this.pump();
    }, delayMs);
    timer.unref();
    this.pump();
  }

  /** Gives back every delivery held by the consumers matching `which` (closed, or all when the broker went down). */
  giveBackAll(which: (consumer: Consumer) => boolean): void {
    const tokens = [...this.inFlight].filter(([, e]) => which(e.consumer)).map(([token]) => token);
    for (const token of tokens.reverse()) {
      const entry = this.take(token)!;
      this.ready.unshift(entry.message);
    }
  }
}

/**
 * An in-process broker with the semantics of the `Bus` contract: durable groups, at-least-once delivery,
 * redelivery on nack or ack timeout. Each `connect()` is a client (a `Bus`); `setAvailable(false)` simulates
 * the broker going down for every client. Nothing survives the process: for tests and the sample.
 */
export class MemoryBroker {
  readonly ackWaitMs: number;
  private up = true;
  private tokens = 0;
  private readonly groups = new Map<string, Group>();
  private readonly clients = new Set<MemoryBus>();

  constructor(options: MemoryBrokerOptions = {}) {
    this.ackWaitMs = options.ackWaitMs ?? 30_000;
  }

  get available(): boolean {
    return this.up;
  }

  /** A new client connection (a `Bus`). */
  connect(): MemoryBus {
    const client = new MemoryBus(this);
    this.clients.add(client);
    if (this.up) client.notifier.set('connected');
    return client;
  }

  /** Takes the broker down (every client disconnects, unsettled deliveries go back) or brings it back. */
  setAvailable(available: boolean): void {
    if (available === this.up) return;
    this.up = available;
    if (!available) for (const group of this.groups.values()) group.giveBackAll(() => true);
    for (const client of this.clients) {
      client.notifier.set(available ? 'connected' : 'disconnected', available ? undefined : 'broker down');
    }
    if (available) for (const group of this.groups.values()) group.pump();
  }

  /** Messages of a group waiting or in flight (for tests and the sample's status page). */
  backlog(group: string): number {
    const g = this.groups.get(group);
    return g ? g.ready.length + g.inFlight.size : 0;
  }

  /** @internal */
  nextToken(): number {
    return ++this.tokens;
  }

  /** @internal */
  publish(subject: string, message: OutgoingMessage): void {
    for (const group of this.groups.values()) {
      if (!subjectMatches(group.pattern, subject)) continue;
      group.ready.push({
        id: message.id,
        subject,
        headers: { ...message.headers },
        body: Uint8Array.from(message.body),
        delivered: false,
      });
      group.pump();
    }
  }

  /** @internal The group, created when missing. */
  declareGroup(pattern: string, name: string): Group {
    let group = this.groups.get(name);
    if (!group) {
      group = new Group(pattern, this);
      this.groups.set(name, group);
    } else if (group.pattern !== pattern) {
      throw new TypeError(
        `group '${name}' subscribes to '${group.pattern}'; it cannot subscribe to '${pattern}' as well`,
      );
    }
    return group;
  }

  /** @internal */
  addConsumer(pattern: string, name: string, consumer: Consumer): Group {
    const group = this.declareGroup(pattern, name);
    group.consumers.push(consumer);
    group.pump();
    return group;
  }

  /** @internal */
  removeConsumer(group: Group, consumer: Consumer): void {
    consumer.closed = true;
    group.consumers.splice(group.consumers.indexOf(consumer), 1);
    group.giveBackAll((c) => c === consumer);
    group.pump();
  }

  /** @internal */
  removeClient(client: MemoryBus): void {
    this.clients.delete(client);
  }
}

/** A client of a `MemoryBroker`. */
export class MemoryBus implements Bus {
  readonly kind = 'memory';
  /** @internal */
  readonly notifier = new StateNotifier();
  private readonly subscriptions = new Set<BusSubscription>();
  private closed = false;

  constructor(private readonly broker: MemoryBroker) {}

  get state(): BusState {
    return this.notifier.state;
  }

  onStateChange(listener: (state: BusState, reason?: string) => void): () => void {
    return this.notifier.on(listener);
  }

  async publish(subject: string, message: OutgoingMessage): Promise<void> {
    checkSubject(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    if (!this.broker.available) throw new BusUnavailableError('the in-process broker is down');
    this.broker.publish(subject, message);
  }

  async subscribe(
    subject: string,
    options: SubscribeOptions,
    handler: DeliveryHandler,
  ): Promise<BusSubscription> {
    checkPattern(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    const consumer: Consumer = {
      client: this,
      handler,
      maxInFlight: options.maxInFlight ?? 64,
      inFlight: 0,
      closed: false,
    };
    const group = this.broker.addConsumer(subject, options.group, consumer);
    const subscription: BusSubscription = {
      subject,
      group: options.group,
      close: async () => {
        if (consumer.closed) return;
        this.subscriptions.delete(subscription);
        this.broker.removeConsumer(group, consumer);
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async declareGroup(subject: string, options: SubscribeOptions): Promise<void> {
    checkPattern(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    if (!this.broker.available) throw new BusUnavailableError('the in-process broker is down');
    this.broker.declareGroup(subject, options.group);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    this.notifier.set('disconnected', 'closed');
    this.broker.removeClient(this);
  }
}

/** A broker with one client, for the simple case. */
export function createMemoryBus(options: MemoryBrokerOptions = {}): MemoryBus {
  return new MemoryBroker(options).connect();
}
