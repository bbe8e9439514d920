/**
 * The one seam between Baton's connectors and a message broker. Three implementations pass the same contract
 * (`runBusContract` in ./contract.ts): an in-process broker (tests, the sample), NATS JetStream and RabbitMQ.
 *
 * Semantics every implementation keeps:
 * - **Durable groups**: `subscribe(subject, { group })` (or `declareGroup`) creates a durable consumer group. Every
 *   message published on a matching subject *after the group was first created* is delivered to exactly one
 *   subscriber of the group, at least once; messages published while no subscriber of the group is running are
 *   kept and delivered later. Different groups each get every message (fan-out).
 * - **Acknowledgement**: a delivery is settled by `ack()`; `nack(delayMs)` or a subscriber that goes away
 *   (closed, connection lost, ack deadline passed) makes the broker deliver it again, then with
 *   `redelivered: true`. Order is not guaranteed across redeliveries.
 * - **Confirmed publishing**: `publish` resolves only once the broker has taken the message durably (JetStream
 *   publish ack, RabbitMQ publisher confirm); it rejects with `BusUnavailableError` when the broker cannot be
 *   reached, at once while the bus knows it is disconnected.
 * - **Message ids**: `OutgoingMessage.id` reaches the subscriber as `Delivery.id`. Brokers that can use it to
 *   drop duplicates (JetStream's `Nats-Msg-Id`) do; consumers must still be idempotent by id.
 * - **Connection state**: `state` and `onStateChange` tell when the broker becomes unreachable and when it is
 *   back; the bus reconnects on its own and resumes its subscriptions.
 *
 * Subjects are dot-separated tokens (`orders.placed`); a subscription may use `*` for one token and a final
 * `>` for one or more tokens (`orders.*`, `payment.>`), as in NATS.
 */
export interface Bus {
  /** `memory`, `nats` or `amqp`: for logs and metrics. */
  readonly kind: string;
  readonly state: BusState;
  /** Called on every change of `state`, with the reason when the broker was lost. Returns an unsubscribe. */
  onStateChange(listener: (state: BusState, reason?: string) => void): () => void;
  /** Publishes durably; resolves once the broker confirmed it. */
  publish(subject: string, message: OutgoingMessage): Promise<void>;
  /**
   * Subscribes a handler to a durable group. Resolves once the group exists at the broker (or at once while
   * disconnected: the group is then created when the connection is back). The handler settles each delivery
   * with `ack` or `nack`; if it throws without settling, the delivery is nacked with a short delay.
   */
  subscribe(subject: string, options: SubscribeOptions, handler: DeliveryHandler): Promise<BusSubscription>;
  /**
   * Creates the durable group if it does not exist yet, without subscribing to it: every message published on a
   * matching subject from then on is kept for the group until one of its subscribers takes it (where the
   * connectors park dead letters, for whoever reads them later). Rejects with `BusUnavailableError` while the
   * broker cannot be reached, and with a `TypeError` when the group exists for another subject.
   */
  declareGroup(subject: string, options: SubscribeOptions): Promise<void>;
  /** Stops every subscription (unsettled deliveries go back to the broker) and closes the connection. */
  close(): Promise<void>;
}

export type BusState = 'connected' | 'disconnected';

export interface OutgoingMessage {
  /** A stable id; a retry of the same logical message must use the same id. */
  readonly id: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

export interface SubscribeOptions {
  /** The durable group: subscribers with the same group share the messages. */
  readonly group: string;
  /** Deliveries handed out and not yet settled, at most (default 64). */
  readonly maxInFlight?: number;
}

export interface Delivery {
  readonly id: string;
  readonly subject: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
  /** True when the broker delivered this message before (to this group) without an ack. */
  readonly redelivered: boolean;
  /** Settles the delivery: the broker forgets it for this group. */
  ack(): Promise<void>;
  /** Gives it back: the broker delivers it again after `delayMs` (default 0). */
  nack(delayMs?: number): Promise<void>;
}

export type DeliveryHandler = (delivery: Delivery) => void | Promise<void>;

export interface BusSubscription {
  readonly subject: string;
  readonly group: string;
  /** Stops deliveries to this handler; unsettled deliveries are redelivered (to another subscriber). */
  close(): Promise<void>;
}

/** The broker cannot be reached (or did not confirm in time): try again later. */
export class BusUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BusUnavailableError';
  }
}

/** Listeners of `onStateChange`, and the state they were last told. */
export class StateNotifier {
  private current: BusState = 'disconnected';
  private readonly listeners = new Set<(state: BusState, reason?: string) => void>();

  get state(): BusState {
    return this.current;
  }

  set(state: BusState, reason?: string): void {
    if (state === this.current) return;
    this.current = state;
    for (const listener of [...this.listeners]) listener(state, reason);
  }

  on(listener: (state: BusState, reason?: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Runs a handler on a delivery; a handler that throws without settling gets the delivery nacked. */
export async function runHandler(
  handler: DeliveryHandler,
  delivery: Delivery,
  settled: () => boolean,
): Promise<void> {
  try {
    await handler(delivery);
  } catch {
    if (!settled()) await delivery.nack(1_000).catch(() => undefined);
  }
}
