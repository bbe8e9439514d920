import type { Engine } from 'baton';
import { BatonError } from 'baton';
import type { Bus, BusSubscription, Delivery } from './bus/bus.js';
import type { Envelope } from './envelope.js';
import { decodeEnvelope } from './envelope.js';
import type { FieldResult } from './feel-fields.js';
import { evaluateCondition, evaluateField, evaluateString } from './feel-fields.js';
import type { ConnectorLog } from './log.js';
import type { ConnectorMetrics } from './metrics.js';

/**
 * An inbound subscription: bus messages on `subject` (durable `group`) become a message publish (correlation to
 * waiting instances, or a message start event) or an instance start. Declared in the connectors configuration
 * or in a model (docs/connectors.md); the FEEL fields are evaluated against the envelope plus `subject`.
 */
export interface InboundBinding {
  /** For logs and metrics. */
  readonly name: string;
  /** Where it was declared: `config inbound[0]`, `order.bpmn: process 'order', element 'paid'`. */
  readonly origin: string;
  readonly subject: string;
  readonly group: string;
  readonly maxInFlight: number;
  readonly activationCondition?: string;
  readonly action: CorrelateAction | CreateInstanceAction;
}

export interface CorrelateAction {
  readonly kind: 'correlate';
  readonly messageName: string;
  readonly correlationKey: string;
  readonly messageId: string;
  /** FEEL giving the variables (an object); `null` counts as none. */
  readonly variables: string;
  readonly timeToLive: number;
}

export interface CreateInstanceAction {
  readonly kind: 'createInstance';
  readonly bpmnProcessId: string;
  readonly variables: string;
}

/** Message ids of instance starts remembered per subscription, against redeliveries (see `createInstance`). */
const REMEMBERED_STARTS = 10_000;

/**
 * The inbound side. For each delivery: read the envelope, check the activation condition, map it to an engine
 * call, and acknowledge only once the engine committed it (its promise resolved). A duplicate the engine
 * refuses (`ALREADY_EXISTS` for a message id it still has) is acknowledged as done. A message that can never
 * be processed (not an envelope, a mapping that fails) is logged, counted and acknowledged; one the engine
 * cannot take now (back-pressure, closing) is given back to the broker with a delay.
 */
export class InboundConnector {
  private readonly active = new Map<string, { binding: InboundBinding; subscription: BusSubscription }>();
  private readonly started = new Map<string, Set<string>>();

  constructor(
    private readonly engine: Engine,
    private readonly bus: Bus,
    private readonly log: ConnectorLog,
    private readonly metrics: ConnectorMetrics,
  ) {}

  /** The bindings subscribed now, by group. */
  get bindings(): InboundBinding[] {
    return [...this.active.values()].map((a) => a.binding);
  }

  /** Subscribes a binding (replacing one of the same group whose definition changed). */
  async add(binding: InboundBinding): Promise<void> {
    const existing = this.active.get(binding.group);
    if (existing && JSON.stringify(existing.binding) === JSON.stringify(binding)) return;
    if (existing) await this.remove(binding.group);
    const subscription = await this.bus.subscribe(
      binding.subject,
      { group: binding.group, maxInFlight: binding.maxInFlight },
      (delivery) => this.handle(binding, delivery),
    );
    this.active.set(binding.group, { binding, subscription });
    this.log.info(
      { subject: binding.subject, group: binding.group, origin: binding.origin, action: describe(binding) },
      'inbound: subscribed',
    );
  }

  async remove(group: string): Promise<void> {
    const entry = this.active.get(group);
    if (!entry) return;
    this.active.delete(group);
    await entry.subscription.close();
  }

  private async handle(binding: InboundBinding, delivery: Delivery): Promise<void> {
    const labels = { subscription: binding.name };
    this.metrics.inboundReceived.inc(labels);
    const decoded = decodeEnvelope(delivery.body, delivery.id);
    if (!decoded.ok) {
      await this.reject(binding, delivery, decoded.message);
      return;
    }
    const envelope = decoded.envelope;
    const context: Record<string, unknown> = { ...envelope, subject: delivery.subject };
    if (binding.activationCondition) {
      const active = evaluateCondition('activationCondition', binding.activationCondition, context);
      if (!active.ok) {
        await this.reject(binding, delivery, active.message, envelope);
        return;
      }
      if (!active.value) {
        this.metrics.inboundSkipped.inc(labels);
        await delivery.ack();
        return;
      }
    }
    const call = this.engineCall(binding, envelope, context);
    if (!call.ok) {
      await this.reject(binding, delivery, call.message, envelope);
      return;
    }
    try {
      await call.value();
    } catch (error) {
      if (error instanceof BatonError && error.code === 'ALREADY_EXISTS') {
        this.metrics.inboundDuplicates.inc(labels);
        await delivery.ack();
        return;
      }
      if (error instanceof BatonError && error.code === 'INVALID_ARGUMENT') {
        await this.reject(binding, delivery, error.message, envelope);
        return;
      }
      // Back-pressure, a closing engine, a process not deployed yet: the broker keeps it and tries again.
      this.metrics.inboundRetried.inc(labels);
      const delay = error instanceof BatonError && error.code === 'NOT_FOUND' ? 5_000 : 1_000;
      this.log.warn(
        { subscription: binding.name, id: envelope.id, error: (error as Error).message, retryInMs: delay },
        'inbound: the engine did not take the message now; it is given back to the broker',
      );
      await delivery.nack(delay);
      return;
    }
    this.metrics.inboundCommitted.inc(labels);
    await delivery.ack();
  }

  /** Evaluates the mapping; the returned call resolves once the engine committed its effect. */
  private engineCall(
    binding: InboundBinding,
    envelope: Envelope,
    context: Record<string, unknown>,
  ): FieldResult<() => Promise<unknown>> {
    const variables = evaluateField('variables', binding.action.variables, context);
    if (!variables.ok) return variables;
    const vars = variables.value ?? {};
    if (typeof vars !== 'object' || Array.isArray(vars)) {
      return {
        ok: false,
        message: `variables: expected '${binding.action.variables}' to give an object, but it gave ${JSON.stringify(vars)}`,
      };
    }
    const action = binding.action;
    if (action.kind === 'createInstance') {
      const seen = this.started.get(binding.group) ?? new Set<string>();
      this.started.set(binding.group, seen);
      return {
        ok: true,
        value: async () => {
          // The engine has no id for instance starts: redeliveries this process has seen are dropped here.
          if (seen.has(envelope.id))
            throw new BatonError('ALREADY_EXISTS', `instance start ${envelope.id} seen`);
          await this.engine.createInstance(action.bpmnProcessId, vars as Record<string, unknown>);
          seen.add(envelope.id);
          if (seen.size > REMEMBERED_STARTS) seen.delete(seen.values().next().value!);
        },
      };
    }
    const name = evaluateString('messageName', action.messageName, context);
    if (!name.ok) return name;
    const key = evaluateString('correlationKey', action.correlationKey, context, { allowEmpty: true });
    if (!key.ok) return key;
    const id = evaluateString('messageId', action.messageId, context, { allowEmpty: true });
    if (!id.ok) return id;
    return {
      ok: true,
      value: () =>
        this.engine.publishMessage(name.value, key.value, vars as Record<string, unknown>, {
          messageId: id.value,
          timeToLive: action.timeToLive,
        }),
    };
  }

  private async reject(binding: InboundBinding, delivery: Delivery, reason: string, envelope?: Envelope) {
    this.metrics.inboundRejected.inc({ subscription: binding.name });
    this.log.warn(
      {
        subscription: binding.name,
        subject: delivery.subject,
        id: envelope?.id ?? delivery.id,
        type: envelope?.type,
        reason,
      },
      'inbound: message cannot be processed; acknowledged and dropped',
    );
    await delivery.ack();
  }

  async stop(): Promise<void> {
    await Promise.all([...this.active.keys()].map((group) => this.remove(group)));
  }
}

function describe(binding: InboundBinding): string {
  const a = binding.action;
  return a.kind === 'correlate'
    ? `publish message ${a.messageName} (key ${a.correlationKey || 'none'})`
    : `start process ${a.bpmnProcessId}`;
}
