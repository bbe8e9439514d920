import {
  AckPolicy,
  connect,
  DeliverPolicy,
  headers as natsHeaders,
  nanos,
  RetentionPolicy,
  StorageType,
} from 'nats';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg, NatsConnection } from 'nats';
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
import { checkPattern, checkSubject, safeName } from './subjects.js';
import { Backoff, sleep } from '../util/backoff.js';

export interface NatsBusOptions {
  /** Server URLs (default `nats://127.0.0.1:4222`). */
  readonly servers?: string | readonly string[];
  /** The JetStream stream holding the bus's subjects (default `BATON`); created when missing. */
  readonly stream?: string;
  /** Put in front of every subject on the wire (default `baton.`): `orders.placed` is `baton.orders.placed`. */
  readonly subjectPrefix?: string;
  /** Subjects of the stream when it is created (default `[<prefix>>]`). */
  readonly streamSubjects?: readonly string[];
  /** JetStream drops a second publish with the same id within this window (default 10 minutes). */
  readonly duplicateWindowMs?: number;
  /** Unacknowledged deliveries are redelivered after this long (default 30 s). */
  readonly ackWaitMs?: number;
  /** A publish not confirmed within this long fails with `BusUnavailableError` (default 5 s). */
  readonly publishTimeoutMs?: number;
  readonly user?: string;
  readonly pass?: string;
  readonly token?: string;
  /** The client name the server shows (default `baton-connectors`). */
  readonly name?: string;
}

/**
 * The `Bus` on NATS JetStream: one stream holds the subjects; each group is a durable pull consumer filtered
 * on its subject; publishes carry `Nats-Msg-Id` so JetStream drops duplicates within its window. The bus
 * connects (and reconnects) in the background: it is usable before the server is reachable.
 */
export class NatsBus implements Bus {
  readonly kind = 'nats';
  private readonly notifier = new StateNotifier();
  private readonly stream: string;
  private readonly prefix: string;
  private nc: NatsConnection | undefined;
  private js: JetStreamClient | undefined;
  private jsm: JetStreamManager | undefined;
  private streamReady: Promise<void> | undefined;
  private readonly subscriptions = new Set<NatsSubscription>();
  private closed = false;
  private readonly connecting: Promise<void>;

  constructor(private readonly options: NatsBusOptions = {}) {
    this.stream = options.stream ?? 'BATON';
    this.prefix = options.subjectPrefix ?? 'baton.';
    this.connecting = this.connectLoop();
  }

  get state(): BusState {
    return this.notifier.state;
  }

  onStateChange(listener: (state: BusState, reason?: string) => void): () => void {
    return this.notifier.on(listener);
  }

  /** Resolves once the bus is connected (or closed). */
  async ready(): Promise<void> {
    while (!this.closed && this.state !== 'connected') await this.nextStateChange();
  }

  /** @internal */
  nextStateChange(): Promise<void> {
    return new Promise((resolve) => {
      const off = this.notifier.on(() => {
        off();
        resolve();
      });
      if (this.closed) resolve();
    });
  }

  private async connectLoop(): Promise<void> {
    const backoff = new Backoff(250, 5_000);
    while (!this.closed) {
      let nc: NatsConnection;
      try {
        nc = await connect({
          servers: this.options.servers ? [...[this.options.servers].flat()] : ['nats://127.0.0.1:4222'],
          name: this.options.name ?? 'baton-connectors',
          user: this.options.user,
          pass: this.options.pass,
          token: this.options.token,
          reconnect: true,
          maxReconnectAttempts: -1,
          reconnectTimeWait: 500,
          pingInterval: 10_000,
          maxPingOut: 2,
          timeout: 5_000,
        });
      } catch (error) {
        this.notifier.set('disconnected', (error as Error).message);
        await sleep(backoff.next());
        continue;
      }
      backoff.reset();
      if (this.closed) {
        await nc.close().catch(() => undefined);
        return;
      }
      this.nc = nc;
      this.js = nc.jetstream();
      this.jsm = await nc.jetstreamManager().catch(() => undefined);
      void this.watchStatus(nc);
      await this.onConnected();
      await nc.closed();
      // Closed for good (by us, or an error the client does not retry): start over unless we are closing.
      this.nc = undefined;
      this.notifier.set('disconnected', 'connection closed');
    }
  }

  private async watchStatus(nc: NatsConnection): Promise<void> {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') this.notifier.set('disconnected', `lost ${String(status.data)}`);
      if (status.type === 'reconnect') await this.onConnected();
    }
  }

  private async onConnected(): Promise<void> {
    this.streamReady = undefined;
    try {
      await this.ensureStream();
    } catch {
      // The stream is retried before the next publish or fetch.
    }
    if (this.nc && !this.nc.isClosed()) this.notifier.set('connected');
  }

  private ensureStream(): Promise<void> {
    this.streamReady ??= (async () => {
      const jsm = this.jsm ?? (this.jsm = await this.nc!.jetstreamManager());
      try {
        await jsm.streams.info(this.stream);
      } catch (error) {
        if (!/stream not found/i.test((error as Error).message)) throw error;
        await jsm.streams.add({
          name: this.stream,
          subjects: [...(this.options.streamSubjects ?? [`${this.prefix}>`])],
          storage: StorageType.File,
          retention: RetentionPolicy.Interest,
          duplicate_window: nanos(this.options.duplicateWindowMs ?? 600_000),
          max_age: nanos(7 * 24 * 3600_000),
        });
      }
    })().catch((error: unknown) => {
      this.streamReady = undefined;
      throw error;
    });
    return this.streamReady;
  }

  async publish(subject: string, message: OutgoingMessage): Promise<void> {
    checkSubject(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    const js = this.js;
    if (this.state !== 'connected' || !js) throw new BusUnavailableError('NATS is not connected');
    const h = natsHeaders();
    for (const [name, value] of Object.entries(message.headers ?? {})) h.set(name, value);
    try {
      await this.ensureStream();
      await js.publish(this.prefix + subject, message.body, {
        msgID: message.id,
        headers: h,
        timeout: this.options.publishTimeoutMs ?? 5_000,
      });
    } catch (error) {
      if (/no responders|stream not found/i.test((error as Error).message)) this.streamReady = undefined;
      throw new BusUnavailableError(`NATS did not confirm the publish: ${(error as Error).message}`);
    }
  }

  async subscribe(
    subject: string,
    options: SubscribeOptions,
    handler: DeliveryHandler,
  ): Promise<BusSubscription> {
    checkPattern(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    const subscription = new NatsSubscription(this, subject, options, handler);
    this.subscriptions.add(subscription);
    if (this.state === 'connected') {
      await subscription.ensureConsumer().catch((error: unknown) => {
        if (error instanceof TypeError) {
          this.subscriptions.delete(subscription);
          throw error;
        }
        // Not reachable after all: the subscription's loop creates the consumer once connected.
      });
    }
    subscription.start();
    return subscription;
  }

  async declareGroup(subject: string, options: SubscribeOptions): Promise<void> {
    checkPattern(subject);
    if (this.closed) throw new BusUnavailableError('the bus is closed');
    if (this.state !== 'connected') throw new BusUnavailableError('NATS is not connected');
    try {
      await this.ensureDurable(subject, options.group);
    } catch (error) {
      if (error instanceof TypeError) throw error;
      throw new BusUnavailableError(`NATS did not create the group: ${(error as Error).message}`);
    }
  }

  /** @internal The durable pull consumer of a group, filtered on its subject; created when missing. */
  async ensureDurable(subject: string, group: string): Promise<void> {
    const { jsm, stream, prefix } = await this.connection();
    const durable = safeName(group);
    try {
      const info = await jsm.consumers.info(stream, durable);
      const filter = info.config.filter_subject;
      if (filter && filter !== prefix + subject) {
        throw new TypeError(
          `group '${group}' subscribes to '${filter.slice(prefix.length)}'; it cannot subscribe to '${subject}' as well`,
        );
      }
    } catch (error) {
      if (!/consumer not found/i.test((error as Error).message)) throw error;
      await jsm.consumers.add(stream, {
        durable_name: durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: DeliverPolicy.New,
        filter_subject: prefix + subject,
        ack_wait: nanos(this.ackWaitMs),
        max_deliver: -1,
        max_ack_pending: 10_000,
      });
    }
  }

  /** @internal */
  forget(subscription: NatsSubscription): void {
    this.subscriptions.delete(subscription);
  }

  /** @internal The connection pieces a subscription needs, once connected. */
  async connection(): Promise<{
    js: JetStreamClient;
    jsm: JetStreamManager;
    stream: string;
    prefix: string;
  }> {
    await this.ensureStream();
    return { js: this.js!, jsm: this.jsm!, stream: this.stream, prefix: this.prefix };
  }

  get ackWaitMs(): number {
    return this.options.ackWaitMs ?? 30_000;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.nc?.drain().catch(() => undefined);
    await this.nc?.close().catch(() => undefined);
    this.notifier.set('disconnected', 'closed');
    await this.connecting;
  }
}

/** One subscriber of a durable group: a loop of pull requests, the deliveries it holds. */
class NatsSubscription implements BusSubscription {
  readonly group: string;
  private readonly durable: string;
  private readonly maxInFlight: number;
  private readonly unsettled = new Set<JsMsg>();
  private fetch: ConsumerMessages | undefined;
  private closed = false;
  private loop: Promise<void> | undefined;
  private slotFreed: (() => void) | undefined;
  private signalClosed!: () => void;
  private readonly closing = new Promise<void>((resolve) => (this.signalClosed = resolve));

  constructor(
    private readonly bus: NatsBus,
    readonly subject: string,
    options: SubscribeOptions,
    private readonly handler: DeliveryHandler,
  ) {
    this.group = options.group;
    this.durable = safeName(options.group);
    this.maxInFlight = options.maxInFlight ?? 64;
  }

  ensureConsumer(): Promise<void> {
    return this.bus.ensureDurable(this.subject, this.group);
  }

  start(): void {
    this.loop = this.run();
  }

  private async run(): Promise<void> {
    const backoff = new Backoff(200, 5_000);
    while (!this.closed && !this.bus.isClosed) {
      if (this.bus.state !== 'connected') {
        await Promise.race([this.bus.nextStateChange(), this.closing]);
        continue;
      }
      const capacity = this.maxInFlight - this.unsettled.size;
      if (capacity <= 0) {
        await Promise.race([new Promise<void>((resolve) => (this.slotFreed = resolve)), this.closing]);
        continue;
      }
      try {
        await this.ensureConsumer();
        const { js, stream, prefix } = await this.bus.connection();
        const consumer = await js.consumers.get(stream, this.durable);
        this.fetch = await consumer.fetch({ max_messages: capacity, expires: 2_000 });
        for await (const msg of this.fetch) {
          if (this.closed) {
            msg.nak();
            continue;
          }
          this.deliver(msg, prefix);
        }
        backoff.reset();
      } catch {
        if (this.closed) break;
        await Promise.race([sleep(backoff.next()), this.closing]);
      } finally {
        this.fetch = undefined;
      }
    }
  }

  private deliver(msg: JsMsg, prefix: string): void {
    this.unsettled.add(msg);
    let settled = false;
    const settle = () => {
      settled = true;
      this.unsettled.delete(msg);
      this.slotFreed?.();
      this.slotFreed = undefined;
    };
    const userHeaders: Record<string, string> = {};
    let id = '';
    for (const name of msg.headers?.keys() ?? []) {
      const value = msg.headers!.get(name);
      if (name.toLowerCase() === 'nats-msg-id') id = value;
      else if (!name.toLowerCase().startsWith('nats-')) userHeaders[name] = value;
    }
    const delivery: Delivery = {
      id,
      subject: msg.subject.slice(prefix.length),
      headers: userHeaders,
      body: msg.data,
      redelivered: msg.redelivered,
      ack: async () => {
        if (settled) return;
        settle();
        msg.ack();
      },
      nack: async (delayMs = 0) => {
        if (settled) return;
        settle();
        if (delayMs > 0) msg.nak(delayMs);
        else msg.nak();
      },
    };
    void runHandler(this.handler, delivery, () => settled);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.bus.forget(this);
    this.signalClosed();
    // Give back what this subscriber held, so that another one gets it now rather than after the ack wait.
    for (const msg of this.unsettled) msg.nak();
    this.unsettled.clear();
    // The server keeps the pending pull request until it expires: wait for that (at most 2 s) and give back
    // what still arrives, instead of leaving it with nobody until its ack wait is over.
    await this.loop?.catch(() => undefined);
  }
}

/** A NATS JetStream bus; it connects in the background (see `NatsBus.ready()`). */
export function createNatsBus(options: NatsBusOptions = {}): NatsBus {
  return new NatsBus(options);
}
