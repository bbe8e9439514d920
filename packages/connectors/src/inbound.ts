import type { Engine } from '@baton-engine/baton';
import { BatonError } from '@baton-engine/baton';
import type { Bus, BusSubscription, Delivery } from './bus/bus.js';
import { subjectMatches } from './bus/subjects.js';
import type { DeadLetterReason, Unprocessable } from './dead-letter.js';
import { deadLetterMessage } from './dead-letter.js';
import { handleRefusal } from './engine-refusals.js';
import type { Envelope } from './envelope.js';
import { decodeEnvelope } from './envelope.js';
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
/** Messages whose refusals are being counted towards `maxRefusals`, at most. */
const REMEMBERED_REFUSALS = 10_000;
/** How long a message waits at the broker when it could not be parked (the broker is likely down). */
const DEAD_LETTER_RETRY_MS = 5_000;

export interface InboundOptions {
  /** The connectors' `source`, named in the dead letters they park. */
  readonly source: string;
  /** Where messages that can never be processed are parked; without it they are dropped (logged, counted). */
  readonly deadLetter?: { readonly subject: string; readonly group: string };
  /** Refusals that may pass (`NOT_FOUND`, `PROCESSING_ERROR`) a message gets before it is parked. */
  readonly maxRefusals: number;
}

/** An engine call for a message, or what is wrong with the message. */
type EngineCall = { ok: true; value: () => Promise<unknown> } | { ok: false; problem: Unprocessable };

/**
 * The inbound side. For each delivery: read the envelope, check the activation condition, map it to an engine
 * call, and acknowledge only once the engine committed it (its promise resolved). A duplicate the engine
 * refuses (`ALREADY_EXISTS` for a message id it still has) is acknowledged as done. A message that can never
 * be processed (not JSON, not an envelope, a mapping that fails on it, a permanent refusal: `engine-refusals.ts`)
 * is parked on the dead-letter subject with the reason and acknowledged once the broker confirmed the dead
 * letter; one the engine cannot take now (back-pressure, closing) is given back to the broker with a delay.
 */
export class InboundConnector {
  private readonly active = new Map<string, { binding: InboundBinding; subscription: BusSubscription }>();
  private readonly started = new Map<string, Set<string>>();
  private readonly refusals = new Map<string, number>();
  private deadLetterGroup: Promise<void> | undefined;
  private readonly offState: () => void;

  constructor(
    private readonly engine: Engine,
    private readonly bus: Bus,
    private readonly log: ConnectorLog,
    private readonly metrics: ConnectorMetrics,
    private readonly options: InboundOptions,
  ) {
    // The group is declared again on every connection: the broker may have lost it (a new stream, a reset).
    this.offState = bus.onStateChange((state) => {
      if (state === 'disconnected') this.deadLetterGroup = undefined;
    });
  }

  /** The bindings subscribed now, by group. */
  get bindings(): InboundBinding[] {
    return [...this.active.values()].map((a) => a.binding);
  }

  /** True when a subscription on `subject` would receive the dead letters (and must not be made). */
  takesDeadLetters(subject: string): boolean {
    const deadLetter = this.options.deadLetter;
    return deadLetter !== undefined && subjectMatches(subject, deadLetter.subject);
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
      await this.unprocessable(binding, delivery, decoded);
      return;
    }
    const envelope = decoded.envelope;
    const context: Record<string, unknown> = { ...envelope, subject: delivery.subject };
    if (binding.activationCondition) {
      const active = evaluateCondition('activationCondition', binding.activationCondition, context);
      if (!active.ok) {
        const problem = { reason: 'activation-condition-failed' as const, message: active.message };
        await this.unprocessable(binding, delivery, problem, envelope);
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
      await this.unprocessable(binding, delivery, call.problem, envelope);
      return;
    }
    const refusalKey = `${binding.group}\n${envelope.id}`;
    try {
      await call.value();
    } catch (error) {
      const message = (error as Error).message;
      const handling = handleRefusal(error);
      if (handling.action === 'duplicate') {
        this.refusals.delete(refusalKey);
        this.metrics.inboundDuplicates.inc(labels);
        await delivery.ack();
        return;
      }
      if (handling.action === 'dead-letter') {
        this.refusals.delete(refusalKey);
        await this.unprocessable(binding, delivery, { reason: handling.reason, message }, envelope);
        return;
      }
      if (handling.parkAfter) {
        const refused = this.countRefusal(refusalKey);
        if (refused >= this.options.maxRefusals) {
          this.refusals.delete(refusalKey);
          const problem = { reason: handling.parkAfter, message: `${message} (refused ${refused} times)` };
          await this.unprocessable(binding, delivery, problem, envelope);
          return;
        }
      }
      // Back-pressure, a closing engine, a process not deployed yet: the broker keeps it and tries again.
      this.metrics.inboundRetried.inc(labels);
      this.log.warn(
        { subscription: binding.name, id: envelope.id, error: message, retryInMs: handling.delayMs },
        'inbound: the engine did not take the message now; it is given back to the broker',
      );
      await delivery.nack(handling.delayMs);
      return;
    }
    this.refusals.delete(refusalKey);
    this.metrics.inboundCommitted.inc(labels);
    await delivery.ack();
  }

  private countRefusal(key: string): number {
    const count = (this.refusals.get(key) ?? 0) + 1;
    this.refusals.delete(key);
    this.refusals.set(key, count);
    if (this.refusals.size > REMEMBERED_REFUSALS) this.refusals.delete(this.refusals.keys().next().value!);
    return count;
  }

  /** Evaluates the mapping; the returned call resolves once the engine committed its effect. */
  private engineCall(
    binding: InboundBinding,
    envelope: Envelope,
    context: Record<string, unknown>,
  ): EngineCall {
    const failed = (reason: DeadLetterReason, result: { message: string }): EngineCall => ({
      ok: false,
      problem: { reason, message: result.message },
    });
    const variables = evaluateField('variables', binding.action.variables, context);
    if (!variables.ok) return failed('invalid-variables', variables);
    const vars = variables.value ?? {};
    if (typeof vars !== 'object' || Array.isArray(vars)) {
      return failed('invalid-variables', {
        message: `variables: expected '${binding.action.variables}' to give an object, but it gave ${JSON.stringify(vars)}`,
      });
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
    if (!name.ok) return failed('unknown-message', name);
    if (name.value.trim() === '') {
      return failed('unknown-message', {
        message: `messageName: expected '${action.messageName}' to give a name, but it gave ${JSON.stringify(name.value)}`,
      });
    }
    const key = evaluateString('correlationKey', action.correlationKey, context, { allowEmpty: true });
    if (!key.ok) return failed('missing-correlation-key', key);
    const id = evaluateString('messageId', action.messageId, context, { allowEmpty: true });
    if (!id.ok) return failed('invalid-message-id', id);
    return {
      ok: true,
      value: () =>
        this.engine.publishMessage(name.value, key.value, vars as Record<string, unknown>, {
          messageId: id.value,
          timeToLive: action.timeToLive,
        }),
    };
  }

  /**
   * Parks a message that can never be processed on the dead-letter subject and acknowledges it once the broker
   * confirmed the dead letter; gives it back when the broker did not. Without dead letters (or for a message
   * that came on the dead-letter subject itself) it is dropped: logged, counted and acknowledged.
   */
  private async unprocessable(
    binding: InboundBinding,
    delivery: Delivery,
    problem: Unprocessable,
    envelope?: Envelope,
  ): Promise<void> {
    const fields = {
      subscription: binding.name,
      subject: delivery.subject,
      id: envelope?.id ?? delivery.id,
      type: envelope?.type,
      reason: problem.reason,
      problem: problem.message,
    };
    const labels = { subscription: binding.name, reason: problem.reason };
    const deadLetter = this.options.deadLetter;
    if (!deadLetter || delivery.subject === deadLetter.subject) {
      this.metrics.inboundDropped.inc(labels);
      this.log.warn(
        fields,
        deadLetter
          ? 'inbound: a dead letter cannot be processed either; acknowledged and dropped'
          : 'inbound: message cannot be processed; acknowledged and dropped (dead letters are off)',
      );
      await delivery.ack();
      return;
    }
    const from = {
      subscription: binding.name,
      group: binding.group,
      origin: binding.origin,
      source: this.options.source,
    };
    try {
      await this.declareDeadLetterGroup(deadLetter);
      await this.bus.publish(
        deadLetter.subject,
        deadLetterMessage(delivery, problem, from, envelope?.id, new Date()),
      );
    } catch (error) {
      this.metrics.inboundDeadLetterFailures.inc({ subscription: binding.name });
      this.log.warn(
        { ...fields, error: (error as Error).message, retryInMs: DEAD_LETTER_RETRY_MS },
        'inbound: could not park the message on the dead-letter subject; it is given back to the broker',
      );
      await delivery.nack(DEAD_LETTER_RETRY_MS);
      return;
    }
    this.metrics.inboundDeadLettered.inc(labels);
    this.log.warn(
      { ...fields, deadLetterSubject: deadLetter.subject },
      'inbound: message cannot be processed; parked on the dead-letter subject',
    );
    await delivery.ack();
  }

  /** Makes sure the dead-letter group exists, so that the broker keeps what is parked (once per connection). */
  private declareDeadLetterGroup(deadLetter: { subject: string; group: string }): Promise<void> {
    this.deadLetterGroup ??= this.bus
      .declareGroup(deadLetter.subject, { group: deadLetter.group })
      .catch((error: unknown) => {
        this.deadLetterGroup = undefined;
        throw error;
      });
    return this.deadLetterGroup;
  }

  async stop(): Promise<void> {
    this.offState();
    await Promise.all([...this.active.keys()].map((group) => this.remove(group)));
  }
}

function describe(binding: InboundBinding): string {
  const a = binding.action;
  return a.kind === 'correlate'
    ? `publish message ${a.messageName} (key ${a.correlationKey || 'none'})`
    : `start process ${a.bpmnProcessId}`;
}
